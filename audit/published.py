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
transaction id is below the reader's snapshot ``xmin`` — every transaction
below it has finished, and no new transaction can ever get a smaller id — so
once a cursor has passed a row, nothing is inserted before it. A transaction
is placed where it first wrote, which is close to, but not exactly, commit
order; what the cursor guarantees is that no committed event is skipped or
repeated. The price: a long-running transaction anywhere in the database
holds the feed back until it ends. SQLite serialises writers, so ids already
follow commit order there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse

Body = Callable[[Any, dict[str, Any], str], dict[str, Any]]
Url = Callable[[Any], str]


@dataclass(frozen=True)
class Published:
    """How one audit action appears in the feed."""

    event_type: str
    description: str
    body: Body
    url: Url | None = None


EVENT_TYPES: dict[str, Published] = {}


def publish(event_type: str, description: str, *, body: Body | None = None, url: Url | None = None) -> None:
    """Publish every audit event of ``event_type`` (idempotent)."""
    EVENT_TYPES[event_type] = Published(event_type, description, body or _summary_body, url)


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


publish(
    "gate.request.submit",
    "An access request was submitted: screened and sent to joint review.",
    body=_request_body,
    url=_request_url,
)
publish(
    "gate.request.blocked",
    "A submitted request was stopped by the negative list.",
    body=_decision_body,
    url=_request_url,
)
publish("gate.request.review", "A county reviewer recorded an opinion.", body=_review_body, url=_request_url)
publish("gate.request.approve", "The county approved a request.", body=_decision_body, url=_request_url)
publish("gate.request.reject", "The county rejected a request.", body=_decision_body, url=_request_url)
publish(
    "gate.request.return",
    "The county returned a request for revision.",
    body=_decision_body,
    url=_request_url,
)
publish("gate.request.withdraw", "The department withdrew a request.", body=_decision_body, url=_request_url)
publish(
    "gate.request.dispatch",
    "An approved request was dispatched as village tasks.",
    body=_dispatch_body,
    url=_request_url,
)
publish("gate.request.expire", "An approval reached its end date.", body=_request_body, url=_request_url)
publish(
    "gate.item.dispatch",
    "Work under a list item was dispatched as village tasks.",
    body=_item_dispatch_body,
    url=lambda item: "",
)
publish("gate.task.progress", "Township staff updated a village task.", body=_task_body, url=_task_url)


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
