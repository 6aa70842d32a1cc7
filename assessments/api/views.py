"""REST endpoints: the public list and check; the township assessments and survey aggregates, scoped."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from divisions.selectors import division_for_code
from listchanges.api import ProposalViewSetBase
from villageburden.api import ScopedReadOnlyViewSet

from .. import selectors, services
from ..models import AssessmentChangeProposal, AssessmentItem, IntegratedAssessment, Survey
from . import serializers as s


class AssessmentItemViewSet(ScopedReadOnlyViewSet):
    """Items of published assessment items lists (and drafts inside a keeper's jurisdiction). Public."""

    queryset = AssessmentItem.objects.select_related("version__assessment_list").order_by(
        "version_id", "code"
    )
    serializer_class = s.AssessmentItemSerializer
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle]
    filterset_fields = ["division", "kind", "code", "version__status", "version__assessment_list__applies_to"]


class AssessmentProposalViewSet(ProposalViewSetBase):
    """Dynamic management of the assessment items list: propose, consult, assess, approve or reject."""

    procedure = services.PROCEDURE
    queryset = AssessmentChangeProposal.objects.select_related("proposed_by").prefetch_related("steps__actor")
    serializer_class = s.AssessmentProposalSerializer
    filterset_fields = ["assessment_list", "status", "action"]


class IntegratedAssessmentViewSet(ScopedReadOnlyViewSet):
    """Townships' integrated assessments: method, criteria with weights and trace warnings, questions."""

    queryset = IntegratedAssessment.objects.prefetch_related("criteria", "questions").order_by(
        "-year", "township_id"
    )
    serializer_class = s.IntegratedAssessmentSerializer
    filterset_fields = ["township", "year", "status"]


class SurveyResultViewSet(ScopedReadOnlyViewSet):
    """Villages' survey results as aggregates (answer count; satisfaction from the minimum group size on)."""

    queryset = Survey.objects.order_by("assessment_id", "village_id")
    serializer_class = s.SurveyResultSerializer
    filterset_fields = ["assessment", "village", "status"]


class ListedAssessmentView(APIView):
    """Is this assessment on the county's list? One that is not is an unauthorised demand. Public."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("division", str, required=True, description="County code (6 or 12 digits)."),
            OpenApiParameter("q", str, required=True, description="The assessment as people say it."),
        ],
        responses=s.ListedAnswerSerializer,
    )
    def get(self, request):
        query = s.ListedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        county = division_for_code(query.validated_data["division"])
        if county is None:
            raise NotFound(_("No division has this code."))
        answer = selectors.listed_assessment(county, query.validated_data["q"])
        return Response(s.ListedAnswerSerializer(answer).data)
