"""Loading the plaque rules from the policy data in fixtures/signage/."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from audit.services import record_event

from .models import PlaqueRule

RULES_PATH = Path(settings.BASE_DIR) / "fixtures" / "signage" / "plaque_rules.json"


@transaction.atomic
def plaque_rules_load(*, path: Path = RULES_PATH) -> tuple[int, int]:
    """Create or update the rules of provinces present in the database. Returns (created, updated)."""
    from divisions.models import Division

    rules = json.loads(path.read_text(encoding="utf-8"))["rules"]
    present = set(
        Division.objects.filter(code__in={r["province"] for r in rules}).values_list("code", flat=True)
    )
    created = updated = 0
    for r in rules:
        if r["province"] not in present:
            continue
        values = {
            "kind": r["kind"],
            "order": r["order"],
            "ground_colour": r["ground"],
            "text_colour": r["text"],
            "typeface": r["typeface"],
            "size": r["size"],
            "material": r["material"],
            "note": r["note"],
            "source": r["source"],
        }
        rule = (
            PlaqueRule.objects.select_for_update()
            .filter(division_id=r["province"], placement=r["placement"], name=r["name"])
            .first()
        )
        if rule is None:
            PlaqueRule.objects.create(
                division_id=r["province"], placement=r["placement"], name=r["name"], **values
            )
            created += 1
        elif any(getattr(rule, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(rule, k, v)
            rule.save()
            updated += 1
    if created or updated:
        record_event(
            None, "signage.rules_load", summary=f"{created} created, {updated} updated from {path.name}"
        )
    return created, updated
