"""The reusable permission suite: every scoped endpoint and page, every member of the cast.

Each app registers its scoped URLs here (``register(...)``); ``test_permissions``
runs the whole cast over all of them and asserts the jurisdiction guarantees
(DESIGN.md §3.4): a list contains no row from outside the user's
jurisdiction, an out-of-scope object is a 404 (never a 403 that would leak it),
and an anonymous caller gets nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ScopedEndpoint:
    """One scoped list (and optional detail) URL.

    ``make(world)`` returns (object in the home county's township A, object in
    the next county). ``list_url`` returns a list URL; ``detail_url(obj)`` one
    object's URL. ``row_id(obj)`` is how the object appears in a JSON list
    (``results[*][id_field]``) or, for HTML pages, a string unique to it.
    ``visible_to`` names the cast members who must see the in-scope object.
    """

    name: str
    make: Callable[[Any], tuple[Any, Any]]
    list_url: Callable[[Any], str]
    detail_url: Callable[[Any], str] | None
    row_id: Callable[[Any], str]
    api: bool = True
    visible_to: tuple[str, ...] = ("township", "submitter", "approver", "provadmin")
    anonymous_allowed: bool = False
    # Optional write check: ``write(client, obj)`` attempts a change and returns
    # the response; everyone not in ``writers`` must be refused (403/404/405)
    # and leave the object exactly as it was.
    write: Callable[[Any, Any], Any] | None = None
    writers: tuple[str, ...] = ()
    # Cast members inside the jurisdiction who still must not see the in-scope
    # object (a department's unsubmitted draft): for them it is foreign, a 404.
    hidden_from: tuple[str, ...] = ()
    # The in-scope object is the home county's own (a forms plan, a registry)
    # and read by every township of the county: township B is not foreign to it.
    county_wide: bool = False


REGISTRY: list[ScopedEndpoint] = []


def register(endpoint: ScopedEndpoint) -> ScopedEndpoint:
    REGISTRY.append(endpoint)
    return endpoint
