"""The business rules of plaques and working mechanisms: the only way to change them.

Each function is one transaction: it locks what it changes (``select_for_update``),
checks the caller's role and jurisdiction inside the transaction, checks the
state, and writes the change with its audit event. Pages, the API, the admin
and the demo all come here.

- Rules are versioned per province (``RuleSet``): provincial admins open a
  draft (a copy of the latest published version), edit it and publish it with
  a date it takes effect, never earlier than today nor than the version in
  force; published versions are frozen. A check uses the version in force on
  its date.
- Township staff record their villages' plaques (with a photo); after every
  change the village is checked and each violation becomes a rectification
  item due ``RECTIFY_WORKING_DAYS`` working days later (no seed fixes a time
  limit: seed 002 §3(8) asks only for "督促整改"; the number is the county's to
  set here). The daily sweep re-checks villages when new rules take effect
  and escalates overdue items.
- Working mechanisms (seed 000 §6, seed 002 §3(6)): a new one needs the
  province's approval unless central policy or a law requires it, and then the
  department that wants it names who provides the people and the money.

The package is split by what it holds: ``rules`` (rule sets), ``inventories``
(plaques, the check and rectification items), ``mechanisms``; ``_common`` holds
the shared field checks. Import from ``signage.services``, not from the modules.
"""

from __future__ import annotations

from ._common import (
    COMMUNITY_RULES_PATH,
    MECHANISM_FIELDS,
    PLAQUE_FIELDS,
    RECTIFY_WORKING_DAYS,
    RULE_FIELDS,
    RULES_PATH,
)
from .inventories import (
    plaque_clean,
    signage_sweep,
    village_check,
    village_plaque_record,
    village_plaque_remove,
    village_plaque_update,
)
from .mechanisms import (
    mechanism_clean,
    mechanism_cleanup,
    mechanism_create,
    mechanism_decide,
    mechanism_request_closed,
)
from .rectifications import rectification_deadlines_send
from .rules import (
    plaque_rule_create,
    plaque_rule_delete,
    plaque_rule_update,
    plaque_rules_load,
    rule_clean,
    ruleset_draft_open,
    ruleset_publish,
)

__all__ = [
    "COMMUNITY_RULES_PATH",
    "MECHANISM_FIELDS",
    "PLAQUE_FIELDS",
    "RECTIFY_WORKING_DAYS",
    "RULES_PATH",
    "RULE_FIELDS",
    "mechanism_clean",
    "mechanism_cleanup",
    "mechanism_create",
    "mechanism_decide",
    "mechanism_request_closed",
    "plaque_clean",
    "plaque_rule_create",
    "plaque_rule_delete",
    "plaque_rule_update",
    "plaque_rules_load",
    "rectification_deadlines_send",
    "rule_clean",
    "ruleset_draft_open",
    "ruleset_publish",
    "signage_sweep",
    "village_check",
    "village_plaque_record",
    "village_plaque_remove",
    "village_plaque_update",
]
