"""The event feed, the published event types, webhook endpoints and their deliveries.

The feed is read through ``events.selectors`` (scoped by the audit trail's
``restrict``); every webhook change is a service call.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from oauth2_provider.contrib.rest_framework import IsAuthenticatedOrTokenHasScope
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as BadRequest
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditEvent
from audit.published import EVENT_TYPES, TYPE_PATTERN
from villageburden.params import int_param

from .. import selectors, services
from ..models import WebhookDelivery, WebhookEndpoint
from . import serializers as s

MAX_PAGE = 500
DEFAULT_PAGE = 100


def _run(fn):
    """Service errors as responses: 400 per field, 403 for the role, 404 out of reach."""
    try:
        return fn()
    except ObjectDoesNotExist:
        raise Http404 from None
    except PermissionDenied as exc:
        return Response({"code": "not_permitted", "detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)


class FeedPageSchema(AutoSchema):
    """The feed's ``list`` answers one page object (results + cursor), not an array."""

    def _is_list_view(self, serializer=None) -> bool:
        if getattr(self.view, "action", None) == "list":
            return False
        return super()._is_list_view(serializer)


class EventViewSet(viewsets.GenericViewSet):
    """Every published event you may see, in commit order, after a cursor."""

    schema = FeedPageSchema()

    permission_classes = [IsAuthenticatedOrTokenHasScope]
    required_scopes = ["read"]
    serializer_class = s.EventSerializer
    pagination_class = None
    filter_backends: list = []
    queryset = AuditEvent.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.visible_events(self.request.user)

    @extend_schema(
        operation_id="v1_events_list",
        summary="The event feed: what happened in your jurisdiction, in commit order",
        parameters=[
            OpenApiParameter(
                "after",
                str,
                description="A cursor from an earlier page or event; omit to start at the beginning.",
            ),
            OpenApiParameter(
                "type", str, many=True, description="Only these types (repeat or comma-separate)."
            ),
            OpenApiParameter(
                "division", str, description="Only events in this division's subtree (12-digit code)."
            ),
            OpenApiParameter("page_size", int, description=f"1..{MAX_PAGE}, default {DEFAULT_PAGE}."),
        ],
        responses=s.EventPageSerializer,
    )
    def list(self, request):
        params = request.query_params
        after = None
        if params.get("after"):
            try:
                after = selectors.Cursor.parse(params["after"])
            except ValueError:
                raise BadRequest({"after": ["游标格式不正确（应为上一页返回的 cursor）。"]}) from None
        types = [t for raw in params.getlist("type") for t in raw.split(",") if t]
        bad = sorted(t for t in types if not TYPE_PATTERN.match(t))
        if bad:
            raise BadRequest({"type": [f"事件类型格式不正确：{', '.join(bad)}（如 gate.request.approve）"]})
        prefix = None
        if params.get("division"):
            prefix = selectors.division_prefix(params["division"])
            if prefix is None:
                raise BadRequest({"division": ["没有这个区划代码。"]})
        try:
            size = min(max(int(params.get("page_size", DEFAULT_PAGE)), 1), MAX_PAGE)
        except ValueError:
            raise BadRequest({"page_size": ["每页条数应为整数。"]}) from None
        rows, more = selectors.feed_page(
            request.user, after=after, types=types, division_prefix=prefix, limit=size
        )
        base = request.build_absolute_uri("/").rstrip("/")
        results = [services.payload(e, base_url=base) for e in rows]
        cursor = results[-1]["cursor"] if results else (str(after) if after else None)
        next_url = None
        if more:
            query = params.copy()
            query["after"] = cursor
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response({"results": results, "next": next_url, "cursor": cursor})

    @extend_schema(summary="One event", responses=s.EventSerializer)
    def retrieve(self, request, pk=None):
        try:
            event = self.get_queryset().get(pk=int(pk))
        except (ValueError, ObjectDoesNotExist):
            raise NotFound from None
        return Response(services.payload(event, base_url=request.build_absolute_uri("/").rstrip("/")))


