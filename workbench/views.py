"""The landing page for each role, and the public entrance."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from audit.selectors import AuditFilters
from divisions.models import Division, Level
from organisations.choices import Role
from organisations.models import Organisation
from villageburden.params import date_param, int_param

# Each role lands on its own panel: what that person does every day.
ROLE_PANELS = {
    Role.TOWNSHIP_STAFF: "workbench/roles/township_staff.html",
    Role.DEPT_SUBMITTER: "workbench/roles/dept_submitter.html",
    Role.COUNTY_REVIEWER: "workbench/roles/county_reviewer.html",
    Role.COUNTY_APPROVER: "workbench/roles/county_approver.html",
    Role.CATALOGUE_KEEPER: "workbench/roles/catalogue_keeper.html",
    Role.PROVINCIAL_ADMIN: "workbench/roles/provincial_admin.html",
    Role.MONITOR: "workbench/roles/monitor.html",
    Role.AUDITOR: "workbench/roles/auditor.html",
    Role.PORTAL_CLIENT: "workbench/roles/portal_client.html",
}


def home(request):
    """Signed-in users land on their role's workbench; everyone else on the public lists."""
    if not request.user.is_authenticated:
        return redirect("workbench:public")
    user = request.user
    jurisdiction = user.jurisdiction
    villages = Division.objects.restrict(user).filter(level=Level.VILLAGE)
    context = {
        "jurisdiction": jurisdiction,
        "ancestors": jurisdiction.ancestors() if jurisdiction else [],
        "village_count": villages.count(),
        "panel": ROLE_PANELS.get(user.role, "workbench/roles/superuser.html"),
    }
    return render(request, "workbench/home.html", context)


def public_index(request):
    """The public entrance, no login: each county's lists and access decisions, plaque rules."""
    from catalogs.models import Catalogue
    from signage.models import PlaqueRule

    catalogues = Catalogue.objects.published().select_related("division").order_by("division_id")
    provinces = Division.objects.filter(
        code__in=PlaqueRule.objects.values("division_id").distinct()
    ).order_by("code")
    return render(request, "workbench/public.html", {"catalogues": catalogues, "provinces": provinces})


AUDIT_COLUMNS = [
    ("time", _("time")),
    ("actor", _("actor")),
    ("organisation", _("organisation")),
    ("action", _("action")),
    ("object_type", _("object type")),
    ("object", _("object")),
    ("division", _("division")),
    ("summary", _("summary")),
    ("ip_address", _("IP address")),
    ("request_id", _("request id")),
]


def _audit_filters(request) -> AuditFilters:
    get = request.GET
    return AuditFilters(
        date_from=date_param(request, "date_from"),
        date_to=date_param(request, "date_to"),
        actor=get.get("actor", "").strip()[:150],
        organisation=int_param(request, "organisation"),
        action=get.get("action", "").strip()[:60],
        obj=get.get("object", "").strip()[:200],
    )


@login_required
def audit_trail(request):
    """Auditors read the trail of their jurisdiction; superusers all of it. The CSV is the page's rows."""
    from django.core.exceptions import PermissionDenied
    from django.core.paginator import Paginator

    from audit import selectors
    from audit.labels import action_choices

    if not (request.user.is_superuser or request.user.role == Role.AUDITOR):
        raise PermissionDenied
    filters = _audit_filters(request)
    events = selectors.events_for(request.user, filters)
    clear = selectors.sees_in_clear(request.user)
    if request.GET.get("format") == "csv":
        from villageburden.exports import csv_response

        keys = [k for k, _label in AUDIT_COLUMNS]
        data = (
            [row[k] for k in keys] for row in selectors.rows(events.iterator(chunk_size=2000), clear=clear)
        )
        return csv_response("audit-trail.csv", [str(label) for _k, label in AUDIT_COLUMNS], data)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "workbench/audit.html",
        {
            "page": page,
            "rows": list(selectors.rows(page.object_list, clear=clear)),
            "filters": filters,
            "actions": action_choices(),
            "organisations": Organisation.objects.restrict(request.user).order_by("name"),
            "query": query.urlencode(),
            "clear": clear,
        },
    )
