"""Audit actions in words: the codes stay in the table (stable, searchable), people read these."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "auth.login": _("logged in"),
    "auth.logout": _("logged out"),
    "auth.login_failed": _("failed login"),
    "access.denied": _("access refused"),
    "access.not_found": _("opened an object outside the jurisdiction or not existing"),
    "catalogs.catalogue_create": _("catalogue opened"),
    "catalogs.draft_create": _("draft version started"),
    "catalogs.draft_discard": _("draft version discarded"),
    "catalogs.publish": _("version published"),
    "catalogs.adopt": _("province's changes adopted"),
    "catalogs.item_adopt": _("item adopted from the province"),
    "catalogs.item_create": _("item added"),
    "catalogs.item_update": _("item changed"),
    "catalogs.item_delete": _("item deleted"),
    "catalogs.item_not_applicable": _("item marked not applicable"),
    "catalogs.item_reinstate": _("item reinstated"),
    "catalogs.item_cancel": _("item cancelled"),
    "catalogs.import_upload": _("spreadsheet uploaded"),
    "catalogs.import_confirm": _("spreadsheet import confirmed"),
    "catalogs.import": _("spreadsheet imported"),
    "catalogs.proposal_create": _("change proposed"),
    "catalogs.proposal_propose": _("change proposed"),
    "catalogs.proposal_consult": _("proposal: departments consulted"),
    "catalogs.proposal_assess": _("proposal: assessed"),
    "catalogs.proposal_approve": _("proposal approved"),
    "catalogs.proposal_reject": _("proposal rejected"),
    "divisions.import": _("divisions imported"),
    "signage.rules_load": _("plaque rules loaded"),
    "gate.request.create": _("access request filed"),
    "gate.request.update": _("access request edited"),
    "gate.request.attach": _("file attached to an access request"),
    "gate.request.submit": _("access request submitted"),
    "gate.request.blocked": _("access request blocked by the negative list"),
    "gate.request.review": _("review opinion recorded"),
    "gate.request.approve": _("access request approved"),
    "gate.request.reject": _("access request rejected"),
    "gate.request.return": _("access request returned for revision"),
    "gate.request.withdraw": _("access request withdrawn"),
    "gate.request.dispatch": _("village tasks dispatched"),
    "gate.request.renew": _("renewal drafted"),
    "gate.request.expire": _("approval expired"),
    "gate.request.propose_listing": _("proposed for the assist list"),
    "gate.item.dispatch": _("tasks dispatched under a list item"),
    "gate.task.progress": _("village task progress recorded"),
    "gate.refused": _("gate refused an attempt"),
}

# The filter offers these groups as well as single actions.
GROUPS = {
    "auth.": _("logins and logouts"),
    "access.": _("refusals and out-of-jurisdiction attempts"),
    "catalogs.": _("catalogue work"),
    "gate.": _("access gate"),
}


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))


def object_type_label(label: str) -> str:
    """``gate.accessrequest`` → its model's verbose name (the code when the model is gone)."""
    if not label:
        return ""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def action_choices() -> list[tuple[str, str]]:
    groups = [(code, str(label)) for code, label in GROUPS.items()]
    singles = sorted(((code, str(label)) for code, label in ACTIONS.items()), key=lambda c: c[0])
    return groups + singles
