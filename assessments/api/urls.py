from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    AssessmentItemViewSet,
    AssessmentProposalViewSet,
    IntegratedAssessmentViewSet,
    ListedAssessmentView,
    SurveyResultViewSet,
)

router = SimpleRouter()
router.register("assessment-items", AssessmentItemViewSet, basename="assessment-item")
router.register("assessment-proposals", AssessmentProposalViewSet, basename="assessment-proposal")
router.register("integrated-assessments", IntegratedAssessmentViewSet, basename="integrated-assessment")
router.register("assessment-surveys", SurveyResultViewSet, basename="assessment-survey")

urlpatterns = [
    path("assessment-checks/", ListedAssessmentView.as_view(), name="assessment-check"),
    *router.urls,
]
