"""The public page of a province's plaque rules (no login: villagers may check what may hang)."""

from django.shortcuts import get_object_or_404, render

from divisions.models import Division, Level

from .models import Placement, PlaqueRule


def rules(request, code: str):
    province = get_object_or_404(Division, code=code.ljust(12, "0")[:12], level=Level.PROVINCE)
    rows = PlaqueRule.objects.filter(division=province)
    return render(
        request,
        "signage/rules.html",
        {
            "province": province,
            "outside": [r for r in rows if r.placement == Placement.OUTSIDE],
            "inside": [r for r in rows if r.placement == Placement.INSIDE],
        },
    )
