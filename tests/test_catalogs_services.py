"""The rules of the lists: versions, publication, adoption, dynamic management."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from catalogs import selectors, services
from catalogs.choices import ItemStatus, ProposalStatus, VersionStatus
from catalogs.models import CatalogueItem

from .fixtures_catalogs import ASSIST


def test_county_draft_inherits_the_guidance_in_force(world, county_catalogue, guidance):
    version = selectors.version_in_force(county_catalogue, date(2026, 3, 1))
    codes = set(version.items.values_list("code", flat=True))
    assert codes == {"FM-01", "ZZ-01", "XZ-01", "XZ-50"}
    inherited = version.items.get(code="FM-01")
    assert inherited.inherited_from.version.catalogue == guidance
    items = selectors.items_in_force(world.village_a1, date(2026, 3, 1))
    assert items.filter(code="XZ-50").exists()
    # Before the county's effective date the list in force is none (the county has its own catalogue).
    assert not selectors.items_in_force(world.village_a1, date(2026, 1, 15)).exists()


def test_published_versions_never_change(world, guidance):
    admin = world.user("provadmin")
    published = guidance.versions.get()
    item = published.items.first()
    with pytest.raises(ValidationError):
        services.item_update(item=item, data={"name": "改名"}, user=admin)
    with pytest.raises(ValueError):
        item.name = "x"
        item.save()
    with pytest.raises(ValidationError):
        services.version_publish(version=published, effective_from=date(2026, 5, 1), user=admin)


def test_new_draft_is_a_complete_copy_and_publication_is_dated(world, guidance):
    admin = world.user("provadmin")
    draft = services.draft_get_or_create(catalogue=guidance, user=admin)
    assert draft.number == 2 and draft.items.count() == 3
    assert services.draft_get_or_create(catalogue=guidance, user=admin) == draft
    with pytest.raises(ValidationError):
        services.version_publish(version=draft, effective_from=date(2025, 12, 1), user=admin)
    services.version_publish(version=draft, effective_from=date(2026, 6, 1), user=admin)
    assert selectors.version_in_force(guidance, date(2026, 5, 31)).number == 1
    assert selectors.version_in_force(guidance, date(2026, 6, 1)).number == 2


def test_adding_to_a_published_list_needs_a_proposal(world, guidance):
    admin = world.user("provadmin")
    draft = services.draft_get_or_create(catalogue=guidance, user=admin)
    with pytest.raises(ValidationError):
        services.item_create(version=draft, data={**ASSIST, "code": "XZ-02"}, user=admin)


def test_keepers_act_only_in_their_jurisdiction(world, guidance, county_catalogue):
    with pytest.raises(PermissionDenied):
        services.draft_get_or_create(catalogue=guidance, user=world.user("keeper"))
    with pytest.raises(PermissionDenied):
        services.draft_get_or_create(catalogue=county_catalogue, user=world.user("approver"))
    with pytest.raises(PermissionDenied):
        services.catalogue_create(division=world.other_county, name="x", user=world.user("keeper"))


def test_change_proposal_goes_through_every_step_and_lands_in_the_draft(world, county_catalogue):
    proposal = services.change_proposal_create(
        catalogue=county_catalogue,
        action="add",
        item_data={"kind": "assist", "name": "协助开展耕地保护巡查", "responsible_department": "自然资源局"},
        proposed_by=world.user("submitter"),
        reason="经准入审批的常态化协助事项",
        source="准入申请 #7",
    )
    assert proposal.status == ProposalStatus.PROPOSED
    with pytest.raises(ValidationError):  # approval before consultation and assessment
        services.change_proposal_approve(proposal=proposal, user=world.user("approver"))
    services.change_proposal_consult(
        proposal=proposal, user=world.user("keeper"), opinion="已征求乡镇和村意见"
    )
    with pytest.raises(PermissionDenied):
        services.change_proposal_assess(proposal=proposal, user=world.user("township"), opinion="x")
    services.change_proposal_assess(proposal=proposal, user=world.user("reviewer_civil"), opinion="评估通过")
    with pytest.raises(PermissionDenied):
        services.change_proposal_approve(proposal=proposal, user=world.user("keeper"))
    proposal = services.change_proposal_approve(
        proposal=proposal, user=world.user("approver"), opinion="同意"
    )
    assert proposal.status == ProposalStatus.APPROVED
    draft = proposal.applied_version
    assert draft.status == VersionStatus.DRAFT
    item = draft.items.get(code=proposal.item_code)
    assert item.name == "协助开展耕地保护巡查" and item.source == "准入申请 #7"
    assert [s.step for s in proposal.steps.all()] == ["proposal", "consultation", "assessment", "approval"]
    assert AuditEvent.objects.filter(action="catalogs.proposal_approval", object_id=str(proposal.pk)).exists()


def test_cancel_proposal_and_rejection(world, county_catalogue):
    keeper = world.user("keeper")
    with pytest.raises(ValidationError):
        services.change_proposal_create(
            catalogue=county_catalogue,
            action="cancel",
            item_data={},
            proposed_by=keeper,
            reason="x",
            item_code="XZ-99",
        )
    proposal = services.change_proposal_create(
        catalogue=county_catalogue,
        action="cancel",
        item_data={},
        proposed_by=keeper,
        reason="已不再需要",
        item_code="XZ-50",
    )
    with pytest.raises(ValidationError):  # a second one for the same item
        services.change_proposal_create(
            catalogue=county_catalogue,
            action="cancel",
            item_data={},
            proposed_by=keeper,
            reason="y",
            item_code="XZ-50",
        )
    services.change_proposal_consult(proposal=proposal, user=keeper, opinion="已协商")
    services.change_proposal_assess(proposal=proposal, user=world.user("reviewer_org"), opinion="通过")
    services.change_proposal_approve(proposal=proposal, user=world.user("approver"), opinion="同意")
    draft = county_catalogue.versions.get(status="draft")
    assert draft.items.get(code="XZ-50").status == ItemStatus.CANCELLED
    rejected = services.change_proposal_create(
        catalogue=county_catalogue,
        action="cancel",
        item_data={},
        proposed_by=keeper,
        reason="z",
        item_code="XZ-01",
    )
    rejected = services.change_proposal_reject(
        proposal=rejected, user=world.user("approver"), opinion="依法应保留"
    )
    assert rejected.status == ProposalStatus.REJECTED


def test_outsiders_cannot_propose(world, county_catalogue):
    with pytest.raises(PermissionDenied):
        services.change_proposal_create(
            catalogue=county_catalogue,
            action="add",
            item_data={"kind": "autonomy", "name": "x"},
            proposed_by=world.user("outsider"),
            reason="x",
        )


def test_invalid_proposed_item_is_refused_with_field_errors(world, county_catalogue):
    with pytest.raises(ValidationError) as exc:
        services.change_proposal_create(
            catalogue=county_catalogue,
            action="add",
            item_data={"kind": "assist", "name": "协助"},
            proposed_by=world.user("keeper"),
            reason="r",
        )
    assert "responsible_department" in exc.value.message_dict


def test_not_applicable_only_for_inherited_items_with_reason(world, county_catalogue):
    keeper = world.user("keeper")
    draft = services.draft_get_or_create(catalogue=county_catalogue, user=keeper)
    local = draft.items.get(code="XZ-50")
    inherited = draft.items.get(code="XZ-01")
    with pytest.raises(ValidationError):
        services.item_mark_not_applicable(item=local, reason="x", user=keeper)
    with pytest.raises(ValidationError):
        services.item_mark_not_applicable(item=inherited, reason="  ", user=keeper)
    item = services.item_mark_not_applicable(item=inherited, reason="本旗无此业务", user=keeper)
    assert item.status == ItemStatus.NOT_APPLICABLE
    services.version_publish(version=draft, effective_from=date(2026, 4, 1), user=keeper)
    assert not selectors.items_in_force(world.village_a1, date(2026, 4, 2)).filter(code="XZ-01").exists()


def _approve_guidance_add(world, guidance, data):
    admin = world.user("provadmin")
    proposal = services.change_proposal_create(
        catalogue=guidance, action="add", item_data=data, proposed_by=world.user("provadmin"), reason="新增"
    )
    services.change_proposal_consult(proposal=proposal, user=admin, opinion="已协商")
    services.change_proposal_assess(proposal=proposal, user=admin, opinion="已评估")
    return proposal


def test_county_sees_and_adopts_the_provinces_changes(world, guidance, county_catalogue):
    admin = world.user("provadmin")
    keeper = world.user("keeper")
    draft = services.draft_get_or_create(catalogue=guidance, user=admin)
    services.item_update(item=draft.items.get(code="ZZ-01"), data={"hours_per_year": "60"}, user=admin)
    services.version_publish(version=draft, effective_from=date(2026, 3, 1), user=admin)
    _version, changes = services.guidance_changes(county_catalogue)
    assert [(c.code, c.change) for c in changes] == [("ZZ-01", "changed")]
    assert changes[0].fields == ["hours_per_year"]
    services.guidance_adopt(catalogue=county_catalogue, user=keeper)
    assert services.guidance_changes(county_catalogue)[1] == []
    county_draft = county_catalogue.versions.get(status="draft")
    assert county_draft.items.get(code="ZZ-01").hours_per_year == 60


def test_a_proposal_needs_a_different_approver(world, guidance):
    proposal = _approve_guidance_add(world, guidance, {"kind": "autonomy", "name": "组织村民会议"})
    with pytest.raises(PermissionDenied):
        services.change_proposal_approve(proposal=proposal, user=world.user("provadmin"))


def test_the_province_does_not_edit_a_countys_lists(world, county_catalogue):
    with pytest.raises(PermissionDenied):
        services.draft_get_or_create(catalogue=county_catalogue, user=world.user("provadmin"))
    with pytest.raises(PermissionDenied):
        services.catalogue_create(division=world.other_county, name="x", user=world.user("provadmin"))


def test_delete_only_before_publication(world, guidance):
    admin = world.user("provadmin")
    draft = services.draft_get_or_create(catalogue=guidance, user=admin)
    with pytest.raises(ValidationError):
        services.item_delete(item=draft.items.first(), user=admin)
    assert CatalogueItem.objects.filter(version=draft).count() == 3


def test_the_database_refuses_changes_to_published_versions(world, guidance):
    from django.db import DatabaseError, transaction

    from catalogs.models import CatalogueItem as Item
    from catalogs.models import CatalogueVersion

    published = guidance.versions.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        Item.objects.filter(version=published).update(name="改")
    with pytest.raises(DatabaseError), transaction.atomic():
        CatalogueVersion.objects.filter(pk=published.pk).update(effective_from=date(2020, 1, 1))
    item = published.items.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        Item.objects.bulk_create(
            [Item(version=published, division_id=item.division_id, code="ZZ-99", kind="autonomy", name="x")]
        )
    # Moving a draft's item into the published version, and writing by COPY (the import's path).
    draft = services.draft_get_or_create(catalogue=guidance, user=world.user("provadmin"))
    with pytest.raises(DatabaseError), transaction.atomic():
        Item.objects.filter(version=draft).update(version=published)
    from villageburden import bulkwrite

    with pytest.raises(DatabaseError), transaction.atomic():
        bulkwrite.create_with_history(
            Item,
            [{"code": "ZZ-98", "kind": "autonomy", "name": "y"}],
            user=world.user("provadmin"),
            same={"version_id": published.pk, "division_id": item.division_id},
        )
    assert published.items.filter(name="改").count() == 0
    assert not Item.objects.filter(code__in=["ZZ-98", "ZZ-99"]).exists()


def test_adopting_the_province_s_changes_keeps_the_county_s_own_cancellations(
    world, guidance, county_catalogue
):
    """An item the county cancelled stays cancelled: the province's new text is offered, not a reinstatement."""
    admin, keeper = world.user("provadmin"), world.user("keeper")
    county_draft = services.draft_get_or_create(catalogue=county_catalogue, user=keeper)
    inherited = [i for i in county_draft.items.order_by("code") if i.is_inherited]
    kept, cancelled = inherited[0], inherited[1]
    CatalogueItem.objects.filter(pk=cancelled.pk).update(
        status="cancelled", status_reason="本旗经动态管理撤销"
    )
    draft = services.draft_get_or_create(catalogue=guidance, user=admin)
    services.item_update(item=draft.items.get(code=kept.code), data={"hours_per_year": "60"}, user=admin)
    services.version_publish(version=draft, effective_from=date(2026, 3, 1), user=admin)
    _version, changes = services.guidance_changes(county_catalogue)
    assert [(c.code, c.change, c.fields) for c in changes] == [(kept.code, "changed", ["hours_per_year"])]

    draft = services.draft_get_or_create(catalogue=guidance, user=admin)
    services.item_update(item=draft.items.get(code=cancelled.code), data={"hours_per_year": "70"}, user=admin)
    services.version_publish(version=draft, effective_from=date(2026, 4, 1), user=admin)
    _version, changes = services.guidance_changes(county_catalogue)
    assert {(c.code, tuple(c.fields), c.reinstate) for c in changes} == {
        (kept.code, ("hours_per_year",), False),
        (cancelled.code, ("hours_per_year",), False),
    }
    services.guidance_adopt(catalogue=county_catalogue, user=keeper)
    after = county_draft.items.get(code=cancelled.code)
    assert (after.status, after.status_reason, after.hours_per_year) == (
        "cancelled",
        "本旗经动态管理撤销",
        70,
    )
    assert county_draft.items.get(code=kept.code).status == "active"
    assert services.guidance_changes(county_catalogue)[1] == []
