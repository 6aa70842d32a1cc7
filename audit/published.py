"""Which audit events are published to portals, and what they carry.

One place for the audit trail and the event log
-----------------------------------------------
Every state change already calls ``audit.services.record_event`` inside its
own transaction. A published event is that same audit row with four more
columns filled in: ``event_type``, ``object_url`` (the object's API path),
``body`` (a compact JSON of what changed) and ``txid`` (the writing
transaction, stamped by the database). So an event exists if and only if the
change it describes committed — no second write that could be forgotten or
rolled back separately, no fourth copy next to the trail, the notification
outbox and the feed. Webhooks (``events/``) are the same feed pushed.

The row stays the internal record (actor, address, before/after snapshots);
the feed shows only the published columns, never the snapshots, so adding a
field to an audit snapshot never leaks it to a portal.

Publishing an event
-------------------
Two ways, both through ``record_event``:

* a new app passes ``publish=True`` (and a ``body`` and, if the object has no
  ``get_api_url()``, a ``url``)::

      record_event(user, "certificates.certificate.refuse", obj=cert,
                   division=cert.village_id, publish=True,
                   body={"number": cert.number, "reason": reason})

* or registers the action once here (``publish(...)`` below), which is how
  the gate's and the catalogue's existing calls are published without
  touching them: the entry builds the body from the call's arguments.

The event type is the audit action (``gate.request.approve``); the list of
published types is ``EVENT_TYPES``, served in the schema and the README.

Commit order
------------
Row ids are drawn from a sequence when a row is inserted, not when its
transaction commits: under concurrency on PostgreSQL id 105 can become
visible before id 104, so a reader that has passed 105 would never see 104.
The feed therefore orders by ``(txid, id)`` and serves only rows whose
transaction id is below a visibility horizon: the oldest transaction still
running in this database (``events/selectors.py``). Every transaction below
it has finished and no new transaction can ever get a smaller id, so once a
cursor has passed a row, nothing is inserted before it. A transaction is
placed where it first wrote, which is close to, but not exactly, commit
order; what the cursor guarantees is that no committed event is skipped or
repeated. The price: a long-running writing transaction in this database
(a large import) holds the feed back until it ends — events are late, never
lost. Writers must use the application's database role (the horizon reads
its own sessions in ``pg_stat_activity``). SQLite serialises writers, so ids
already follow commit order there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse

Body = Callable[[Any, dict[str, Any], str], dict[str, Any]]
Url = Callable[[Any], str]
Owner = Callable[[Any], int | None]

# An event type: "<app>.<noun>.<verb>" or "<app>.<verb>", lower case.
TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class Published:
    """How one audit action appears in the feed."""

    event_type: str
    description: str
    body: Body
    url: Url | None = None
    organisation: Owner | None = None


EVENT_TYPES: dict[str, Published] = {}


def publish(
    event_type: str,
    description: str,
    *,
    body: Body | None = None,
    url: Url | None = None,
    organisation: Owner | None = None,
) -> None:
    """Publish every audit event of ``event_type`` (idempotent).

    ``organisation(obj)`` names the organisation owning the object, for
    objects that departments and portals see only when they are their own.
    """
    if not TYPE_PATTERN.match(event_type):
        raise ValueError(f"not an event type: {event_type!r}")
    EVENT_TYPES[event_type] = Published(event_type, description, body or _summary_body, url, organisation)


def owning_organisation(obj: models.Model | None, entry: Published | None) -> int | None:
    if obj is None:
        return None
    if entry is not None and entry.organisation is not None:
        return entry.organisation(obj)
    return None


def _summary_body(obj: Any, after: dict[str, Any], summary: str) -> dict[str, Any]:
    return {"summary": summary, **after} if summary else dict(after)


def api_path(name: str, *args: Any) -> str:
    """The API path of a route (empty if the app is not installed)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def object_url(obj: models.Model | None, entry: Published | None) -> str:
    if obj is None:
        return ""
    if entry is not None and entry.url is not None:
        return entry.url(obj)
    get = getattr(obj, "get_api_url", None)
    return get() if callable(get) else ""


# --- the access gate ---------------------------------------------------------
# Requests and their tasks belong to the filing department (gate.models:
# departments and portals see only their own organisation's).


def _own(obj: Any) -> int | None:
    return obj.organisation_id


