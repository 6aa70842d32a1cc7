"""The access gate: requests, their joint review and county decision, and village tasks.

Seed 000 §2 and seed 002 §3(1): a task outside the county's lists reaches a
village only after the organisation, civil-affairs and agriculture departments
review it (审核把关) and the county Party committee and government approve it
(批准); seed 003 §2(1)1: the village may never be the responsible subject of
administrative enforcement, demolition, investment promotion or work safety.

Every change of state goes through ``gate.services``; the models hold the
invariants the database can keep on its own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from divisions.scoping import ScopedQuerySet
from organisations.choices import Role
from villageburden.decisions import DecisionBase
from villageburden.models import BaseModel

from .choices import (
    LEVEL_RULES,
    Frequency,
    Opinion,
    Outcome,
    RequestLevel,
    RequestStatus,
    ScopeKind,
    TaskStatus,
    Verdict,
    VillageRole,
)

SUBMITTERS = {Role.DEPT_SUBMITTER, Role.PORTAL_CLIENT}
# Roles that see only their own organisation's requests and tasks.
OWN_ORG_ROLES = SUBMITTERS


class AccessRequestQuerySet(ScopedQuerySet):
    """Scoped by the county the request is filed to; submitters see their organisation's only.

    A draft belongs to its department until it is submitted: nobody else in
    the county (reviewers, approver, keeper, auditor) nor the province sees it,
    on any path (pages, API, admin), since they all scope through here.
    """

    write_roles = {
        "add": SUBMITTERS,
        "change": SUBMITTERS,
        "submit": SUBMITTERS,
        "withdraw": SUBMITTERS,
        "renew": SUBMITTERS,
        "dispatch": SUBMITTERS | {Role.COUNTY_APPROVER},
        "review": {r.reviewer_role for r in LEVEL_RULES.values() if r.review_kinds},
        "decide": {r.approver_role for r in LEVEL_RULES.values()},
        "propose_listing": SUBMITTERS | {Role.COUNTY_APPROVER, Role.CATALOGUE_KEEPER},
    }

    def restrict(self, user, action: str = "view"):
        # Each level names who reviews and decides it, and whether its approval sends village tasks.
        levels: list[str] | None = None
        superuser, role = getattr(user, "is_superuser", False), getattr(user, "role", None)
        if action == "review" and not superuser:
            levels = [lv for lv, r in LEVEL_RULES.items() if r.reviewer_role == role]
        elif action == "decide" and not superuser:
            levels = [lv for lv, r in LEVEL_RULES.items() if r.approver_role == role]
        elif action == "dispatch":
            levels = [lv for lv, r in LEVEL_RULES.items() if r.dispatches]
        qs = super().restrict(user, action)
        if getattr(user, "is_authenticated", False) and not superuser:
            if user.role in OWN_ORG_ROLES:
                qs = qs.filter(organisation_id=user.organisation_id)
                # A department's request to its province sits above its own jurisdiction
                # (not needed where the action's levels are county ones only, e.g. dispatch).
                above_levels = levels is None or any(lv != RequestLevel.COUNTY for lv in levels)
                if above_levels and (action == "view" or user.role in self.write_roles.get(action, set())):
                    above = self.filter(organisation_id=user.organisation_id).exclude(
                        level=RequestLevel.COUNTY
                    )
                    qs = qs | above
            else:
                qs = qs.filter(~Q(status=RequestStatus.DRAFT) | Q(organisation_id=user.organisation_id))
        return qs.filter(level__in=levels) if levels is not None else qs


class AccessRequest(BaseModel):
    """A department's request to have villages of one county do a task (准入申请).

    The same engine decides, at the province, a department's request to set up a
    new village working mechanism or dedicated post (``level``; see ``LEVEL_RULES``).
    """

    number = models.CharField(_("number"), max_length=30, unique=True)
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="access_requests",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("requesting department"),
        on_delete=models.PROTECT,
        related_name="access_requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.CharField(
        _("deciding level"), max_length=10, choices=RequestLevel.choices, default=RequestLevel.COUNTY
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    village_role = models.CharField(_("village's role"), max_length=12, choices=VillageRole.choices)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    scope_kind = models.CharField(
        _("scope"), max_length=10, choices=ScopeKind.choices, default=ScopeKind.COUNTY
    )
    scope_divisions = models.ManyToManyField(
        "divisions.Division",
        verbose_name=_("chosen townships or villages"),
        blank=True,
        related_name="+",
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    materials = models.TextField(_("forms or materials villages provide"), blank=True)
    provides_funding = models.CharField(_("funding provided"), max_length=200, blank=True)
    provides_staff = models.CharField(_("staff provided"), max_length=200, blank=True)
    provides_equipment = models.CharField(_("equipment provided"), max_length=200, blank=True)
    hours_per_village = models.DecimalField(
        _("estimated hours per village"), max_digits=7, decimal_places=1, default=0
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.DRAFT
    )
    # Optimistic concurrency: bumped by every service that changes the row (ETag/If-Match).
    version = models.PositiveIntegerField(_("version"), default=1)
    # Each submission opens a review round; opinions and decisions belong to one.
    round = models.PositiveIntegerField(_("review round"), default=0)
    verdict = models.CharField(_("screening verdict"), max_length=10, choices=Verdict.choices, blank=True)
    screening = models.JSONField(_("screening result"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_due = models.DateField(_("review due"), null=True, blank=True)
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    approved_until = models.DateField(_("approval valid until"), null=True, blank=True)
    renews = models.ForeignKey(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewals",
    )
    listing_proposed_at = models.DateTimeField(_("proposed for the assist list"), null=True, blank=True)

    objects = AccessRequestQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["screening"])

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["division", "status"], name="gate_request_county_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="gate_request_dates"
            ),
            models.CheckConstraint(condition=Q(hours_per_village__gte=0), name="gate_request_hours_nonneg"),
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="gate_request_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(level__in=RequestLevel.values), name="gate_request_level_valid"
            ),
            # Guarantee 2: a blocked screening can never sit beside an approval.
            models.CheckConstraint(
                condition=~Q(status="approved", verdict="block"), name="gate_request_block_never_approved"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_editable(self) -> bool:
        from .choices import EDITABLE_STATUSES

        return self.status in EDITABLE_STATUSES

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.version}"'

    @property
    def last_decision(self) -> Decision | None:
        decisions = list(self.decisions.all())  # ordered by round; prefetched on lists
        return decisions[-1] if decisions else None

    def hits(self) -> list[dict]:
        return (self.screening or {}).get("hits", [])


class AttachmentQuerySet(ScopedQuerySet):
    """Visible where its request is (departments: their own requests only), and to the
    townships whose villages received a task from it: the forms they must fill in."""

    def restrict(self, user, action: str = "view"):
        visible = AccessRequest.objects.restrict(user, "view").values("pk")
        tasked = VillageTask.objects.restrict(user, "view").values("access_request_id")
        return self.filter(Q(request__in=visible) | Q(request__in=tasked))


class Attachment(BaseModel):
    """A file attached to a request (the form template, the policy text, ...)."""

    request = models.ForeignKey(
        AccessRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="gate/attachments/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ReviewOpinion(models.Model):
    """One reviewing department's opinion in one review round (审核意见). Never edited."""

    request = models.ForeignKey(
        AccessRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="opinions"
    )
    round = models.PositiveIntegerField(_("review round"))
    reviewer_kind = models.CharField(_("reviewing department"), max_length=30)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.CharField(_("opinion"), max_length=12, choices=Opinion.choices)
    reason = models.TextField(_("reason"))
    conditions = models.TextField(_("conditions"), blank=True)
    created = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("review opinion")
        verbose_name_plural = _("review opinions")
        ordering = ["round", "created"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "round", "reviewer_kind"], name="gate_one_opinion_per_dept_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} r{self.round} {self.reviewer_kind}: {self.opinion}"


