"""Assessments' scoped endpoints and pages in the reusable permission suite.

Published assessment items lists are public by design, so the suite runs over their
drafts; the townships' integrated assessments and their surveys are scoped to the
township (another township's are foreign: 404).
"""

from __future__ import annotations

from datetime import timedelta

from .permissions import ScopedEndpoint, register


def _root():
    from organisations.models import User

    return User.objects.filter(username="assess-root").first() or User.objects.create_superuser(
        "assess-root", password=None
    )


def _draft_items(w):
    from assessments import services
    from assessments.models import AssessmentList

    admin = _root()
    items = []
    for division in (w.county, w.other_county):
        found = AssessmentList.objects.filter(division=division).first() or services.assessment_list_create(
            division=division, applies_to="villages", name=f"{division.name}考核评比项目清单", user=admin
        )
        draft = services.draft_get_or_create(assessment_list=found, user=admin)
        items.append(
            draft.items.first()
            or services.item_save(
                version=draft,
                data={
                    "kind": "ranking",
                    "name": f"草稿排名{found.pk}",
                    "owner": "某局",
                    "frequency": "yearly",
                    "measures": "某项工作",
                    "basis_missing": True,
                },
                user=admin,
            )
        )
    return tuple(items)


def _plans(w):
    from assessments import services
    from assessments.models import IntegratedAssessment
    from organisations.choices import Role

    from . import factories as f

    found = {a.township_id: a for a in IntegratedAssessment.objects.filter(year=2026)}
    if w.township_a.pk in found and w.other_township.pk in found:
        return found[w.township_a.pk], found[w.other_township.pk]
    outsider_clerk = f.UserFactory(role=Role.TOWNSHIP_STAFF, organisation=w.orgs["other_township"])
    inside = services.plan_create(
        township=w.township_a, year=2026, method="年底考评", user=w.user("township")
    )
    outside = services.plan_create(
        township=w.other_township, year=2026, method="年底考评", user=outsider_clerk
    )
    return inside, outside


def _surveys(w):
    from django.utils import timezone

    from assessments import services
    from assessments.models import Survey

    existing = Survey.objects.order_by("village_id")
    inside, outside = _plans(w)
    if existing.count() == 2:
        return tuple(sorted(existing, key=lambda s: s.village_id != w.village_a1.pk))
    closes = timezone.localdate() + timedelta(days=30)
    a = services.survey_open(assessment=inside, village=w.village_a1, closes_on=closes, user=_root())
    c = services.survey_open(assessment=outside, village=w.village_c1, closes_on=closes, user=_root())
    return a, c


register(
    ScopedEndpoint(
        name="api-assessment-draft-items",
        make=_draft_items,
        list_url=lambda w: "/api/v1/assessment-items/?version__status=draft",
        detail_url=lambda obj: f"/api/v1/assessment-items/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=("keeper", "approver", "provadmin"),
        anonymous_allowed=True,
    )
)
register(
    ScopedEndpoint(
        name="api-integrated-assessments",
        make=_plans,
        list_url=lambda w: "/api/v1/integrated-assessments/",
        detail_url=lambda obj: f"/api/v1/integrated-assessments/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=("township", "approver", "reviewer_org", "provadmin"),
    )
)
register(
    ScopedEndpoint(
        name="api-assessment-surveys",
        make=_surveys,
        list_url=lambda w: "/api/v1/assessment-surveys/",
        detail_url=lambda obj: f"/api/v1/assessment-surveys/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=("township", "approver", "provadmin"),
    )
)
register(
    ScopedEndpoint(
        name="page-integrated-assessments",
        make=_plans,
        list_url=lambda w: "/assessments/plans/",
        detail_url=lambda obj: f"/assessments/plans/{obj.pk}/",
        row_id=lambda obj: f'href="/assessments/plans/{obj.pk}/"',
        api=False,
        visible_to=("township", "approver", "reviewer_org", "provadmin"),
        write=lambda client, obj: client.post(f"/assessments/plans/{obj.pk}/submit/"),
        writers=("township", "outsider"),
    )
)


def _proposals(w):
    """A proposal on each county's published list (the lists' items are proposed to, never edited)."""
    from assessments import services
    from assessments.models import AssessmentChangeProposal

    found = {p.division_id: p for p in AssessmentChangeProposal.objects.all()}
    if w.county.pk in found and w.other_county.pk in found:
        return found[w.county.pk], found[w.other_county.pk]
    admin = _root()
    out = []
    for item in _draft_items(w):
        draft = item.version
        if draft.status == "draft":
            services.version_publish(version=draft, effective_from=draft.created.date(), user=admin)
        out.append(
            services.proposal_create(
                assessment_list=draft.assessment_list,
                action="cancel",
                item_code=item.code,
                proposed_by=admin,
                reason="已整合",
            )
        )
    return tuple(out)


register(
    ScopedEndpoint(
        name="api-assessment-proposals",
        make=_proposals,
        list_url=lambda w: "/api/v1/assessment-proposals/",
        detail_url=lambda obj: f"/api/v1/assessment-proposals/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=("keeper", "approver", "provadmin"),
        write=lambda client, obj: client.post(
            f"/api/v1/assessment-proposals/{obj.pk}/consult/", {"opinion": "已协商"}
        ),
        # Consultation is the county's keepers' and reviewers' step (the province decides only its guidance).
        writers=("keeper", "reviewer_org", "reviewer_civil", "reviewer_agri"),
    )
)
register(
    ScopedEndpoint(
        name="page-assessment-proposals",
        make=_proposals,
        list_url=lambda w: "/assessments/lists/150223/villages/proposals/",
        detail_url=lambda obj: f"/assessments/proposals/{obj.pk}/",
        row_id=lambda obj: f'href="/assessments/proposals/{obj.pk}/"',
        api=False,
        visible_to=("keeper", "approver", "provadmin"),
    )
)
