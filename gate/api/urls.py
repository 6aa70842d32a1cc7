from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import AccessRequestViewSet, ItemDispatchView, ScreeningView, VillageTaskViewSet

router = SimpleRouter()
router.register("access-requests", AccessRequestViewSet, basename="access-request")
router.register("village-tasks", VillageTaskViewSet, basename="village-task")

urlpatterns = [
    path("screenings/", ScreeningView.as_view(), name="screening"),
    path("item-dispatches/", ItemDispatchView.as_view(), name="item-dispatch"),
    *router.urls,
]
