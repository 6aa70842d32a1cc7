from rest_framework.routers import SimpleRouter

from .views import FormAssignmentViewSet, FormsPlanViewSet, PlanFormViewSet, UnplannedDemandViewSet

router = SimpleRouter()
router.register("forms-plans", FormsPlanViewSet, basename="forms-plan")
router.register("plan-forms", PlanFormViewSet, basename="plan-form")
router.register("form-assignments", FormAssignmentViewSet, basename="form-assignment")
router.register("unplanned-demands", UnplannedDemandViewSet, basename="unplanned-demand")

urlpatterns = router.urls
