"""The access gate's business rules: the only way to change a request or create a village task.

Every transition is one transaction that locks the request (``select_for_update``),
checks the caller's jurisdiction and role *inside* the transaction, checks the
current state and, when the client sent one, the version it last saw; then it
writes the change, its audit event and the in-app notifications together.
E-mail goes out after commit (``villageburden.tasks.enqueue``), so a broker
outage never loses or blocks a decision.

Policy: seed 000 §2 and seed 002 §3(1) — outside the lists, a task needs the
review of the organisation, civil-affairs and agriculture departments and the
approval of the county; seed 003 §2(1)1 — never the village as responsible
subject of the negative matters ("清单之内必执行、清单之外要批准", seed 004 §2(1)).

The package is split by concern: ``requests`` (the request's transitions),
``dispatch`` (village tasks), ``sweeps`` (scheduled work); ``_common`` holds the
shared checks. Import from ``gate.services``, not from the modules.
"""

from __future__ import annotations

from villageburden.deadlines import REMIND_WORKING_DAYS_BEFORE

from ._common import (
    DECISION_WORKING_DAYS,
    DISPATCH_BATCH,
    EDITABLE_FIELDS,
    RENEWAL_NOTICE_DAYS,
    REVIEW_WORKING_DAYS,
    TEXT_LIMITS,
    DispatchResult,
    scope_villages,
)
from .dispatch import (
    access_request_dispatch,
    catalogue_item_dispatch,
    village_task_progress,
    village_tasks_create,
)
from .requests import (
    access_request_attach,
    access_request_create,
    access_request_decide,
    access_request_propose_listing,
    access_request_renew,
    access_request_review,
    access_request_submit,
    access_request_update,
    access_request_withdraw,
    on_request_closed,
)
from .sweeps import (
    access_requests_expire,
    deadline_reminders_send,
    gate_sweep,
    refusal_record,
)

__all__ = [
    "DECISION_WORKING_DAYS",
    "DISPATCH_BATCH",
    "EDITABLE_FIELDS",
    "REMIND_WORKING_DAYS_BEFORE",
    "RENEWAL_NOTICE_DAYS",
    "REVIEW_WORKING_DAYS",
    "TEXT_LIMITS",
    "DispatchResult",
    "access_request_attach",
    "access_request_create",
    "access_request_decide",
    "access_request_dispatch",
    "access_request_propose_listing",
    "access_request_renew",
    "access_request_review",
    "access_request_submit",
    "access_request_update",
    "access_request_withdraw",
    "access_requests_expire",
    "catalogue_item_dispatch",
    "deadline_reminders_send",
    "gate_sweep",
    "on_request_closed",
    "refusal_record",
    "scope_villages",
    "village_task_progress",
    "village_tasks_create",
]
