"""The plaque registry's scoped endpoints and pages in the reusable permission suite (tests/permissions.py)."""

from __future__ import annotations

from divisions.models import Level

from . import factories as f
from .permissions import ScopedEndpoint, register


def _rules(world):
    """A draft rule of Inner Mongolia (inside: only its provincial admins see drafts) and one of Shandong (outside)."""
    from signage.models import PlaqueRule, RuleSet
    from signage.services import plaque_rules_load, ruleset_draft_open

    plaque_rules_load()
    draft = ruleset_draft_open(user=world.user("provadmin"), province=world.province)
    inside = PlaqueRule.objects.get(ruleset=draft, name="嘎查村党组织")
    sd = f.division("37", "山东省", Level.PROVINCE)
    number = RuleSet.objects.filter(division=sd).count() + 1
    sd_draft = RuleSet.objects.create(division=sd, number=number, title="山东省挂牌规定（草稿）")
    outside = PlaqueRule.objects.create(
        ruleset=sd_draft, division=sd, placement="outside", kind="plaque", name="草稿牌子甲", source="测试"
    )
    return inside, outside


def _rulesets(world):
    inside, outside = _rules(world)
    return inside.ruleset, outside.ruleset


def _plaques(world):
    from signage.models import VillagePlaque

    def make(village, text, user):
        return VillagePlaque.objects.create(
            village=village, text=text, placement="outside", recorded_by=user, rule_name=""
        )

    return (
        make(world.village_a1, "哈达图嘎查测试牌甲", world.user("township")),
        make(world.village_c1, "东园村测试牌乙", world.user("outsider")),
    )


def _rectifications(world):
    from signage.models import Rectification

    _rules(world)
    from signage.selectors import ruleset_in_force

    rs = ruleset_in_force(world.province)
    a, c = _plaques(world)

    def make(p):
        return Rectification.objects.create(
            village=p.village, plaque=p, ruleset=rs, key=f"not_allowed:{p.pk}", kind="not_allowed",
            message=f"{p.text}不在清单内", source="测试", due_on="2030-01-01",
        )  # fmt: skip

    return make(a), make(c)


def _mechanisms(world):
    from signage.models import WorkingMechanism

    def make(village, name, user):
        return WorkingMechanism.objects.create(
            village=village, name=name, kind="centre", set_up_by="测试局", basis="none", requested_by=user
        )

    return (
        make(world.village_a1, "哈达图测试工作站", world.user("township")),
        make(world.village_c1, "东园村测试工作站", world.user("outsider")),
    )


register(
    ScopedEndpoint(
        name="api-plaque-rules",
        make=_rules,
        list_url=lambda w: "/api/v1/plaque-rules/?ruleset_status=draft",
        detail_url=lambda obj: f"/api/v1/plaque-rules/{obj.pk}/",
        row_id=lambda obj: f"{obj.name}",
        visible_to=("provadmin",),
        anonymous_allowed=True,  # published rules are public; drafts: tests/test_signage_api.py
        write=lambda c, obj: c.patch(
            f"/api/v1/plaque-rules/{obj.pk}/", {"typeface": "hei"}, content_type="application/json"
        ),
        writers=("provadmin",),
    )
)
register(
    ScopedEndpoint(
        name="api-plaque-rulesets",
        make=_rulesets,
        list_url=lambda w: "/api/v1/plaque-rulesets/?status=draft",
        detail_url=lambda obj: f"/api/v1/plaque-rulesets/{obj.pk}/",
        row_id=lambda obj: obj.title,
        visible_to=("provadmin",),
        anonymous_allowed=True,  # published rules are public; drafts: tests/test_signage_api.py
        write=lambda c, obj: c.post(
            f"/api/v1/plaque-rulesets/{obj.pk}/publish/",
            {"effective_from": "2031-01-01"},
            content_type="application/json",
        ),
        writers=("provadmin",),
    )
)
register(
    ScopedEndpoint(
        name="api-village-plaques",
        make=_plaques,
        list_url=lambda w: "/api/v1/village-plaques/?page_size=500",
        detail_url=lambda obj: f"/api/v1/village-plaques/{obj.pk}/",
        row_id=lambda obj: obj.text,
        write=lambda c, obj: c.patch(
            f"/api/v1/village-plaques/{obj.pk}/", {"text": "改过的牌子"}, content_type="application/json"
        ),
        writers=("township", "outsider"),
    )
)
register(
    ScopedEndpoint(
        name="api-plaque-rectifications",
        make=_rectifications,
        list_url=lambda w: "/api/v1/plaque-rectifications/?page_size=500",
        detail_url=lambda obj: f"/api/v1/plaque-rectifications/{obj.pk}/",
        row_id=lambda obj: obj.message,
    )
)
register(
    ScopedEndpoint(
        name="api-mechanisms",
        make=_mechanisms,
        list_url=lambda w: "/api/v1/mechanisms/?page_size=500",
        detail_url=lambda obj: f"/api/v1/mechanisms/{obj.pk}/",
        row_id=lambda obj: obj.name,
        write=lambda c, obj: c.post(
            f"/api/v1/mechanisms/{obj.pk}/cleanup/",
            {"decision": "abolish", "reason": "无依据"},
            content_type="application/json",
        ),
        writers=("township", "approver", "outsider"),
    )
)
register(
    ScopedEndpoint(
        name="page-signage-villages",
        make=lambda w: (w.village_a1, w.village_c1),
        list_url=lambda w: "/plaques/villages/",
        detail_url=lambda obj: f"/plaques/villages/{obj.code}/",
        row_id=lambda obj: obj.code,
        api=False,
    )
)
register(
    ScopedEndpoint(
        name="page-mechanisms",
        make=_mechanisms,
        list_url=lambda w: "/plaques/mechanisms/",
        detail_url=lambda obj: f"/plaques/mechanisms/{obj.pk}/",
        row_id=lambda obj: obj.name,
        api=False,
    )
)
register(
    ScopedEndpoint(
        name="page-village-attributes",
        make=lambda w: (w.village_a1, w.village_c1),
        list_url=lambda w: "/divisions/?q=1502",
        detail_url=lambda obj: f"/divisions/{obj.code}/edit/",
        row_id=lambda obj: obj.code,
        api=False,
        visible_to=("township",),
    )
)


def _import_jobs(world):
    from signage.models import PlaqueImportJob

    def make(user, name):
        return PlaqueImportJob.objects.create(
            division=user.jurisdiction, created_by=user, original_name=name, file="plaque-imports/test.csv"
        )

    return make(world.user("township"), "哈达图测试导入.csv"), make(
        world.user("outsider"), "东园村测试导入.csv"
    )


register(
    ScopedEndpoint(
        name="page-plaque-imports",
        make=_import_jobs,
        list_url=lambda w: "/plaques/import/",
        detail_url=lambda obj: f"/plaques/import/{obj.pk}/",
        row_id=lambda obj: obj.original_name,
        api=False,
        write=lambda c, obj: c.post(f"/plaques/import/{obj.pk}/confirm/"),
        writers=("township", "outsider"),
    )
)
