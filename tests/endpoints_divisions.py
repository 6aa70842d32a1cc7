from .permissions import ScopedEndpoint, register

register(
    ScopedEndpoint(
        name="api-divisions",
        make=lambda w: (w.village_a1, w.village_c1),
        list_url=lambda w: "/api/v1/divisions/?level=5&page_size=500",
        detail_url=lambda obj: f"/api/v1/divisions/{obj.code}/",
        row_id=lambda obj: obj.code,
    )
)
register(
    ScopedEndpoint(
        name="page-divisions",
        make=lambda w: (w.village_a1, w.village_c1),
        list_url=lambda w: "/divisions/?q=1502",
        detail_url=lambda obj: f"/divisions/{obj.code}/",
        row_id=lambda obj: obj.code,
        api=False,
    )
)
