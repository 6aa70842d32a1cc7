"""The landing page for each role, and the public entrance."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from divisions.models import Division, Level
from organisations.choices import Role

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


@login_required
def audit_trail(request):
    """Auditors read the trail of their jurisdiction; superusers all of it."""
    from django.core.exceptions import PermissionDenied
    from django.core.paginator import Paginator

    from audit.models import AuditEvent

    if not (request.user.is_superuser or request.user.role == Role.AUDITOR):
        raise PermissionDenied
    events = AuditEvent.objects.restrict(request.user).select_related("division")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    if request.GET.get("format") == "csv":
        from villageburden.exports import csv_response

        rows = (
            (
                e.created.isoformat(),
                e.actor_name,
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                e.division_id or "",
                e.summary,
                e.ip_address or "",
                e.request_id,
            )
            for e in events.iterator(chunk_size=2000)
        )
        header = [
            "time",
            "actor",
            "action",
            "object_type",
            "object_id",
            "object",
            "division",
            "summary",
            "ip_address",
            "request_id",
        ]
        return csv_response("audit-trail.csv", header, rows)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "workbench/audit.html", {"page": page, "action": action})
