"""Demo certificate lists and register for 达尔罕茂明安联合旗.

- Inner Mongolia's negative list: the Ministry of Civil Affairs' first batch
  (民发〔2020〕20号, 20 items; ``fixtures/certificates/negative_mca_2020.json``)
  — seed 000 §9 orders the region's own list; its text is not in the seeds.
- The county's lists inherit it and add a retained list of 7 (Yubei kept 7,
  seed 001), written from the seeds' rules; no seed cites a legal basis for
  them, so each is flagged 缺依据 (``retained_demo_150223.json``).
- A few register entries (issued, refused for two institutions) so the
  figures and the ranking of demanding institutions have something to show.

Called by ``manage.py seed_demo``; safe to re-run.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from divisions.models import Division
from organisations.models import User

from . import services
from .models import CertificateList, CertificateRequest

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "certificates"
PROVINCE, COUNTY = "150000000000", "150223000000"
PROVINCE_EFFECTIVE = date(2024, 1, 1)
COUNTY_EFFECTIVE = date(2024, 3, 1)

# Demo applicants: ID numbers with valid check digits, made up for the demo.
DEMO_REQUESTS = [
    ("其木格", "150223199003150020", "健在证明", "领取养老金", "达茂旗某商业银行百灵庙支行", "refuse"),
    ("巴图", "150223198512070016", "在世证明", "办理存款业务", "达茂旗某商业银行百灵庙支行", "refuse"),
    ("王秀兰", "150223197011010029", "无犯罪记录证明", "应聘", "达茂旗某物业公司", "refuse"),
    ("张建国", "150223196508200018", "草场承包经营情况证明", "申请草原保险", "达茂旗某保险公司", "issue"),
]


def load(name: str) -> list[dict[str, Any]]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["items"]


def _publish(
    lists: CertificateList, user: User, items: list[dict[str, Any]], effective: date, note: str
) -> int:
    draft = services.draft_get_or_create(certificate_list=lists, user=user)
    for data in items:
        services.item_save(version=draft, data=data, user=user)
    services.version_publish(version=draft, effective_from=effective, user=user, note=note)
    return draft.items.count()


def _requests(stdout) -> None:
    township = User.objects.get(username="township")
    village = (
        Division.objects.filter(
            code__startswith="150223", level=5, parent__name="百灵庙镇", name__contains="嘎查"
        )
        .order_by("code")
        .first()
    )
    if village is None or CertificateRequest.objects.filter(village__code__startswith="150223").exists():
        return
    for name, id_number, certificate, purpose, institution, outcome in DEMO_REQUESTS:
        req = services.request_record(
            user=township,
            village=village,
            applicant_name=name,
            id_number=id_number,
            certificate_name=certificate,
            purpose=purpose,
            institution_name=institution,
        )
        if outcome == "refuse":
            services.request_refuse(request=req, user=township, item=req.item)
        else:
            services.request_issue(
                request=req, user=township, facts=f"系{village.name}村民，承包经营本嘎查草场"
            )
    # Spread the demo over the last weeks, so the period figures show something.
    for i, req in enumerate(CertificateRequest.objects.filter(village=village).order_by("pk")):
        when = timezone.now() - timedelta(days=3 * (len(DEMO_REQUESTS) - i))
        CertificateRequest.objects.filter(pk=req.pk).update(
            created=when, handled_at=when + timedelta(hours=2)
        )
    stdout.write(f"certificates: {len(DEMO_REQUESTS)} demo register entries in {village.name}")


@transaction.atomic
def seed(stdout) -> None:
    provadmin = User.objects.get(username="provadmin")
    keeper = User.objects.get(username="keeper")
    province = Division.objects.get(pk=PROVINCE)
    county = Division.objects.get(pk=COUNTY)
    guidance = CertificateList.objects.filter(division=province).first() or services.certificate_list_create(
        division=province, name="内蒙古自治区村级组织出具证明事项清单", user=provadmin
    )
    if guidance.versions.filter(status="published").exists():
        stdout.write("certificates: provincial lists unchanged")
    else:
        n = _publish(
            guidance,
            provadmin,
            load("negative_mca_2020.json"),
            PROVINCE_EFFECTIVE,
            "负面清单：民发〔2020〕20号第一批（seed 000 §9）",
        )
        stdout.write(f"certificates: provincial lists published with {n} items")
    own = CertificateList.objects.filter(division=county).first() or services.certificate_list_create(
        division=county, name="达尔罕茂明安联合旗村级组织出具证明事项清单", user=keeper
    )
    if own.versions.filter(status="published").exists():
        stdout.write("certificates: county lists unchanged")
    else:
        n = _publish(
            own,
            keeper,
            load("retained_demo_150223.json"),
            COUNTY_EFFECTIVE,
            "旗级保留证明事项（演示数据，缺依据待补）",
        )
        stdout.write(f"certificates: county lists published with {n} items")
    _requests(stdout)
