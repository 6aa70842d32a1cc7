"""The catalogue panel of the keeper's and the provincial admin's workbench."""

from django import template

from .. import selectors, services
from ..choices import VersionStatus
from ..models import Catalogue, ChangeProposal, ImportJob

register = template.Library()


@register.inclusion_tag("catalogs/_panel.html", takes_context=True)
def catalogue_panel(context):
    user = context["request"].user
    home = user.jurisdiction
    catalogue = Catalogue.objects.filter(division=home).first() if home else None
    data = {"catalogue": catalogue, "user": user}
    if catalogue is not None:
        data.update(
            in_force=selectors.version_in_force(catalogue),
            draft=catalogue.versions.filter(status=VersionStatus.DRAFT).first(),
            pending=len(services.guidance_changes(catalogue)[1]) if catalogue.guidance_id else 0,
            totals=(selectors.kind_totals(v) if (v := selectors.version_in_force(catalogue)) else {}),
        )
    data["open_proposals"] = ChangeProposal.objects.restrict(user).open().select_related("catalogue")[:5]
    data["derived"] = (
        Catalogue.objects.restrict(user).filter(guidance=catalogue).select_related("division")[:20]
        if catalogue is not None
        else []
    )
    data["jobs"] = ImportJob.objects.restrict(user).filter(created_by=user)[:3]
    return data
