from rest_framework.routers import SimpleRouter

from .views import DivisionViewSet

router = SimpleRouter()
router.register("divisions", DivisionViewSet, basename="division")

urlpatterns = router.urls