class Decision(DecisionBase):
    """The county's decision in one review round (批准). Exactly one per round."""

    request = models.ForeignKey(
        AccessRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="decisions"
    )
    round = models.PositiveIntegerField(_("review round"))
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["request", "round"], name="gate_one_decision_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} r{self.round}: {self.outcome}"


class VillageTaskQuerySet(ScopedQuerySet):
    """Scoped by the village; departments see the tasks they sent."""

    scope_field = "village"
    write_roles = {"progress": {Role.TOWNSHIP_STAFF}}

    def restrict(self, user, action: str = "view"):
        qs = super().restrict(user, action)
        if getattr(user, "is_authenticated", False) and not user.is_superuser and user.role in OWN_ORG_ROLES:
            qs = qs.filter(organisation_id=user.organisation_id)
        return qs


class VillageTask(BaseModel):
    """A task that reached one village (DESIGN §3 guarantee 1).

    Created only by ``gate.services.village_tasks_create``: its source is either
    an approved access request or an active item of the county's lists, never
    both and never neither. The database refuses the rest (constraints here,
    and an insert trigger installed by migration 0002).
    """

    village = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="village_tasks",
    )
    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    access_request = models.ForeignKey(
        AccessRequest,
        verbose_name=_("approved request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="village_tasks",
    )
    catalogue_item = models.ForeignKey(
        "catalogs.CatalogueItem",
        verbose_name=_("list item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="village_tasks",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("requesting department"),
        on_delete=models.PROTECT,
        related_name="village_tasks",
    )
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dispatched by"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    village_role = models.CharField(_("village's role"), max_length=12, choices=VillageRole.choices)
    starts_on = models.DateField(_("start"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = VillageTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("village task")
        verbose_name_plural = _("village tasks")
        ordering = ["due_on", "village_id"]
        indexes = [
            models.Index(fields=["village", "status"], name="gate_task_village_status"),
            models.Index(fields=["organisation", "status"], name="gate_task_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(access_request__isnull=False, catalogue_item__isnull=True)
                | Q(access_request__isnull=True, catalogue_item__isnull=False),
                name="gate_task_exactly_one_source",
            ),
            models.UniqueConstraint(
                fields=["access_request", "village"],
                condition=Q(access_request__isnull=False),
                name="gate_task_one_per_request_village",
            ),
            models.UniqueConstraint(
                fields=["catalogue_item", "village"],
                condition=Q(catalogue_item__isnull=False),
                name="gate_task_one_per_item_village",
            ),
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="gate_task_status_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="gate_task_progress_max_100"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")), name="gate_task_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.village_id}"

    @property
    def source_label(self) -> str:
        if self.access_request_id:
            return self.access_request.number
        return self.catalogue_item.code


class IdempotencyRecord(models.Model):
    """The stored response of a portal POST carrying an ``Idempotency-Key``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("key"), max_length=100)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    body = models.JSONField(_("response body"), null=True, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="gate_idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
