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
    "assessments.criteria_save": _("assessment criteria saved"),
    "assessments.plan_create": _("integrated assessment opened"),
    "assessments.plan_submit": _("integrated assessment submitted"),
    "assessments.plan_approve": _("integrated assessment approved"),
    "assessments.plan_return": _("integrated assessment returned"),
    "assessments.plan_publish": _("assessment results published"),
    "assessments.scores_save": _("assessment scores recorded"),
    "assessments.survey_open": _("satisfaction survey opened"),
    "assessments.survey_close": _("satisfaction survey closed"),
    "certificates.request_record": _("certificate request recorded"),
    "certificates.issue": _("certificate issued"),
    "certificates.verify_issue": _("certificate issued after verification"),
    "certificates.refuse": _("certificate refused (negative list)"),
    "certificates.refer": _("certificate request referred"),
    "certificates.commit": _("notification and commitment accepted"),
    "certificates.demand_letter": _("reminder letter sent"),
    "certificates.demand_notice": _("public notice issued"),
    "divisions.village_attributes": _("village attributes changed"),
    "documents.issue": _("document issued"),
    "formsplan.plan_open": _("forms plan opened"),
    "formsplan.plan_approve": _("forms plan approved"),
    "formsplan.form_register": _("form registered"),
    "formsplan.form_merge": _("forms merged"),
    "formsplan.field_merge": _("fields merged"),
    "formsplan.forms_assign": _("forms assigned to villages"),
    "formsplan.unplanned_record": _("unplanned demand recorded"),
    "formsplan.unplanned_correct": _("unplanned demand corrected"),
    "formsplan.unplanned_withdraw": _("unplanned demand withdrawn"),
    "institutions.notice": _("public notice issued"),
    "monitoring.point.designate": _("monitoring point designated"),
    "monitoring.point.end": _("monitoring point ended"),
    "monitoring.point.note": _("monitoring point note changed"),
    "monitoring.monitor.assign": _("monitor designated"),
    "monitoring.monitor.unassign": _("monitor released"),
    "monitoring.monitor.contact": _("monitor's contact recorded"),
    "monitoring.report.file": _("burden report filed"),
    "monitoring.report.edit": _("burden report corrected"),
    "monitoring.report.withdraw": _("burden report withdrawn"),
    "monitoring.report.take_up": _("burden report taken up"),
    "monitoring.report.close": _("burden report closed"),
    "portal_client.create": _("portal client created"),
    "reports.generate": _("report generated"),
    "reports.ledger_export": _("ledger downloaded"),
    "reports.ledger_job": _("ledger prepared in the background"),
    "reports.plan_import": _("implementation plan imported"),
    "reports.plan_import_upload": _("implementation plan spreadsheet uploaded"),
    "reports.plan_import_confirm": _("implementation plan import confirmed"),
    "reports.plan_task_create": _("implementation plan task added"),
    "reports.plan_task_update": _("implementation plan task updated"),
    "reports.subscribe": _("report subscribed"),
    "reports.unsubscribe": _("report unsubscribed"),
    "signage.mechanism_request": _("new working mechanism requested"),
    "signage.mechanism_record": _("working mechanism recorded"),
    "signage.mechanism_decide": _("working mechanism decided"),
    "signage.mechanism_returned": _("working mechanism request returned"),
    "signage.mechanism_cleanup": _("working mechanism cleaned up"),
    "signage.plaque_record": _("plaque recorded"),
    "signage.plaque_update": _("plaque changed"),
    "signage.plaque_remove": _("plaque removed"),
    "signage.rectification_open": _("plaque rectification opened"),
    "signage.rectification_escalate": _("plaque rectification escalated"),
    "signage.rectification_resolve": _("plaque rectification resolved"),
    "signage.ruleset_draft": _("plaque rules draft started"),
    "signage.ruleset_publish": _("plaque rules published"),
    "signage.rule_create": _("plaque rule added"),
    "signage.rule_update": _("plaque rule changed"),
    "signage.rule_delete": _("plaque rule deleted"),
    "two_factor.enrolled": _("second factor enrolled"),
    "two_factor.verified": _("second factor verified"),
    "two_factor.failed": _("second factor failed"),
    "webhooks.endpoint_create": _("webhook registered"),
    "webhooks.endpoint_update": _("webhook changed"),
    "webhooks.endpoint_disable": _("webhook disabled"),
    "webhooks.endpoint_delete": _("webhook deleted"),
    "webhooks.secret_rotate": _("webhook secret rotated"),
    "webhooks.delivery_replay": _("webhook delivery replayed"),
    "workgroups.register": _("work group or app registered"),
    "workgroups.decide": _("work group or app decided"),
    "user.create": _("account created"),
    "user.update": _("account changed"),
    "user.change": _("account changed"),
    "organisation.create": _("organisation created"),
    "organisation.update": _("organisation changed"),
}

