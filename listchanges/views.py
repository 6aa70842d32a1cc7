"""The pages of dynamic management, shared by every list: its proposals, and one proposal with its steps.

A list's view finds the list (scoped: a foreign one is a 404) and calls these
with its procedure and its proposal form; every rule is in ``procedure``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import procedure as p
from .choices import ProposalAction
from .forms import OpinionForm


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def proposals_page(
    request, *, procedure: p.ListProcedure, owner, form_class, list_url: str, can_propose: bool = True
):
    """The list's proposals, and the form to file one (add: the item's fields; cancel: its code)."""
    rows = (
        procedure.proposal_model._default_manager.restrict(request.user)  # type: ignore[attr-defined]
        .filter(**{procedure.list_field: owner})
        .select_related("proposed_by")
    )
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = p.proposal_create(
                procedure=procedure,
                owner=owner,
                action=data["action"],
                item_data=form.item_data() if data["action"] == ProposalAction.ADD else {},
                proposed_by=request.user,
                reason=data["reason"],
                item_code=data.get("item_code", ""),
                source=data.get("source", ""),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Proposal filed."))
            return redirect(proposal.get_absolute_url())
    return render(
        request,
        "listchanges/proposals.html",
        {
            "owner": owner,
            "list_url": list_url,
            "proposals": rows,
            "form": form,
            "show_form": request.method == "POST",
            "can_propose": can_propose,
        },
    )


def proposal_page(
    request, *, procedure: p.ListProcedure, pk: int, list_url, proposals_url, fields, version_url=None
):
    """One proposal: what it asks, its steps, and the step the user may take now.

    ``list_url`` / ``proposals_url`` (owner → URL), ``fields`` (proposal → [(label, value)])
    and ``version_url`` (version → URL) say where the page links.
    """
    proposals = procedure.proposal_model._default_manager
    proposal = get_object_or_404(
        proposals.restrict(request.user).select_related(  # type: ignore[attr-defined]
            f"{procedure.list_field}__division", "proposed_by", "applied_version"
        ),
        pk=pk,
    )
    if request.method == "POST":
        step = request.POST.get("step", "")
        form = OpinionForm(request.POST)
        if step not in p.STEPS or not form.is_valid():
            raise Http404
        try:
            p.STEPS[step](
                procedure=procedure,
                proposal=proposal,
                user=request.user,
                opinion=form.cleaned_data["opinion"],
            )
            messages.success(request, _("Step recorded."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not take this step."))
        return redirect(proposal.get_absolute_url())
    allowed = {
        step: proposals.restrict(request.user, step).filter(pk=pk).exists()  # type: ignore[attr-defined]
        for step in p.STEPS
    }
    owner = procedure.owner_of(proposal)
    applied = proposal.applied_version
    return render(
        request,
        "listchanges/proposal_detail.html",
        {
            "proposal": proposal,
            "owner": owner,
            "list_url": list_url(owner),
            "proposals_url": proposals_url(owner),
            "applied_url": version_url(applied) if applied is not None and version_url else "",
            "fields": fields(proposal) if proposal.action == ProposalAction.ADD else [],
            "steps": proposal.steps.select_related("actor"),
            "allowed": allowed,
            "form": OpinionForm(),
            "reason_required": procedure.approval_needs_reason,
        },
    )
