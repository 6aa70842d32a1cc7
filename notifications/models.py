"""The notifications outbox shared by every app: one row per message, e-mailed after commit.

A notification is about one object of any app (a gate request, a certificate
request, a letter): its type (``app_label.model``), id and the page to open.
The row is the outbox: if the broker is down the e-mail task is not sent, and
the periodic sweeps send every row whose ``emailed_at`` is still empty.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# kind value → label, filled by each app from its own TextChoices (register_kinds).
KIND_LABELS: dict[str, str] = {}


def register_kinds(choices: type[models.TextChoices]) -> None:
    """An app names the kinds of notification it sends (for display only)."""
    KIND_LABELS.update({str(value): label for value, label in choices.choices})


def target_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user) if getattr(user, "is_authenticated", False) else self.none()

    def about(self, obj: models.Model):
        """The notifications whose target is ``obj``."""
        return self.filter(target_type=target_type_of(obj), target_id=str(obj.pk))


class Notification(models.Model):
    """An in-app message, created in the transaction of what it reports; e-mailed after commit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    target_type = models.CharField(_("about (type)"), max_length=60, blank=True)
    target_id = models.CharField(_("about (id)"), max_length=40, blank=True)
    target_url = models.CharField(_("link"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    # Reminders are sent once per key (e.g. "review-due:12:3:2026-11-20").
    dedupe_key = models.CharField(_("key"), max_length=120, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_once"
            ),
        ]
        indexes = [
            models.Index(fields=["emailed_at"], name="notification_outbox"),
            models.Index(fields=["target_type", "target_id"], name="notification_target"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))
