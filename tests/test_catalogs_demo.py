"""The demo lists load from the policy fixtures, and loading twice changes nothing."""

import io
from datetime import date
from pathlib import Path

from django.conf import settings

from catalogs import demo, selectors
from catalogs.models import CatalogueItem
from divisions.models import Division
from divisions.services import import_divisions
from organisations.demo import seed_people


def test_demo_seed_is_idempotent_and_cites_sources(db):
    import_divisions(Path(settings.BASE_DIR) / "fixtures" / "divisions-150223")
    seed_people()
    out = io.StringIO()
    demo.seed(out)
    count = CatalogueItem.objects.count()
    demo.seed(out)
    assert CatalogueItem.objects.count() == count
    assert "unchanged" in out.getvalue()
    village = Division.objects.filter(code__startswith="150223", level=5).first()
    items = selectors.items_in_force(village, date.today())
    kinds = {k: items.filter(kind=k).count() for k in ("autonomy", "assist", "negative")}
    assert kinds["negative"] == 7 and kinds["autonomy"] >= 10 and kinds["assist"] >= 20
    assert not items.filter(source="").exists()
    demolition = items.get(kind="negative", name="拆迁拆违")
    assert {"拆迁", "拆违", "违建", "强拆", "征收"} <= set(demolition.keywords.split())
    assert demolition.inherited_from is not None
