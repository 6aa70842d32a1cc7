from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import EventTypeView, EventViewSet, WebhookDeliveryViewSet, WebhookEndpointViewSet

router = SimpleRouter()
router.register("events", EventViewSet, basename="event")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")
router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")

urlpatterns = [path("event-types/", EventTypeView.as_view(), name="event-types"), *router.urls]
