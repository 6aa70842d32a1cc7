"""REST endpoints: the public check and lists; the register for townships; demands for civil affairs."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from divisions.models import Division
from divisions.selectors import division_for_code
from institutions.selectors import institutions_visible_to
from villageburden.api import ScopedReadOnlyViewSet, ServiceErrors
from villageburden.pagination import DefaultCursorPagination

from .. import selectors, services
from ..models import CertificateItem, CertificateRequest
from . import serializers as s


class CertificateCheckView(APIView):
    """May a village organisation in this division be asked for this certificate? Public."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "division", str, required=True, description="County or village code (2–12 digits)."
            ),
            OpenApiParameter("q", str, required=True, description="The certificate, as people say it."),
        ],
        responses=s.CheckAnswerSerializer,
    )
    def get(self, request):
        query = s.CheckQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        division = division_for_code(query.validated_data["division"])
        if division is None:
            raise NotFound(_("No division has this code."))
        return Response(selectors.check_answer(division, query.validated_data["q"]))


class CertificateItemViewSet(ScopedReadOnlyViewSet):
    """Items of published certificate lists (and drafts inside a keeper's jurisdiction)."""

    queryset = CertificateItem.objects.select_related("version").order_by("version_id", "kind", "code")
    serializer_class = s.CertificateItemSerializer
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle]
    filterset_fields = ["division", "kind", "code", "version__status"]


class RegisterPagination(DefaultCursorPagination):
    ordering = ("-created", "-id")


class CertificateRequestViewSet(ServiceErrors, ScopedReadOnlyViewSet, viewsets.GenericViewSet):
    """The village register. Cursor-paginated; a constant number of queries per page."""

    # Only the columns a row shows: the joined items and documents carry long texts a list never needs.
    queryset = CertificateRequest.objects.select_related("village", "institution", "item", "document").only(
        *s.CertificateRequestSerializer.COLUMNS
    )
    serializer_class = s.CertificateRequestSerializer
    pagination_class = RegisterPagination
    filterset_fields = ["status", "village"]
    restrict_action_map = {
        **ScopedReadOnlyViewSet.restrict_action_map,
        "issue": "view",
        "refuse": "view",
        "commit": "view",
    }

    def list(self, request, *args, **kwargs):
        """A page of the register. Rows are read as values, not model instances: the page is one
        query and no per-row object building, so it costs little more than the SQL itself
        (bench/bench_register_api.py). The shape is the serializer's (``row_from_values``)."""
        rows = self.filter_queryset(self.get_queryset()).values(*s.VALUE_COLUMNS)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response([s.row_from_values(row) for row in page])

    @extend_schema(request=s.RequestCreateSerializer, responses={201: s.CertificateRequestSerializer})
    def create(self, request):
        data = s.RequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        village = Division.objects.filter(pk=v["village"]).first()
        if village is None:
            raise serializers.ValidationError({"village": [_("No village has this code.")]})
        item = None
        if v.get("item_code"):
            item = selectors.items_in_force(village).filter(code=v["item_code"]).first()
            if item is None:
                raise serializers.ValidationError({"item_code": ["未知的证明事项：清单中没有这个编号。"]})
        req = services.request_record(
            user=request.user,
            village=village,
            applicant_name=v["applicant_name"],
            id_number=v["id_number"],
            certificate_name=v["certificate_name"],
            purpose=v["purpose"],
            institution_name=v["institution_name"],
            item=item,
            due_on=v.get("due_on"),
        )
        return Response(self.get_serializer(req).data, status=status.HTTP_201_CREATED)

    def _handled(self, req):
        req = self.get_queryset().get(pk=req.pk)
        return Response(self.get_serializer(req).data)

    @extend_schema(request=s.IssueSerializer, responses=s.CertificateRequestSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue a retained-list certificate (numbered PDF)."""
        data = s.IssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        req = services.request_issue(request=self.get_object(), user=request.user, **data.validated_data)
        return self._handled(req)

    @extend_schema(request=s.RefuseSerializer, responses=s.CertificateRequestSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """Refuse a negative-list certificate with a slip citing the item."""
        data = s.RefuseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        req = self.get_object()
        code = data.validated_data["item_code"]
        item = selectors.items_in_force(req.village).filter(code=code).first() if code else None
        if code and item is None:
            raise serializers.ValidationError({"item": ["未知的证明事项：清单中没有这个编号。"]})
        req = services.request_refuse(request=req, user=request.user, item=item)
        return self._handled(req)

    @extend_schema(request=s.CommitSerializer, responses=s.CertificateRequestSerializer)
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        """The applicant signs a 告知承诺 instead (PDF)."""
        data = s.CommitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        req = services.request_commit(request=self.get_object(), user=request.user, **data.validated_data)
        return self._handled(req)


class DemandActionView(ServiceErrors, APIView):
    """Civil affairs: send a reminder letter to, or publish a notice about, a demanding institution."""

    @extend_schema(request=s.DemandActionSerializer, responses={201: None})
    def post(self, request):
        data = s.DemandActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        institutions = institutions_visible_to(request.user)
        institution = get_object_or_404(institutions, pk=v.pop("institution"))
        action = services.demand_action_create(institution=institution, user=request.user, **v)
        return Response(
            {
                "number": action.document.number,
                "kind": action.kind,
                "refusals": action.refusals,
                "document_url": action.document.get_absolute_url(),
            },
            status=status.HTTP_201_CREATED,
        )
