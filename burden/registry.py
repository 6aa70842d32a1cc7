"""The burden account's lines: which keys are expected, and the sources the apps declare.

Each app declares what it adds to a village's burden in ``<app>/burden_sources.py``
(a list ``SOURCES``; BURDEN.md). This module finds them once with
``autodiscover_modules`` and lines them up against the expected keys: an
expected key no installed app provides is "not recorded", never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from django.utils.module_loading import autodiscover_modules, module_has_submodule
from django.utils.translation import gettext_lazy as _


class Source(Protocol):
    key: str
    label: Any
    order: int
    method: Any

    def per_village(self, villages, on) -> dict[str, tuple[int, float, bool]] | None: ...

    # A row may name its record as "object": (Model, pk); its link then shows only to users
    # whose Model.objects.restrict(user) holds it (selectors.links_for).
    def rows(self, villages, on, limit: int = 200) -> list[dict]: ...


@dataclass(frozen=True)
class Expected:
    key: str
    label: Any
    order: int
    owner: str


# The account's lines (BURDEN.md "Keys and owners"); labels here are shown only
# while the owner's source is missing, the owner's own label otherwise.
EXPECTED = [
    Expected("catalog_autonomy", _("Autonomy items in force"), 10, "catalogs"),
    Expected("catalog_assist", _("Assist items in force"), 20, "catalogs"),
    Expected("gate_tasks", _("Approved tasks dispatched to the village"), 30, "gate"),
    Expected("forms_planned", _("Forms in the approved plan"), 40, "formsplan"),
    Expected("forms_unplanned", _("Unplanned form demands"), 50, "formsplan"),
    Expected("inspections", _("Inspections and visits (迎检)"), 60, "monitoring"),
    Expected("burden_reports", _("Other burdens reported by monitors"), 65, "monitoring"),
    Expected("work_groups", _("Work groups (WeChat)"), 70, "workgroups"),
    Expected("work_apps", _("Government apps"), 75, "workgroups"),
    Expected("plaques_hung", _("Plaques hung"), 80, "signage"),
    Expected("plaques_noncompliant", _("Non-compliant plaques"), 85, "signage"),
    Expected("mechanisms", _("Working mechanisms and dedicated posts"), 90, "signage"),
    Expected("certificates_issued", _("Certificates issued"), 100, "certificates"),
    Expected("certificates_refused", _("Certificate demands refused"), 105, "certificates"),
    Expected("certificates_committed", _("Commitments instead of certificates"), 110, "certificates"),
    Expected("assessments", _("Assessments placed on the village"), 120, "assessments"),
]


@dataclass(frozen=True)
class Line:
    """One line of the account: the expected key and the source behind it (None: not recorded)."""

    key: str
    label: Any
    order: int
    owner: str
    source: Source | None

    @property
    def method(self) -> Any:
        return getattr(self.source, "method", "") if self.source else ""


@cache
def discovered() -> dict[str, Source]:
    """Every installed app's declared sources, by key (found once per process)."""
    import importlib

    from django.apps import apps

    autodiscover_modules("burden_sources")
    found: dict[str, Source] = {}
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "burden_sources"):
            continue
        module = importlib.import_module(f"{config.name}.burden_sources")
        for source in getattr(module, "SOURCES", []):
            if source.key in found:
                raise ValueError(f"burden source key {source.key!r} declared twice")
            found[source.key] = source
    return found


def lines() -> list[Line]:
    """The account's lines in order: expected keys first, then any extra key an app declares."""
    sources = discovered()
    out = [
        Line(
            e.key, getattr(sources.get(e.key), "label", None) or e.label, e.order, e.owner, sources.get(e.key)
        )
        for e in EXPECTED
    ]
    known = {e.key for e in EXPECTED}
    for key, source in sources.items():
        if key not in known:
            out.append(Line(key, source.label, source.order, "", source))
    return sorted(out, key=lambda line: (line.order, line.key))
