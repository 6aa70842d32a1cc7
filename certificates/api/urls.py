from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CertificateCheckView, CertificateItemViewSet, CertificateRequestViewSet, DemandActionView

router = SimpleRouter()
router.register("certificate-items", CertificateItemViewSet, basename="certificate-item")
router.register("certificate-requests", CertificateRequestViewSet, basename="certificate-request")

urlpatterns = [
    path("certificate-checks/", CertificateCheckView.as_view(), name="certificate-check"),
    path("certificate-demand-actions/", DemandActionView.as_view(), name="certificate-demand-action"),
    *router.urls,
]
