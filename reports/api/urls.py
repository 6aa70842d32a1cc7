from rest_framework.routers import SimpleRouter

from .views import PlanTaskViewSet, ReportViewSet

router = SimpleRouter()
router.register("plan-tasks", PlanTaskViewSet, basename="plan-task")
router.register("reports", ReportViewSet, basename="report")

urlpatterns = router.urls