class EventTypeView(APIView):
    """The published event types (public: a contract, holds no data)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="The published event types", responses=s.EventTypeSerializer(many=True))
    def get(self, request):
        return Response([{"type": t, "description": e.description} for t, e in sorted(EVENT_TYPES.items())])


@extend_schema_view(
    list=extend_schema(summary="Your webhook endpoints"),
    retrieve=extend_schema(summary="One webhook endpoint"),
    partial_update=extend_schema(
        summary="Change an endpoint (url, event_types, active: re-enable a disabled one)"
    ),
    destroy=extend_schema(summary="Delete an endpoint"),
)
class WebhookEndpointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Endpoints registered by the calling portal client (scope ``webhooks``)."""

    permission_classes = [IsAuthenticatedOrTokenHasScope]
    required_scopes = ["webhooks"]
    serializer_class = s.WebhookEndpointSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = WebhookEndpoint.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return WebhookEndpoint.objects.restrict(self.request.user, "view")

    @extend_schema(
        summary="Register an endpoint; the response holds its signing secret, shown once",
        request=s.WebhookEndpointCreateSerializer,
        responses={201: s.WebhookEndpointCreatedSerializer},
    )
    def create(self, request):
        data = s.WebhookEndpointCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data

        def run():
            endpoint, secret = services.webhook_endpoint_create(
                user=request.user,
                url=v["url"],
                event_types=v.get("event_types", []),
                description=v.get("description", ""),
                contact_email=v.get("contact_email", ""),
                from_now=v["from_now"],
            )
            out = s.WebhookEndpointSerializer(endpoint).data
            return Response({**out, "secret": secret}, status=status.HTTP_201_CREATED)

        return _run(run)

    def partial_update(self, request, pk=None):
        endpoint = self.get_object()
        data = s.WebhookEndpointSerializer(endpoint, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = data.validated_data

        def run():
            changed = services.webhook_endpoint_update(user=request.user, endpoint_id=endpoint.pk, **v)
            return Response(s.WebhookEndpointSerializer(changed).data)

        return _run(run)

    def destroy(self, request, pk=None):
        endpoint = self.get_object()
        return _run(
            lambda: (
                services.webhook_endpoint_delete(user=request.user, endpoint_id=endpoint.pk)
                or Response(status=status.HTTP_204_NO_CONTENT)
            )
        )

    @extend_schema(
        summary="A new signing secret (shown once); the old one stops at once",
        request=None,
        responses=s.SecretSerializer,
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint = self.get_object()
        return _run(
            lambda: Response(
                {"secret": services.webhook_secret_rotate(user=request.user, endpoint_id=endpoint.pk)}
            )
        )


@extend_schema_view(
    list=extend_schema(
        summary="Deliveries to your endpoints, each with its attempts",
        parameters=[
            OpenApiParameter("endpoint", int, description="Only this endpoint's deliveries."),
            OpenApiParameter("status", str, description="pending, sending, succeeded or failed."),
        ],
    ),
    retrieve=extend_schema(summary="One delivery with its attempts"),
)
class WebhookDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticatedOrTokenHasScope]
    required_scopes = ["webhooks"]
    serializer_class = s.WebhookDeliverySerializer
    filter_backends: list = []
    queryset = WebhookDelivery.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        qs = WebhookDelivery.objects.restrict(self.request.user, "view").prefetch_related("attempt_log")
        params = self.request.query_params
        endpoint = int_param(self.request, "endpoint", minimum=1)  # out of range: a 400, never a 500
        if endpoint is not None:
            qs = qs.filter(endpoint_id=endpoint)
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return qs

    @extend_schema(summary="Send a delivery again now (a new attempt, same Webhook-Id)", request=None)
    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        delivery = self.get_object()
        return _run(
            lambda: Response(
                s.WebhookDeliverySerializer(
                    services.webhook_delivery_replay(user=request.user, delivery_id=delivery.pk)
                ).data
            )
        )
