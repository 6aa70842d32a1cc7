"""/api/v1/: every app's routes, one prefix."""

from django.urls import include, path

urlpatterns = [
    path("", include("divisions.api.urls")),
    path("", include("catalogs.api.urls")),
    path("", include("gate.api.urls")),
    path("", include("events.api.urls")),
    path("", include("certificates.api.urls")),
    path("", include("signage.api.urls")),
    path("", include("formsplan.api.urls")),
    path("", include("workgroups.api.urls")),
    path("", include("monitoring.api.urls")),
    path("", include("burden.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("assessments.api.urls")),
    path("", include("seals.api.urls")),
]
