"""``{{ item.source|cite }}``: a source as its reader sees it (a builtin: no ``{% load %}`` needed)."""

from django import template
from django.utils.safestring import SafeData, mark_safe

from villageburden.sources import cite as _cite

register = template.Library()


@register.filter
def cite(value):
    """The policy documents named by their titles (villageburden.sources); safe text stays safe."""
    if value is None:
        return value
    cited = _cite(str(value))
    return mark_safe(cited) if isinstance(value, SafeData) else cited
