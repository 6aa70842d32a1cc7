"""Every change to the certificate lists and the register goes through here, audited.

Rules:

- Lists (seed 000 §9–10, seed 001, seed 003 §7): versioned like the
  work-affairs catalogue (villageburden/versioning.py). A county's first
  draft inherits the province's lists in force; counties add local items.
- A request records the applicant (ID number checked, never kept in clear),
  the certificate asked for, its purpose and the institution that demanded it.
- Outcomes, each one transition that locks the request, checks it is still
  open, writes the outcome, its numbered document and an audit event together:
  * retained → issue, on the spot or by the deadline the item's time limit sets;
  * negative → refuse, with a slip citing the list item and the alternative
    route; the refusal counts against the demanding institution (seed 002 §3(9));
  * unlisted → issue what can be verified; a matter of major consequence or
    legal risk needs an investigation note and a villager deliberation record
    first (seed 000 §10, seed 003 §8);
  * commitment → the applicant signs a 告知承诺 instead (seed 002 §3(9));
  * refer → reported to the township (seed 003 §8).
- Civil affairs writes to an institution that demands unreasonable
  certificates (发函提醒) and, if it goes on, publishes a notice (通报).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from documents.services import document_issue
from institutions.choices import NoticeSource
from institutions.models import Institution
from institutions.notices import notice_issue
from institutions.services import institution_for
from villageburden import versioning
from villageburden.deadlines import deadline_notify
from villageburden.sources import cite
from villageburden.versioning import KEEPER_LEVEL
from villageburden.workdays import add_working_days

from . import identity
from .choices import KIND_CODE_PREFIX, DemandActionKind, ItemStatus, ListKind, MeetingType, RequestStatus
from .models import (
    CIVIL_AFFAIRS_ROLES,
    REGISTRARS,
    CertificateItem,
    CertificateList,
    CertificateListVersion,
    CertificateRequest,
    DemandAction,
)

if TYPE_CHECKING:
    from organisations.models import User

ITEM_FIELDS = (
    "code",
    "kind",
    "name",
    "common_names",
    "reason",
    "alternative_route",
    "alternative",
    "legal_basis",
    "basis_missing",
    "purpose",
    "conditions",
    "materials",
    "procedure",
    "time_limit_days",
    "template",
    "status",
    "source",
)


def _covers(user: User, division: Division) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    prefix = user.jurisdiction_prefix
    return bool(prefix) and division.code.startswith(prefix)


def require_keeper(user: User, certificate_list: CertificateList, action: str = "change") -> None:
    if (
        user is None
        or not CertificateList.objects.restrict(user, action).filter(pk=certificate_list.pk).exists()
    ):
        raise PermissionDenied(_("You may not change these certificate lists."))


# --- lists ------------------------------------------------------------------


@transaction.atomic
def certificate_list_create(*, division: Division, name: str, user: User) -> CertificateList:
    """Open the certificate lists of a province (guidance) or a county (derived from its province)."""
    if division.level not in (Level.PROVINCE, Level.COUNTY):
        raise ValidationError({"division": _("Certificate lists are kept by provinces and counties.")})
    if not user.is_superuser and (
        KEEPER_LEVEL.get(user.role) != division.level or not _covers(user, division)
    ):
        raise PermissionDenied(_("You may not open certificate lists here."))
    if CertificateList.objects.filter(division=division).exists():
        raise ValidationError({"division": _("This division already has certificate lists.")})
    guidance = None
    if division.level == Level.COUNTY:
        guidance = CertificateList.objects.filter(division_id=division.ancestor_at(Level.PROVINCE)).first()
    lists = CertificateList.objects.create(division=division, name=name.strip(), guidance=guidance)
    record_event(user, "certificates.list_create", obj=lists, summary=lists.name)
    return lists


@transaction.atomic
def draft_get_or_create(*, certificate_list: CertificateList, user: User) -> CertificateListVersion:
    """The lists' draft; a new one is a complete copy of the latest published version
    (or, for a county with nothing published, of its province's lists in force)."""
    require_keeper(user, certificate_list)
    return versioning.draft_open(
        certificate_list, user=user, event="certificates.draft_create", fields=ITEM_FIELDS
    )


def _lock_draft(version: CertificateListVersion) -> CertificateListVersion:
    return versioning.lock_draft(
        CertificateListVersion.objects.select_related("certificate_list"), version.pk
    )


def item_clean(data: dict[str, Any]) -> dict[str, Any]:
    """The item's values, or a ValidationError with a message per field (the form, API and import share it)."""
    values: dict[str, Any] = {f: data.get(f) for f in ITEM_FIELDS}
    errors: dict[str, list[str]] = {}
    for f in ITEM_FIELDS:
        if isinstance(values[f], str):
            values[f] = values[f].strip()
    values["code"] = values["code"] or ""
    values["name"] = values["name"] or ""
    if not values["name"]:
        errors["name"] = [_("Give the certificate's name.")]
    if values["kind"] not in ListKind.values:
        errors["kind"] = [_("Choose the negative or the retained list.")]
    values["status"] = values["status"] or ItemStatus.ACTIVE
    if values["status"] not in ItemStatus.values:
        errors["status"] = [_("Unknown status.")]
    for f in (
        "common_names",
        "reason",
        "alternative_route",
        "alternative",
        "legal_basis",
        "purpose",
        "conditions",
        "materials",
        "procedure",
        "template",
        "source",
    ):
        values[f] = values[f] or ""
    values["basis_missing"] = bool(values["basis_missing"])
    try:
        values["time_limit_days"] = int(values["time_limit_days"] or 0)
        if not 0 <= values["time_limit_days"] <= 60:
            raise ValueError
    except (TypeError, ValueError):
        errors["time_limit_days"] = [
            _("The time limit is a number of working days from 0 (on the spot) to 60.")
        ]
    if values["kind"] == ListKind.NEGATIVE and not values["alternative"]:
        errors["alternative"] = [_("Say where the villager goes instead (seed 000 §10).")]
    if values["kind"] == ListKind.RETAINED and not values["legal_basis"] and not values["basis_missing"]:
        errors["legal_basis"] = [_("Cite the legal basis, or flag it as to be supplied.")]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def item_save(
    *, version: CertificateListVersion, data: dict[str, Any], user: User, item: CertificateItem | None = None
) -> CertificateItem:
    """Add an item to a draft, or change one of its items (found by ``item`` or by code)."""
    version = _lock_draft(version)
    require_keeper(user, version.certificate_list)
    values = item_clean(data)
    values["code"] = values["code"] or (
        item.code if item else versioning.next_code(version, KIND_CODE_PREFIX[ListKind(values["kind"])])
    )
    item = versioning.item_for_code(version, values["code"], item)
    before = {f: getattr(item, f) for f in ITEM_FIELDS} if item else None
    if item is None:
        item = CertificateItem(version=version, division_id=version.certificate_list.division_id)
    for f in ITEM_FIELDS:
        setattr(item, f, values[f])
    item.save()
    record_event(
        user,
        "certificates.item_save",
        obj=item,
        before=before,
        after={f: getattr(item, f) for f in ("code", "kind", "name", "status")},
    )
    return item


@transaction.atomic
def version_publish(
    *, version: CertificateListVersion, effective_from: date | None, user: User, note: str = ""
) -> CertificateListVersion:
    """Publish a draft: from ``effective_from`` it is the lists in force, unchangeable."""
    version = _lock_draft(version)
    lists = version.certificate_list
    require_keeper(user, lists, "publish")
    return versioning.publish(
        lists, version, effective_from=effective_from, user=user, note=note, event="certificates.publish"
    )


# --- the register -----------------------------------------------------------


def _require_registrar(user: User, village: Division) -> None:
    if village.level != Level.VILLAGE:
        raise ValidationError({"village": _("Choose a village.")})
    allowed = user.is_superuser or (user.role in REGISTRARS and _covers(user, village))
    if not allowed:
        raise PermissionDenied(_("You may not record certificate requests for this village."))


@transaction.atomic
def request_record(
    *,
    user: User,
    village: Division,
    applicant_name: str,
    id_number: str,
    certificate_name: str,
    purpose: str,
    institution_name: str,
    item: CertificateItem | None = None,
    due_on: date | None = None,
) -> CertificateRequest:
    """Record a request. The certificate is matched to the lists in force for the village unless given."""
    from .selectors import check_certificate, items_in_force

    _require_registrar(user, village)
    errors: dict[str, list[str]] = {}
    number = ""
    try:
        number = identity.validate(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    if not (applicant_name or "").strip():
        errors["applicant_name"] = [_("Give the applicant's name.")]
    if not (certificate_name or "").strip() and item is None:
        errors["certificate_name"] = [_("Say which certificate was asked for.")]
    if not (purpose or "").strip():
        errors["purpose"] = [_("Say what the certificate is for.")]
    today = timezone.localdate()
    if due_on is not None and due_on < today:
        errors["due_on"] = [_("The deadline cannot be in the past.")]
    if item is not None and not items_in_force(village).filter(pk=item.pk).exists():
        errors["item"] = [_("This certificate is not on the lists in force for this village.")]
    county = Division.objects.get(pk=village.ancestor_at(Level.COUNTY))
    if not errors:
        try:
            institution = institution_for(county=county, name=institution_name)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if item is None:
        item = check_certificate(village, certificate_name).item
    if due_on is None and item is not None and item.kind == ListKind.RETAINED:
        due_on = add_working_days(today, item.time_limit_days) if item.time_limit_days else today
    req = CertificateRequest.objects.create(
        village=village,
        county=county,
        applicant_name=applicant_name.strip(),
        id_hash=identity.lookup_hash(number),
        id_encrypted=identity.encrypt(number),
        id_masked=identity.mask(number),
        certificate_name=(certificate_name or (item.name if item else "")).strip()[:100],
        item=item,
        purpose=purpose.strip()[:200],
        institution=institution,
        due_on=due_on,
        recorded_by=user,
    )
    # The audit event names the request, never the ID number (only its masked form is anywhere but here).
    record_event(
        user,
        "certificates.request_record",
        obj=req,
        division=village.pk,
        summary=f"{req.certificate_name} · {institution.name}",
    )
    return req


def _lock_open(req: CertificateRequest, user: User) -> CertificateRequest:
    req = CertificateRequest.objects.select_for_update().get(pk=req.pk)
    if not CertificateRequest.objects.restrict(user, "change").filter(pk=req.pk).exists():
        raise PermissionDenied(_("You may not handle this request."))
    if req.status != RequestStatus.RECORDED:
        raise ValidationError(
            _("This request has already been handled (%(s)s).") % {"s": req.get_status_display()}
        )
    return req


def _number_format(req: CertificateRequest, word: str) -> str:
    return f"{req.county_id[:6]}{word}〔{{year}}〕{{n}}号"


def _document(
    req: CertificateRequest, user: User, *, kind: str, title: str, template: str, word: str, **context
):
    return document_issue(
        kind=kind,
        title=title,
        template=template,
        context={"req": req, "village": req.village, "item": req.item, **context},
        target=req,
        division=req.village,
        user=user,
        number_format=_number_format(req, word),
    )


def _close(req: CertificateRequest, user: User, status: str, event: str, document=None, **fields) -> None:
    req.status = status
    req.handled_by = user
    req.handled_at = timezone.now()
    req.document = document
    for k, v in fields.items():
        setattr(req, k, v)
    req.save()
    record_event(
        user,
        event,
        obj=req,
        division=req.village_id,
        summary=f"{req.certificate_name} · {req.institution.name}"
        + (f" · {document.number}" if document else ""),
    )


def _fill(template: str, req: CertificateRequest, id_number: str, facts: str) -> str:
    values = {
        "name": req.applicant_name,
        "id": id_number,
        "village": req.village.name,
        "purpose": req.purpose,
        "facts": facts,
    }
    text = template or "兹证明{name}（公民身份号码：{id}）{facts}。\n此证明用于{purpose}。"
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def fill_certificate_id(document, html: str) -> str:
    """At PDF time only: the certificate carries the full ID number; its stored HTML only the masked one."""
    req = CertificateRequest.objects.filter(pk=document.target_id).first()
    if req is None or document.target_type != req._meta.label_lower:
        return html
    return html.replace(req.id_masked, identity.decrypt(req.id_encrypted))


@transaction.atomic
def request_issue(*, request: CertificateRequest, user: User, facts: str = "") -> CertificateRequest:
    """Issue a retained-list certificate from its uniform template, numbered, as PDF."""
    req = _lock_open(request, user)
    item = req.item
    if item is None or item.kind != ListKind.RETAINED:
        raise ValidationError(
            _(
                "Only a certificate on the retained list is issued this way; an unlisted one is verified first."
            )
        )
    text = _fill(item.template, req, req.id_masked, facts.strip() or req.village.name + "村民")
    doc = _document(
        req,
        user,
        kind="certificate",
        title=item.name,
        template="certificates/pdf/certificate.html",
        word="证",
        text=text,
    )
    _close(req, user, RequestStatus.ISSUED, "certificates.issue", doc, facts=facts.strip())
    return req


@transaction.atomic
def request_refuse(
    *, request: CertificateRequest, user: User, item: CertificateItem | None
) -> CertificateRequest:
    """Refuse a negative-list certificate with a slip citing the item and where to go instead."""
    from .selectors import items_in_force

    req = _lock_open(request, user)
    if item is None:
        raise ValidationError({"item": _("A refusal cites the negative-list item it rests on.")})
    if item.kind != ListKind.NEGATIVE or not items_in_force(req.village).filter(pk=item.pk).exists():
        raise ValidationError(
            {"item": _("This is not an item of the negative list in force for this village.")}
        )
    req.item = item
    doc = _document(
        req,
        user,
        kind="refusal",
        title="不予出具证明告知单",
        template="certificates/pdf/refusal.html",
        word="证拒",
    )
    _close(req, user, RequestStatus.REFUSED, "certificates.refuse", doc, item=item)
    return req


@transaction.atomic
def request_verify_issue(
    *,
    request: CertificateRequest,
    user: User,
    facts: str,
    major_matter: bool = False,
    investigation_note: str = "",
    meeting_type: str = "",
    meeting_date: date | None = None,
    meeting_participants: str = "",
    meeting_outcome: str = "",
) -> CertificateRequest:
    """Issue an unlisted certificate truthfully, for what the village could verify (seed 000 §10, 003 §8)."""
    req = _lock_open(request, user)
    errors: dict[str, list[str]] = {}
    if req.item is not None and req.item.kind == ListKind.NEGATIVE:
        errors["facts"] = [_("This certificate is on the negative list: refuse it with a slip.")]
    if not facts.strip():
        errors["facts"] = [_("Write down the facts the village verified; only those are certified.")]
    if major_matter:
        if not investigation_note.strip():
            errors["investigation_note"] = [
                _("A matter of major consequence needs an investigation note first.")
            ]
        if meeting_type not in MeetingType.values:
            errors["meeting_type"] = [_("Record the villager deliberation: the kind of meeting.")]
        if meeting_date is None or meeting_date > timezone.localdate():
            errors["meeting_date"] = [_("Record the date the meeting was held (not in the future).")]
        if not meeting_participants.strip():
            errors["meeting_participants"] = [_("Record who took part in the deliberation.")]
        if not meeting_outcome.strip():
            errors["meeting_outcome"] = [_("Record what the deliberation decided.")]
    if errors:
        raise ValidationError(errors)
    text = _fill("", req, req.id_masked, facts.strip())
    doc = _document(
        req,
        user,
        kind="certificate",
        title=req.certificate_name or "证明",
        template="certificates/pdf/certificate.html",
        word="证",
        text=text,
    )
    _close(
        req,
        user,
        RequestStatus.ISSUED,
        "certificates.verify_issue",
        doc,
        facts=facts.strip(),
        major_matter=major_matter,
        investigation_note=investigation_note.strip(),
        meeting_type=meeting_type if major_matter else "",
        meeting_date=meeting_date if major_matter else None,
        meeting_participants=meeting_participants.strip(),
        meeting_outcome=meeting_outcome.strip(),
    )
    return req


@transaction.atomic
def request_commit(*, request: CertificateRequest, user: User, statement: str = "") -> CertificateRequest:
    """The applicant signs a notification-and-commitment (告知承诺) instead of a certificate (seed 002 §3(9))."""
    req = _lock_open(request, user)
    statement = (
        statement.strip()
        or f"本人{req.applicant_name}承诺：所申请事项「{req.certificate_name}」涉及的情况真实。"
    )
    doc = _document(
        req,
        user,
        kind="commitment",
        title="证明事项告知承诺书",
        template="certificates/pdf/commitment.html",
        word="承诺",
        statement=statement,
    )
    _close(req, user, RequestStatus.COMMITTED, "certificates.commit", doc, note=statement)
    return req


@transaction.atomic
def request_refer(*, request: CertificateRequest, user: User, reason: str) -> CertificateRequest:
    """Report to the township a certificate the village cannot verify yet is asked to issue (seed 003 §8)."""
    req = _lock_open(request, user)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the village cannot issue it.")})
    _close(req, user, RequestStatus.REFERRED, "certificates.refer", None, note=reason.strip())
    return req


def request_reminders(*, today: date | None = None) -> int:
    """Remind the township of retained certificates not issued by their deadline (like gate deadlines)."""
    from organisations.models import User as UserModel

    today = today or timezone.localdate()
    sent = 0
    overdue = CertificateRequest.objects.filter(
        status=RequestStatus.RECORDED, due_on__lt=today
    ).select_related("village")
    for req in overdue.iterator():
        if req.due_on is None:  # filtered on due_on__lt, never None here
            continue
        township = req.village.ancestor_at(Level.TOWNSHIP)
        staff = UserModel.objects.filter(
            role__in=REGISTRARS, organisation__division_id=township, is_active=True
        )
        words = {"c": req.certificate_name, "v": req.village.name, "d": req.due_on}
        with transaction.atomic():
            sent += deadline_notify(
                target=req,
                due=req.due_on,
                today=today,
                remind=staff,
                escalate=staff,
                reminder_kind="cert_overdue",
                escalation_kind="cert_overdue",
                reminder_subject=_("Certificate overdue: %(c)s for %(v)s, due %(d)s") % words,
                escalation_subject=_("Certificate overdue: %(c)s for %(v)s, due %(d)s") % words,
                reminder_key=f"cert-due:{req.pk}:{req.due_on}",
                escalation_key=f"cert-overdue:{req.pk}:{req.due_on}",
            )
    return sent


# --- unreasonable demands ---------------------------------------------------


def _require_civil_affairs(user: User, county: Division) -> None:
    from organisations.choices import OrgKind

    ok = user.is_superuser or (
        user.role in CIVIL_AFFAIRS_ROLES
        and user.organisation is not None
        and user.organisation.kind == OrgKind.CIVIL_AFFAIRS
        and user.organisation.division_id == county.pk
    )
    if not ok:
        raise PermissionDenied(_("Only the county's civil-affairs department acts on unreasonable demands."))


@transaction.atomic
def demand_action_create(
    *, institution: Institution, kind: str, period_from: date, period_to: date, user: User, text: str = ""
) -> DemandAction:
    """A reminder letter (发函提醒) or, after one, a public notice (通报) — numbered, recorded, audited."""
    from .selectors import refusals_by_institution

    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    county = Division.objects.get(pk=institution.division_id)
    _require_civil_affairs(user, county)
    errors: dict[str, list[str]] = {}
    if kind not in DemandActionKind.values:
        errors["kind"] = [_("Choose a reminder letter or a public notice.")]
    if period_from is None or period_to is None or period_from > period_to:
        errors["period_from"] = [_("Give a period whose start is not after its end.")]
    if errors:
        raise ValidationError(errors)
    # A notice says the institution went on after the letter: it counts only what came after it.
    letter = None
    if kind == DemandActionKind.NOTICE:
        letter = (
            institution.actions.filter(kind=DemandActionKind.LETTER)
            .select_related("document")
            .order_by("-created")
            .first()
        )
        if letter is None:
            raise ValidationError(
                _("A public notice follows a reminder letter the institution did not heed (seed 002 §3(9)).")
            )
    after = letter.created if letter else None
    counted = (
        refusals_by_institution(county, period_from, period_to, after=after).filter(pk=institution.pk).first()
    )
    refusals = counted.refusals if counted else 0
    if refusals == 0 and letter is not None:
        raise ValidationError(
            _(
                "Since the reminder letter %(number)s the institution has made no such demand in the period: "
                "there is nothing to notify."
            )
            % {"number": letter.document.number}
        )
    if refusals == 0:
        raise ValidationError(_("No unreasonable demand by this institution is recorded in the period."))
    items = refusals_by_institution(county, period_from, period_to, items_of=institution, after=after)
    rows = [(row["item__name"], f"{row['n']} 次") for row in items]
    if kind == DemandActionKind.LETTER:
        paragraphs = [
            text.strip()
            or f"经统计，{period_from:%Y年%-m月%-d日}至{period_to:%Y年%-m月%-d日}，贵单位要求村级组织出具"
            f"不应由村级组织出具的证明事项共{refusals}次。",
            cite(
                "依照证明事项负面清单，上述证明不应要求村级组织出具。凡缺乏法律法规或者国务院决定等依据的证明事项，"
                "一律不得要求村级组织出具（种子000第九条、种子003第7条）。请贵单位通过自行核查、网上核验、"
                "数据共享或告知承诺等方式办理，并于收函后予以纠正。"
            ),
        ]
        doc = document_issue(
            kind=f"demand_{kind}",
            title="关于规范要求村级组织出具证明的提醒函",
            template="documents/letter.html",
            context={
                "recipient": institution.name,
                "paragraphs": paragraphs,
                "rows": rows,
                "sender": user.organisation.name if user.organisation else "",
            },
            target=institution,
            division=county,
            user=user,
            number_format=f"{county.pk[:6]}民函〔{{year}}〕{{n}}号",
        )
    else:
        # The notice itself is the institutions' register's: one public page for every notice.
        assert letter is not None
        since = max(period_from, timezone.localtime(letter.created).date())
        paragraphs = [
            text.strip()
            or f"{institution.name}在收到提醒函（{letter.document.number}）后，{since:%Y年%-m月%-d日}至{period_to:%Y年%-m月%-d日}"
            f"仍要求村级组织出具不应由村级组织出具的证明事项{refusals}次，现予通报。",
            cite("对没有政策依据擅自要求出具不合理证明、拒不纠正的，予以通报（种子002第三部分第（九）项）。"),
        ]
        doc = notice_issue(
            institution=institution,
            source=NoticeSource.CERTIFICATES,
            title=f"关于{institution.name}要求村级组织出具不合理证明的通报",
            paragraphs=paragraphs,
            rows=rows,
            period_from=period_from,
            period_to=period_to,
            count=refusals,
            number_word="民通",
            user=user,
        ).document
    action = DemandAction.objects.create(
        county=county,
        institution=institution,
        kind=kind,
        period_from=period_from,
        period_to=period_to,
        refusals=refusals,
        text="\n".join(paragraphs),
        document=doc,
        created_by=user,
    )
    record_event(
        user,
        f"certificates.demand_{kind}",
        obj=action,
        division=county.pk,
        summary=f"{doc.number} {institution.name}: {refusals}",
    )
    return action
