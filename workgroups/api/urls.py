from rest_framework.routers import SimpleRouter

from .views import WorkChannelViewSet

router = SimpleRouter()
router.register("work-channels", WorkChannelViewSet, basename="work-channel")

urlpatterns = router.urls
