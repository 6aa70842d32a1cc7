"""The community seal-use scope lists in the reusable permission suite.

Published lists are public by design, so the suite runs over drafts: a draft's
uses are scoped through the API, and no public page (the check, the coverage)
shows a draft list of any county.
"""

from __future__ import annotations

from .permissions import ScopedEndpoint, register


def _root():
    from organisations.models import User

    return User.objects.filter(username="seal-root").first() or User.objects.create_superuser(
        "seal-root", password=None
    )


def _draft_items(w):
    from seals import services
    from seals.models import SealList

    admin = _root()
    items = []
    for division in (w.county, w.other_county):
        lst = SealList.objects.filter(division=division).first() or services.seal_list_create(
            division=division, name=f"{division.name}社区印章使用范围清单（草稿）", user=admin
        )
        draft = services.draft_get_or_create(seal_list=lst, user=admin)
        items.append(
            draft.items.first()
            or services.item_save(
                version=draft,
                data={"kind": "may", "name": f"草稿用途{lst.pk}", "basis_missing": True, "source": "测试"},
                user=admin,
            )
        )
    return tuple(items)


def _draft_lists(w):
    inside, outside = _draft_items(w)
    return inside.version.seal_list, outside.version.seal_list


register(
    ScopedEndpoint(
        name="api-seal-draft-items",
        make=_draft_items,
        list_url=lambda w: "/api/v1/seal-items/?version__status=draft",
        detail_url=lambda obj: f"/api/v1/seal-items/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=("keeper", "approver", "provadmin"),
        anonymous_allowed=True,
    )
)
register(
    ScopedEndpoint(
        name="page-seal-check",
        make=_draft_lists,
        list_url=lambda w: "/seals/check/",
        detail_url=None,
        row_id=lambda obj: obj.name,
        api=False,
        visible_to=(),
        anonymous_allowed=True,
    )
)
register(
    ScopedEndpoint(
        name="page-seal-coverage",
        make=_draft_lists,
        list_url=lambda w: "/seals/coverage/15/",
        detail_url=None,
        row_id=lambda obj: f'href="/seals/lists/{obj.division.prefix}/"',
        api=False,
        visible_to=(),
        anonymous_allowed=True,
    )
)
