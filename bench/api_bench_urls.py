"""The project's URLs plus the baseline of ``bench_api_list.py``: a bare JsonResponse of the same rows."""

from django.http import JsonResponse
from django.urls import include, path

from divisions.api.views import VALUE_FIELDS as FIELDS  # the columns the endpoint reads
from divisions.models import Division


def bare_divisions(request):
    """The same scoped page (first 50 in code order) as plain dicts; no DRF, no serializer."""
    rows = list(Division.objects.restrict(request.user, "view").order_by("code").values(*FIELDS)[:50])
    return JsonResponse({"results": rows})


urlpatterns = [
    path("bench/bare-divisions/", bare_divisions),
    path("", include("villageburden.urls")),
]
