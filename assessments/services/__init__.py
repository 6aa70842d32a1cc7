"""Every change to assessments goes through here, audited: the list (lists.py), the township's
integrated assessment (plans.py) and the villagers' survey (surveys.py).

Each write is one typed, keyword-only function under ``transaction.atomic`` that
locks what it changes, checks the state and the caller's role and jurisdiction
inside the transaction, and writes the change with its audit event
(``audit.services.record_event``) together.
"""

from .lists import (
    ITEM_FIELDS,
    assessment_list_create,
    draft_get_or_create,
    has_published,
    item_clean,
    item_save,
    item_write,
    require_keeper,
    version_publish,
)
from .plans import (
    MAX_CRITERIA,
    criteria_save,
    plan_create,
    plan_decide,
    plan_publish,
    plan_submit,
    scores_save,
)
from .proposals import PROCEDURE, proposal_create, proposal_step
from .surveys import (
    MIN_RESPONSES,
    SURVEY_TEMPLATE,
    survey_answer,
    survey_close,
    survey_code_send,
    survey_open,
)

__all__ = [
    "ITEM_FIELDS",
    "MAX_CRITERIA",
    "MIN_RESPONSES",
    "PROCEDURE",
    "SURVEY_TEMPLATE",
    "assessment_list_create",
    "criteria_save",
    "draft_get_or_create",
    "has_published",
    "item_clean",
    "item_save",
    "item_write",
    "plan_create",
    "plan_decide",
    "plan_publish",
    "plan_submit",
    "proposal_create",
    "proposal_step",
    "require_keeper",
    "scores_save",
    "survey_answer",
    "survey_close",
    "survey_code_send",
    "survey_open",
    "version_publish",
]
