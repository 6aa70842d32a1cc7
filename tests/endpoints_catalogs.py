"""The catalogue's scoped endpoints in the reusable permission suite.

Published lists are public by design, so the suite runs over what is not:
drafts (items of a draft version) and change proposals.
"""

from datetime import date

from catalogs import services

from .permissions import ScopedEndpoint, register


def _root():
    from organisations.models import User

    return User.objects.filter(username="catalog-root").first() or User.objects.create_superuser(
        "catalog-root", password=None
    )


def _catalogues(w):
    from catalogs.models import Catalogue

    admin = _root()
    made = []
    for division in (w.county, w.other_county):
        cat = Catalogue.objects.filter(division=division).first() or services.catalogue_create(
            division=division, name=f"{division.name}清单", user=admin
        )
        made.append(cat)
    return made


def _draft_items(w):
    admin = _root()
    items = []
    for cat in _catalogues(w):
        draft = services.draft_get_or_create(catalogue=cat, user=admin)
        items.append(
            draft.items.first()
            or services.item_create(
                version=draft, data={"kind": "autonomy", "name": f"草稿事项{cat.pk}"}, user=admin
            )
        )
    return tuple(items)


def _proposals(w):
    admin = _root()
    out = []
    for cat in _catalogues(w):
        draft = services.draft_get_or_create(catalogue=cat, user=admin)
        if not draft.items.exists():
            services.item_create(version=draft, data={"kind": "autonomy", "name": "事项"}, user=admin)
        services.version_publish(version=draft, effective_from=date(2026, 1, 1), user=admin)
        out.append(
            services.change_proposal_create(
                catalogue=cat,
                action="add",
                item_data={"kind": "autonomy", "name": f"新增事项{cat.pk}"},
                proposed_by=admin,
                reason="r",
            )
        )
    return tuple(out)


register(
    ScopedEndpoint(
        name="api-catalogue-draft-items",
        make=_draft_items,
        list_url=lambda w: "/api/v1/catalogue-items/?version_status=draft",
        detail_url=lambda obj: f"/api/v1/catalogue-items/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=("keeper", "approver", "provadmin"),
        anonymous_allowed=True,
        # Only the county's own keeper edits its draft (the province edits its guidance).
        write=lambda client, obj: client.patch(
            f"/api/v1/catalogue-items/{obj.pk}/", {"name": "改写"}, content_type="application/json"
        ),
        writers=("keeper",),
    )
)
register(
    ScopedEndpoint(
        name="api-catalogue-proposals",
        make=_proposals,
        list_url=lambda w: "/api/v1/catalogue-proposals/",
        detail_url=lambda obj: f"/api/v1/catalogue-proposals/{obj.pk}/",
        row_id=lambda obj: str(obj.pk),
        visible_to=("keeper", "approver", "provadmin"),
    )
)
