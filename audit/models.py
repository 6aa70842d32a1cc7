"""The audit trail: who did what, when, to which object, with before/after.

The trail is also the registry's event log: a row whose ``event_type`` is set
is a domain event published to portals (the feed ``/api/v1/events/`` and the
webhooks in ``events/``). See ``audit/published.py`` for why one table serves
both and how the feed's cursor follows commit order.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from divisions.scoping import ScopedQuerySet


class AuditEventQuerySet(ScopedQuerySet):
    """Scoped users see the events of their jurisdiction; events with no
    division (logins, system jobs) are for superusers only."""

    scope_field = "division"


class AuditEvent(models.Model):
    """One attributable event. Rows are only ever inserted, never changed.

    Row-level before/after snapshots of domain models are kept by
    django-simple-history; this table holds the events around them: logins,
    denials, imports, publications and every workflow decision with its
    opinion, so that "who decided what, when, and why" is one query.
    """

    created = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # DO_NOTHING and no database constraint: the trail outlives the rows it
    # names (actor_name and object_repr keep what they were), and no delete
    # elsewhere may rewrite it.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("division"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    summary = models.TextField(_("summary"), blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # Published events (empty type: internal only, never leaves the registry).
    event_type = models.CharField(_("event type"), max_length=80, blank=True, default="")
    object_url = models.CharField(_("object URL"), max_length=300, blank=True, default="")
    body = models.JSONField(_("event body"), null=True, blank=True)
    # The organisation that owns the object (a department's request and its
    # tasks): roles that follow only their own organisation's objects see only
    # these events of it (events.selectors.visible_events).
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owning organisation"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    # The writing transaction's id (PostgreSQL ``pg_current_xact_id()``, set by
    # an insert trigger; 0 on SQLite, whose writers are serialised). The feed
    # orders by (txid, id) and serves only finished transactions.
    txid = models.BigIntegerField(_("transaction"), default=0, editable=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            # The feed: published rows in cursor order, and the same by type.
            models.Index(fields=["txid", "id"], name="audit_feed", condition=~models.Q(event_type="")),
            models.Index(
                fields=["event_type", "txid", "id"],
                name="audit_feed_type",
                condition=~models.Q(event_type=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)
