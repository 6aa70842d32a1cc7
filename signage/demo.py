"""Demo plaques and mechanisms in 百灵庙镇 (called by ``manage.py seed_demo``).

Everything goes through the services as the township clerk, so the demo has
the checks, rectification items and audit events a real run has. Safe to
re-run: a village that already has an inventory is left as it is.
"""

from __future__ import annotations

from django.utils import timezone

from divisions.models import Division
from divisions.services import village_attributes_update
from organisations.models import User

from . import services
from .models import VillagePlaque, WorkingMechanism

VILLAGE = "150223104201"  # 红格塔拉嘎查村 → 红格塔拉嘎查

PLAQUES = [
    # which rule, text, colours, languages, note
    ("嘎查村党组织", "中共红格塔拉嘎查支部委员会", ("white", "red"), ["zh", "mn"], {}),
    ("嘎查村民委员会", "红格塔拉嘎查村民委员会", ("white", "black"), ["zh"], {}),  # Mongolian missing
    ("嘎查村集体经济组织", "红格塔拉嘎查股份经济合作社", ("white", "black"), ["zh", "mn"], {}),
    (
        "嘎查村务监督委员会",
        "红格塔拉村务监督委员会",
        ("white", "black"),
        ["zh", "mn"],
        {},
    ),  # not the full name
    (
        "",
        "红格塔拉嘎查综治工作站",
        ("white", "blue"),
        ["zh"],
        {"owner_department": "旗委政法委"},
    ),  # not allowed
    ("", "红格塔拉嘎查农牧业技术推广站", ("white", "black"), ["zh"], {"owner_department": "旗农牧和科技局"}),
]


def seed(stdout) -> None:
    created, rules = services.plaque_rules_load()
    stdout.write(f"signage: rule sets {created} created ({rules} rules)")
    created, rules = services.plaque_rules_load(path=services.COMMUNITY_RULES_PATH)
    stdout.write(f"signage: community rule sets {created} created ({rules} rules)")
    village = Division.objects.filter(code=VILLAGE).first()
    clerk = User.objects.filter(username="township").first()
    if village is None or clerk is None:
        return
    if VillagePlaque.objects.filter(village=village).exists():
        stdout.write("signage: demo inventory already there")
        return
    village_attributes_update(
        user=clerk,
        code=VILLAGE,
        data={"area_type": "pastoral", "households": 214, "service_floor_area": "120"},
    )
    for rule, text, (ground, colour), languages, extra in PLAQUES:
        services.village_plaque_record(
            user=clerk,
            village=village,
            data={
                "rule_name": rule,
                "text": text,
                "placement": "outside",
                "kind": "plaque",
                "shape": "strip",
                "width_cm": 40,
                "height_cm": 200,
                "ground_colour": ground,
                "text_colour": colour,
                "typeface": "song",
                "material": "不锈钢",
                "languages": languages,
                **extra,
            },
        )
    extra_plaque = VillagePlaque.objects.get(village=village, text="红格塔拉嘎查农牧业技术推广站")
    services.village_plaque_remove(
        user=clerk,
        plaque_id=extra_plaque.pk,
        removed_on=timezone.localdate(),
        note="已摘除，功能并入党群服务中心",
    )
    if not WorkingMechanism.objects.filter(village=village).exists():
        services.mechanism_create(
            user=clerk,
            village=village,
            is_new=False,
            data={"name": "嘎查禁毒工作站", "kind": "centre", "set_up_by": "旗禁毒办", "basis": "none"},
        )
        services.mechanism_create(
            user=clerk,
            village=village,
            is_new=False,
            data={
                "name": "嘎查人民调解委员会",
                "kind": "leading_group",
                "set_up_by": "旗司法局",
                "basis": "law",
                "basis_reference": "《中华人民共和国人民调解法》第八条",
                "provides_staff": "村民委员会成员兼任",
                "provides_funding": "旗司法局",
            },
        )
        # A new one is the department's request to the province, through the gate.
        department = User.objects.filter(username="submitter").first() or clerk
        services.mechanism_create(
            user=department,
            village=village,
            is_new=True,
            data={
                "name": "嘎查网格化服务管理站",
                "kind": "centre",
                "set_up_by": "旗委政法委",
                "basis": "provincial",
            },
        )
    stdout.write("signage: demo inventory of 红格塔拉嘎查 recorded")
