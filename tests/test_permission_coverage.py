"""Every API collection is in the reusable permission suite, or says why it need not be."""

import importlib
from pathlib import Path

from django.urls import get_resolver
from django.urls.resolvers import URLResolver

from .permissions import REGISTRY

for module in sorted(Path(__file__).parent.glob("endpoints_*.py")):
    importlib.import_module(f"tests.{module.stem}")

# Collections that hold nothing scoped, with the reason.
EXEMPT = {
    "catalogue-list": "published catalogues are public by policy; drafts are scoped through catalogue items",
}


def api_list_routes():
    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix + str(p.pattern))
            elif p.name and p.name.endswith("-list"):
                yield p.name, (prefix + str(p.pattern)).replace("^", "").replace("$", "")

    return dict(walk(get_resolver()))


def test_every_api_collection_is_in_the_permission_suite():
    registered = [e.list_url(None) if _static(e) else "" for e in REGISTRY]
    missing = []
    for name, path in api_list_routes().items():
        if name in EXEMPT:
            continue
        if not any(url.split("?")[0] == "/" + path for url in registered):
            missing.append(f"{name} (/{path})")
    assert not missing, f"register these in tests/endpoints_<app>.py: {missing}"


def _static(endpoint):
    try:
        endpoint.list_url(None)
    except Exception:
        return False
    return True
