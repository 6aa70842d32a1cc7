"""Webhook endpoints of portal clients, their deliveries and each attempt.

The events themselves are audit rows (``audit.AuditEvent`` with an
``event_type``, see ``audit/published.py``); a delivery names one event for
one endpoint, once (unique), and keeps every attempt.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from villageburden.models import BaseModel

from .choices import DeliveryStatus


class WebhookEndpointQuerySet(models.QuerySet):
    """An endpoint belongs to the portal identity that registered it.

    Endpoints carry a URL and a secret of one portal, so they are narrower
    than a jurisdiction: their owner (and a superuser) only. The events an
    endpoint receives are scoped by its owner's jurisdiction (the feed's
    ``restrict``), never by the endpoint's.
    """

    def restrict(self, user, action: str = "view") -> WebhookEndpointQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(owner=user)


class WebhookEndpoint(BaseModel):
    """A URL a portal client asked to receive events at, with its signing secret."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Empty: every published type.
    event_types = models.JSONField(_("event types"), default=list, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # Fernet-encrypted with a key derived from SECRET_KEY (events/signing.py).
    secret_encrypted = models.TextField(_("secret (encrypted)"))
    active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("disabled because"), max_length=300, blank=True)
    # The last feed position turned into deliveries (see services.webhooks_fanout).
    cursor_txid = models.BigIntegerField(_("cursor transaction"), default=0)
    cursor_id = models.BigIntegerField(_("cursor event"), default=0)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.url


class WebhookDeliveryQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> WebhookDeliveryQuerySet:
        endpoints = WebhookEndpoint.objects.restrict(user, action)
        if user is not None and getattr(user, "is_superuser", False):
            return self
        return self.filter(endpoint__in=endpoints)


class WebhookDelivery(models.Model):
    """One event for one endpoint: sent until it succeeds or a day has passed."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        "audit.AuditEvent",
        verbose_name=_("event"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    event_type = models.CharField(_("event type"), max_length=80)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    first_attempt_at = models.DateTimeField(_("first attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    # A worker holds a delivery while it sends; if it dies, the lease runs out
    # and the sweep sends it again (the receiver sees the same Webhook-Id).
    lease_until = models.DateTimeField(_("held until"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP attempt of a delivery: what came back and how long it took."""

    delivery = models.ForeignKey(
        WebhookDelivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started = models.DateTimeField(_("started"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response_excerpt = models.CharField(_("response excerpt"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"{self.delivery_id}#{self.number}: {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
