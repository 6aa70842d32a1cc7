"""The certificate registry's scoped endpoints in the reusable permission suite.

Published lists are public by design, so the suite runs over their drafts, and
over the village register (names and masked ID numbers: never across townships).
"""

from __future__ import annotations

from .permissions import ScopedEndpoint, register

# Made-up numbers with valid GB 11643 check digits.
ID_A = "150223199003150020"
ID_C = "15022219851207001X"


def _root():
    from organisations.models import User

    return User.objects.filter(username="cert-root").first() or User.objects.create_superuser(
        "cert-root", password=None
    )


def _draft_items(w):
    from certificates import services
    from certificates.models import CertificateList

    admin = _root()
    items = []
    for division in (w.county, w.other_county):
        lists = CertificateList.objects.filter(division=division).first() or services.certificate_list_create(
            division=division, name=f"{division.name}证明清单", user=admin
        )
        draft = services.draft_get_or_create(certificate_list=lists, user=admin)
        items.append(
            draft.items.first()
            or services.item_save(
                version=draft,
                data={"kind": "retained", "name": f"草稿证明{lists.pk}", "basis_missing": True},
                user=admin,
            )
        )
    return tuple(items)


def _requests(w):
    from certificates import services
    from certificates.models import CertificateRequest
    from organisations.choices import Role

    from . import factories as f

    existing = CertificateRequest.objects.filter(applicant_name__in=["甲", "丙"]).order_by("applicant_name")
    if existing.count() == 2:
        return tuple(existing)
    outsider_clerk = f.UserFactory(role=Role.TOWNSHIP_STAFF, organisation=w.orgs["other_township"])
    inside = services.request_record(
        user=w.user("township"),
        village=w.village_a1,
        applicant_name="甲",
        id_number=ID_A,
        certificate_name="健在证明",
        purpose="领取养老金",
        institution_name="某银行",
    )
    outside = services.request_record(
        user=outsider_clerk,
        village=w.village_c1,
        applicant_name="丙",
        id_number=ID_C,
        certificate_name="健在证明",
        purpose="领取养老金",
        institution_name="某银行",
    )
    return inside, outside


register(
    ScopedEndpoint(
        name="api-certificate-draft-items",
        make=_draft_items,
        list_url=lambda w: "/api/v1/certificate-items/?version__status=draft",
        detail_url=lambda obj: f"/api/v1/certificate-items/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=("keeper", "approver", "provadmin"),
        anonymous_allowed=True,
    )
)
register(
    ScopedEndpoint(
        name="api-certificate-requests",
        make=_requests,
        list_url=lambda w: "/api/v1/certificate-requests/?page_size=500",
        detail_url=lambda obj: f"/api/v1/certificate-requests/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=("township", "approver", "reviewer_civil", "auditor", "provadmin"),
        write=lambda client, obj: client.post(
            f"/api/v1/certificate-requests/{obj.pk}/commit/", {}, content_type="application/json"
        ),
        writers=("township", "outsider"),
    )
)
register(
    ScopedEndpoint(
        name="page-certificate-register",
        make=_requests,
        list_url=lambda w: "/certificates/register/",
        detail_url=lambda obj: f"/certificates/register/{obj.pk}/",
        row_id=lambda obj: f'href="/certificates/register/{obj.pk}/"',
        api=False,
        visible_to=("township", "approver", "reviewer_civil", "provadmin"),
    )
)
