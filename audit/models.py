"""The audit trail: who did what, when, to which object, with before/after."""

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
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)
