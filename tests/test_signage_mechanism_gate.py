"""A new village working mechanism is a request to the gate at the province level (seed 002 §3(6)).

One engine, configured per level: screened like any request, no county review,
decided by the provincial admin with a reason; the registry entry follows the
gate's decision; an approval at the province never sends village tasks.
"""

from __future__ import annotations

import pytest

from gate import selectors as gate_selectors
from gate import services as gate_services
from gate.exceptions import NotPermitted
from gate.models import AccessRequest, VillageTask
from notifications.models import Notification
from signage import services
from signage.models import WorkingMechanism

pytestmark = pytest.mark.django_db

GRID = {"name": "嘎查网格站", "kind": "centre", "set_up_by": "旗委政法委", "basis": "none"}


def _request_new(world) -> WorkingMechanism:
    return services.mechanism_create(
        user=world.user("submitter"), village=world.village_a1, is_new=True, data=GRID
    )


def test_a_new_mechanism_waits_on_a_province_level_request(world, rules):
    mech = _request_new(world)
    req = AccessRequest.objects.get(pk=mech.access_request_id)
    assert mech.status == "pending"
    assert (req.level, req.division_id, req.status) == ("province", world.province.code, "awaiting_decision")
    assert list(req.scope_divisions.values_list("code", flat=True)) == [world.village_a1.code]
    # The province's admin is asked to decide; the county's approver is not.
    assert (
        Notification.objects.about(req).filter(user=world.user("provadmin"), kind="decision_needed").exists()
    )
    assert not Notification.objects.about(req).filter(user=world.user("approver")).exists()
    assert req in gate_selectors.queue_for(world.user("provadmin"))
    assert req not in gate_selectors.queue_for(world.user("approver"))
    # The department follows its request in the gate like any other.
    assert AccessRequest.objects.restrict(world.user("submitter")).filter(pk=req.pk).exists()


def test_only_the_province_decides_and_the_registry_follows_the_gate(world, rules):
    mech = _request_new(world)
    with pytest.raises((NotPermitted, AccessRequest.DoesNotExist)):
        gate_services.access_request_decide(
            user=world.user("approver"), request_id=mech.access_request_id, outcome="approve", reason="同意"
        )
    gate_services.access_request_decide(
        user=world.user("provadmin"), request_id=mech.access_request_id, outcome="approve", reason="确需设立"
    )
    mech.refresh_from_db()
    req = AccessRequest.objects.get(pk=mech.access_request_id)
    assert (mech.status, mech.basis, mech.basis_reference) == ("active", "provincial", req.number)
    assert mech.decision_reason == "确需设立" and mech.decided_by == world.user("provadmin")
    # An approval at the province creates a mechanism, never village tasks.
    with pytest.raises((NotPermitted, AccessRequest.DoesNotExist)):
        gate_services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    assert not VillageTask.objects.exists()


def test_withdrawing_the_request_withdraws_the_mechanism(world, rules):
    mech = _request_new(world)
    gate_services.access_request_withdraw(
        user=world.user("submitter"), request_id=mech.access_request_id, reason="改由村民委员会承担"
    )
    mech.refresh_from_db()
    assert mech.status == "withdrawn"


def test_a_township_cannot_file_to_the_province(world, rules):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.mechanism_create(
            user=world.user("township"), village=world.village_a1, is_new=True, data=GRID
        )
    assert not WorkingMechanism.objects.exists() and not AccessRequest.objects.exists()


def test_the_province_s_request_page_names_the_province_as_the_decider(world, rules, client):
    mech = _request_new(world)
    client.force_login(world.user("provadmin"))
    page = client.get(f"/gate/requests/{mech.access_request_id}/").content.decode()
    assert "省级审批" in page and "待审批决定" in page
    assert "旗县审批" not in page and "待旗县审批" not in page
