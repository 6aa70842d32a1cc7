"""The abstract proposal and step of dynamic management; each list keeps its own tables on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from divisions.scoping import ScopedQuerySet
from organisations.choices import Role
from villageburden.models import BaseModel
from villageburden.versioning import KEEPERS

from .choices import OPEN, ProposalAction, ProposalStatus, ProposalStep

# Who may propose a change to a list (动态管理): keepers, the county's
# leadership and reviewers, and the departments that want work done.
PROPOSERS = KEEPERS | {Role.COUNTY_APPROVER, Role.COUNTY_REVIEWER, Role.DEPT_SUBMITTER}
# Who takes each step (the approval's own role, county or province, is checked by the procedure).
STEP_ROLES = {
    "add": PROPOSERS,
    "consult": KEEPERS | {Role.COUNTY_REVIEWER},
    "assess": KEEPERS | {Role.COUNTY_REVIEWER},
    "approve": {Role.COUNTY_APPROVER, Role.PROVINCIAL_ADMIN},
    "reject": {Role.COUNTY_APPROVER, Role.PROVINCIAL_ADMIN} | KEEPERS | {Role.COUNTY_REVIEWER},
}


class ProposalQuerySet(ScopedQuerySet):
    write_roles = STEP_ROLES

    def open(self):
        return self.filter(status__in=OPEN)


class ChangeProposalBase(BaseModel):
    """A proposal to add an item to, or cancel one from, a published list.

    The concrete model adds the list it changes and the version the approved
    change was written into (``applied_version``).
    """

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=ProposalAction.choices)
    item_code = models.CharField(_("item code"), max_length=20, blank=True)
    item_data = models.JSONField(_("proposed item"), default=dict, blank=True)
    reason = models.TextField(_("reason"))
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Where the proposal comes from.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProposalQuerySet.as_manager()
    #: The URL name of the proposal's page (``<app>:proposal``).
    url_name: str

    class Meta:
        abstract = True
        verbose_name = _("change proposal")
        verbose_name_plural = _("change proposals")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        what = self.item_code or self.item_data.get("name", "")
        return f"{self.get_action_display()} {what}".strip()  # type: ignore[attr-defined]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse(self.url_name, args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in (ProposalStatus.APPROVED, ProposalStatus.REJECTED)


def proposal_constraints(prefix: str) -> list[models.BaseConstraint]:
    """Every proposal's rules: a cancellation names its item, an approved proposal names its version."""
    return [
        models.CheckConstraint(
            condition=~models.Q(action="cancel") | ~models.Q(item_code=""),
            name=f"{prefix}_cancel_names_item",
        ),
        models.CheckConstraint(
            condition=~models.Q(status="approved") | models.Q(applied_version__isnull=False),
            name=f"{prefix}_approved_is_applied",
        ),
    ]


class ProposalStepBase(models.Model):
    """One recorded step of a proposal: who, when, with what opinion. Append-only.

    The concrete model adds ``proposal`` (a foreign key with ``related_name="steps"``).
    """

    step = models.CharField(_("step"), max_length=15, choices=ProposalStep.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.TextField(_("opinion"), blank=True)
    created = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = _("proposal step")
        verbose_name_plural = _("proposal steps")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.actor}"  # type: ignore[attr-defined]
