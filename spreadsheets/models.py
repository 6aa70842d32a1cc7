"""The abstract import job every app's spreadsheet import subclasses (no table of its own)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from divisions.scoping import ScopedQuerySet
from villageburden.models import BaseModel
from villageburden.versioning import KEEPERS, keeper_write

from .choices import RUNNING, ImportStatus


class ImportJobBase(BaseModel):
    """One spreadsheet import: checked first (preview), applied only when confirmed.

    Progress is stored on the row so that a page can poll it while a Celery
    worker runs the job; an apply's, written inside its one transaction, goes
    to the cache instead (``progress_key``), where the page reads it. A
    subclass adds what the import is *into* (a catalogue, a certificate
    list…), the division it is scoped by, and its own ``file`` field if it
    wants its own ``upload_to`` folder.
    """

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    new_count = models.PositiveIntegerField(_("new"), default=0)
    changed_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"  # type: ignore[attr-defined]

    @property
    def progress_key(self) -> str:
        """Where an apply keeps its progress: in the cache, since its transaction hides the row's until commit."""
        return f"import-progress:{self._meta.label_lower}:{self.pk}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (ImportStatus.DONE, ImportStatus.CHECKED) else 0
        processed = self.processed_rows
        if self.status == ImportStatus.APPLYING:
            # The row still says what the check did (every row): an apply under way is never shown as done.
            processed = cache.get(self.progress_key, 0)
        return min(100, int(processed * 100 / self.total_rows))

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING


class ListImportJobQuerySet(ScopedQuerySet):
    """Import jobs into a versioned list: read in the jurisdiction, written by the list's keepers."""

    write_roles = {"add": KEEPERS, "change": KEEPERS}

    def restrict(self, user, action: str = "view"):
        if action == "view":
            return super().restrict(user, action)
        return keeper_write(self, user, action, "division__level")


class ListImportJobBase(ImportJobBase):
    """An import job into a versioned list (``spreadsheets.lists``): scoped by the list's division.

    A subclass adds the foreign key to its list and its own ``file`` (for its ``upload_to`` folder).
    """

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ListImportJobQuerySet.as_manager()

    class Meta(ImportJobBase.Meta):
        abstract = True

    def __str__(self) -> str:
        # Identity only: the audit trail keeps this text, and a status in it would stay "pending".
        return f"{self.original_name} (#{self.pk})"
