"""The event feed and the webhooks in the reusable permission suite (tests/permissions.py)."""

from __future__ import annotations

from organisations.choices import OrgKind, Role

from . import factories as f
from .permissions import ScopedEndpoint, register


def events(world):
    from audit.services import record_event

    inside = record_event(
        None, "tests.thing.happen", division=world.village_a1, publish=True, body={"n": 1}, url="/x/"
    )
    outside = record_event(
        None, "tests.thing.happen", division=world.village_c1, publish=True, body={"n": 2}, url="/y/"
    )
    return inside, outside


def other_portal(world):
    org = f.OrganisationFactory(kind=OrgKind.PORTAL, division=world.other_county)
    return f.UserFactory(role=Role.PORTAL_CLIENT, organisation=org)


def endpoints(world):
    from events.services import webhook_endpoint_create

    inside, _ = webhook_endpoint_create(user=world.user("portal"), url="https://hooks.example.org/in")
    outside, _ = webhook_endpoint_create(user=other_portal(world), url="https://hooks.example.org/out")
    return inside, outside


def deliveries(world):
    from events.models import WebhookDelivery

    ins, outs = endpoints(world)
    ev_in, ev_out = events(world)
    inside = WebhookDelivery.objects.create(endpoint=ins, event_id=ev_in.pk, event_type=ev_in.event_type)
    outside = WebhookDelivery.objects.create(endpoint=outs, event_id=ev_out.pk, event_type=ev_out.event_type)
    return inside, outside


register(
    ScopedEndpoint(
        name="api-events",
        make=events,
        list_url=lambda w: "/api/v1/events/?page_size=500",
        detail_url=lambda obj: f"/api/v1/events/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=("township", "submitter", "approver", "provadmin", "portal", "auditor"),
    )
)
register(
    ScopedEndpoint(
        name="api-webhooks",
        make=endpoints,
        list_url=lambda w: "/api/v1/webhooks/",
        detail_url=lambda obj: f"/api/v1/webhooks/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=("portal",),
        write=lambda client, obj: client.patch(
            f"/api/v1/webhooks/{obj.pk}/", {"active": False}, content_type="application/json"
        ),
        writers=("portal",),
    )
)
register(
    ScopedEndpoint(
        name="api-webhook-deliveries",
        make=deliveries,
        list_url=lambda w: "/api/v1/webhook-deliveries/",
        detail_url=lambda obj: f"/api/v1/webhook-deliveries/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=("portal",),
        write=lambda client, obj: client.post(f"/api/v1/webhook-deliveries/{obj.pk}/replay/"),
        writers=("portal",),
    )
)
