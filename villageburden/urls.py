from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from oauth2_provider import views as oauth2_views

from .health import healthz

# --- OAuth2: token, revoke and introspect only ------------------------------
# Portals use the client-credentials grant and are registered by
# `create_portal_client`: no authorization page (/o/authorize/), no device flow,
# no self-service application pages.
oauth2_endpoints = [
    path("token/", oauth2_views.TokenView.as_view(), name="token"),
    path("revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", oauth2_views.IntrospectTokenView.as_view(), name="introspect"),
]
# A request that lost the database gets a 503 with a message; any other error the Chinese 500 page.
handler500 = "villageburden.health.server_error"


def favicon(request):
    # Resolved per request: with the manifest storage the hashed name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


admin.site.site_header = _("Village Burden Registry administration")
admin.site.site_title = _("Village Burden Registry")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", include("workbench.urls")),
    path("accounts/", include("organisations.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("divisions/", include("divisions.urls")),
    path("catalogs/", include("catalogs.urls")),
    path("gate/", include("gate.urls")),
    path("plaques/", include("signage.urls")),
    path("notifications/", include("notifications.urls")),
    path("documents/", include("documents.urls")),
    path("certificates/", include("certificates.urls")),
    path("forms/", include("formsplan.urls")),
    path("workgroups/", include("workgroups.urls")),
    path("institutions/", include("institutions.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("burden/", include("burden.urls")),
    path("reports/", include("reports.urls")),
    path("assessments/", include("assessments.urls")),
    path("seals/", include("seals.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("villageburden.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("o/", include((oauth2_endpoints, "oauth2_provider"), namespace="oauth2_provider")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
]

handler400 = "villageburden.errors.bad_request"
handler403 = "villageburden.errors.permission_denied"
handler404 = "villageburden.errors.page_not_found"
# handler500 is villageburden.health.server_error (above): 503 for a lost database, else the Chinese 500 page.

# Uploaded files (attachments, spreadsheets) are never served from MEDIA_URL:
# each is fetched through a view that checks the caller's jurisdiction.
