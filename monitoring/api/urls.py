from rest_framework.routers import SimpleRouter

from .views import BurdenReportViewSet, MonitoringPointViewSet

router = SimpleRouter()
router.register("monitoring-points", MonitoringPointViewSet, basename="monitoring-point")
router.register("burden-reports", BurdenReportViewSet, basename="burden-report")

urlpatterns = router.urls