def _request_url(req: Any) -> str:
    return api_path("access-request-detail", req.pk)


def _request_body(req: Any, after: dict[str, Any], summary: str) -> dict[str, Any]:
    body = {
        "number": req.number,
        "status": after.get("status", req.status),
        "verdict": after.get("verdict", req.verdict),
        "version": after.get("version", req.version),
    }
    return body


def _decision_body(req: Any, after: dict[str, Any], summary: str) -> dict[str, Any]:
    # Decisions and their reasons are public (/gate/public/): the reason travels.
    return {**_request_body(req, after, summary), "reason": summary}


def _review_body(req: Any, after: dict[str, Any], summary: str) -> dict[str, Any]:
    kind, _, rest = summary.partition(": ")
    opinion = rest.split(" — ", 1)[0]
    return {**_request_body(req, after, summary), "reviewer": kind, "opinion": opinion}


def _dispatch_body(req: Any, after: dict[str, Any], summary: str) -> dict[str, Any]:
    return {**_request_body(req, after, summary), "summary": summary}


def _task_url(task: Any) -> str:
    return api_path("village-task-detail", task.pk)


def _task_body(task: Any, after: dict[str, Any], summary: str) -> dict[str, Any]:
    return {
        "village": task.village_id,
        "access_request": task.access_request_id,
        "catalogue_item": task.catalogue_item_id,
        "status": after.get("status", task.status),
        "progress": after.get("progress", task.progress),
    }


def _item_dispatch_body(item: Any, after: dict[str, Any], summary: str) -> dict[str, Any]:
    return {"item": item.code, "summary": summary}


_REQUEST_EVENTS = [
    ("submit", "An access request was submitted: screened and sent to joint review.", _request_body),
    ("blocked", "A submitted request was stopped by the negative list.", _decision_body),
    ("review", "A county reviewer recorded an opinion.", _review_body),
    ("approve", "The county approved a request.", _decision_body),
    ("reject", "The county rejected a request.", _decision_body),
    ("return", "The county returned a request for revision.", _decision_body),
    ("withdraw", "The department withdrew a request.", _decision_body),
    ("dispatch", "An approved request was dispatched as village tasks.", _dispatch_body),
    ("expire", "An approval reached its end date.", _request_body),
]
for _verb, _description, _body in _REQUEST_EVENTS:
    publish(f"gate.request.{_verb}", _description, body=_body, url=_request_url, organisation=_own)
publish(
    "gate.item.dispatch",
    "Work under an autonomy or assist item was dispatched as village tasks.",
    body=_item_dispatch_body,
    url=lambda item: "",
)
publish(
    "gate.task.progress",
    "Township staff updated a village task.",
    body=_task_body,
    url=_task_url,
    organisation=_own,
)


# --- the work-affairs catalogue ----------------------------------------------


def _version_body(version: Any, after: dict[str, Any], summary: str) -> dict[str, Any]:
    return {"catalogue": version.catalogue_id, "version": version.pk, **after}


def _proposal_body(proposal: Any, after: dict[str, Any], summary: str) -> dict[str, Any]:
    return {"status": after.get("status", proposal.status), "opinion": summary}


def _proposal_url(proposal: Any) -> str:
    return api_path("catalogue-proposal-detail", proposal.pk)


publish(
    "catalogs.publish",
    "A catalogue version was published.",
    body=_version_body,
    url=lambda version: api_path("catalogue-detail", version.catalogue_id),
)
for _step, _what in (("approval", "approved"), ("rejection", "rejected")):
    publish(
        f"catalogs.proposal_{_step}",
        f"A change proposal was {_what}.",
        body=_proposal_body,
        url=_proposal_url,
    )


# --- certificate lists and plaque rules ---------------------------------------
# Their publications are public data (the lists and rules are public without
# login). The certificate register is not published: it names applicants.

publish(
    "certificates.publish",
    "A certificate list version (negative or retained list) was published.",
    body=lambda version, after, summary: {"version": version.pk, "summary": summary},
    url=lambda version: "",
)
publish(
    "signage.ruleset_publish",
    "A province's plaque rules and floor-area standards were published.",
    body=lambda ruleset, after, summary: {"ruleset": ruleset.pk, "summary": summary},
    url=lambda ruleset: api_path("plaque-ruleset-detail", ruleset.pk),
)
