from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import SealCheckView, SealUseItemViewSet

router = SimpleRouter()
router.register("seal-items", SealUseItemViewSet, basename="seal-item")

urlpatterns = [
    path("seal-checks/", SealCheckView.as_view(), name="seal-check"),
    *router.urls,
]
