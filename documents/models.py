"""Numbered documents (certificates, refusal slips, commitments, letters, notices) as issued.

A document is written once: its number is taken from a sequence under a row
lock, its HTML is rendered from the app's template at that moment and kept,
and the PDF is produced from that HTML whenever it is downloaded, so what was
issued can always be shown again exactly, even after a template changes.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from divisions.scoping import ScopedQuerySet
from villageburden.models import BaseModel


class DocumentSequence(models.Model):
    """The last number used for one series (e.g. certificates of one county in one year)."""

    key = models.CharField(_("series"), max_length=80, unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document series")
        verbose_name_plural = _("document series")

    def __str__(self) -> str:
        return f"{self.key}: {self.last_number}"


# Kinds of document read by fewer people than their division's: kind -> (the target's model
# label, the action on the target a reader needs). Registered by the app that issues the kind
# (documents.services.register_readers); e.g. a certificate carries the applicant's full ID
# number, so only those who may handle its request read it.
READERS: dict[str, tuple[str, str]] = {}


class DocumentQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view"):
        """Public documents (notices, 通报) are for everyone; the rest stay in jurisdiction.

        A kind with registered readers is read only by those who may do the
        registered action on the document's target (a 404 for everyone else).
        """
        own = ScopedQuerySet.restrict(self, user, action)
        if action != "view":
            return own
        visible = self.filter(models.Q(public=True) | models.Q(pk__in=own.values("pk")))
        for kind, (label, needed) in READERS.items():
            targets = apps.get_model(label).objects.restrict(user, needed)
            readable = targets.annotate(key=Cast("pk", models.CharField())).values("key")
            visible = visible.exclude(
                models.Q(kind=kind, public=False) & ~models.Q(target_type=label, target_id__in=readable)
            )
        return visible


class Document(BaseModel):
    """One issued, numbered document and the object it belongs to."""

    kind = models.CharField(_("kind"), max_length=40)
    number = models.CharField(_("number"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    target_type = models.CharField(_("about (type)"), max_length=60)
    target_id = models.CharField(_("about (id)"), max_length=40)
    html = models.TextField(_("content"))
    public = models.BooleanField(_("public"), default=False)
    # None: issued by the system on its own schedule (a weekly report); such a document says so.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="document_target")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def issued_by_system(self) -> bool:
        return self.created_by_id is None

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("documents:pdf", args=[self.pk])