# The steps every app's lists share (``<app>.<step>``): the app's name, then the step.
STEPS = {
    "import_upload": _("spreadsheet uploaded"),
    "import_confirm": _("spreadsheet import confirmed"),
    "import": _("spreadsheet imported"),
    "list_create": _("list opened"),
    "item_save": _("item saved"),
    "item_delete": _("item deleted"),
    "draft_create": _("draft version started"),
    "draft_discard": _("draft version discarded"),
    "publish": _("version published"),
    "proposal_create": _("change proposed"),
    "proposal_propose": _("change proposed"),
    "proposal_consult": _("proposal: departments consulted"),
    "proposal_assess": _("proposal: assessed"),
    "proposal_approve": _("proposal approved"),
    "proposal_approval": _("proposal approved"),
    "proposal_reject": _("proposal rejected"),
    "proposal_proposal": _("change proposed"),
    "proposal_consultation": _("proposal: departments consulted"),
    "proposal_assessment": _("proposal: assessed"),
    "proposal_rejection": _("proposal rejected"),
}
APPS = {
    "assessments": _("assessments"),
    "certificates": _("certificates"),
    "seals": _("seal use lists"),
    "signage": _("plaques and mechanisms"),
    "formsplan": _("forms plan"),
    "workgroups": _("work groups and apps"),
    "monitoring": _("burden monitoring"),
    "reports": _("reports"),
    "institutions": _("institutions"),
    "documents": _("documents"),
    "webhooks": _("webhooks"),
    "two_factor": _("second factor"),
    "divisions": _("divisions"),
    "user": _("accounts"),
    "organisation": _("organisations"),
    "portal_client": _("portal clients"),
}

# The filter offers these groups as well as single actions.
GROUPS = {
    "auth.": _("logins and logouts"),
    "access.": _("refusals and out-of-jurisdiction attempts"),
    "catalogs.": _("catalogue work"),
    "gate.": _("access gate"),
    "assessments.": APPS["assessments"],
    "certificates.": APPS["certificates"],
    "seals.": APPS["seals"],
    "signage.": APPS["signage"],
    "formsplan.": APPS["formsplan"],
    "workgroups.": APPS["workgroups"],
    "monitoring.": APPS["monitoring"],
    "reports.": APPS["reports"],
    "institutions.": APPS["institutions"],
    "documents.": APPS["documents"],
    "webhooks.": APPS["webhooks"],
    "two_factor.": APPS["two_factor"],
    "divisions.": APPS["divisions"],
    "user.": APPS["user"],
    "organisation.": APPS["organisation"],
    "portal_client.": APPS["portal_client"],
}


def action_label(code: str) -> str:
    """The action in words: its own label, else its app's name and the shared step, else the code."""
    if code in ACTIONS:
        return str(ACTIONS[code])
    app, _dot, step = code.partition(".")
    if step in STEPS:
        return _("%(app)s: %(step)s") % {"app": APPS.get(app, app), "step": STEPS[step]}
    return code


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
