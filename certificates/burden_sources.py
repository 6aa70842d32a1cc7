"""What the certificate register adds to a village's burden account (BURDEN.md, issue 11).

Certificates are occurrences, not standing items: the account counts those
handled in the year up to the day (the 365 days ending on it), by outcome:
issued, refused (on the negative list) or replaced by the applicant's written
commitment (告知承诺). The register carries no time per certificate: each
outcome counts a documented default (module constants, shown as estimates).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from divisions.models import Division

from .choices import RequestStatus
from .models import CertificateRequest

# Time per certificate (estimates; no seed gives a figure): checking the facts and
# issuing one, explaining a refusal and where to go instead, taking a commitment.
ISSUED_HOURS = 0.5
REFUSED_HOURS = 0.25
COMMITTED_HOURS = 0.25


class _Handled:
    key = ""
    label = None
    order = 0
    method = None
    status = ""
    hours_each = 0.0

    def handled(self, villages: QuerySet[Division], on: date) -> QuerySet[CertificateRequest]:
        return CertificateRequest.objects.filter(
            village__in=villages,
            status=self.status,
            handled_at__date__gt=on - timedelta(days=365),
            handled_at__date__lte=on,
        )

    def per_village(
        self, villages: QuerySet[Division], on: date
    ) -> dict[str, tuple[int, float, bool]] | None:
        rows = self.handled(villages, on).values("village_id").annotate(n=Count("id")).order_by()
        out = {r["village_id"]: (r["n"], r["n"] * self.hours_each, True) for r in rows}
        if out or CertificateRequest.objects.filter(village__in=villages).exists():
            return out
        return None

    def rows(self, villages: QuerySet[Division], on: date, limit: int = 200) -> list[dict]:
        # Name of the certificate and who demanded it; never the applicant's personal data.
        found = (
            self.handled(villages, on).select_related("village", "institution").order_by("-handled_at", "-pk")
        )
        return [
            {
                "village": r.village_id,
                "village_name": r.village.name,
                "what": f"{r.certificate_name}（{r.institution}）",
                "count": 1,
                "hours": self.hours_each,
                "estimated": True,
                "basis": f"{self.hours_each * 60:g} min",
                "url": reverse("certificates:request", args=[r.pk]),
                "object": (CertificateRequest, r.pk),
            }
            for r in found[:limit]
        ]


class Issued(_Handled):
    key = "certificates_issued"
    label = _("Certificates issued")
    order = 100
    method = _("certificates issued in the 365 days to the date × 30 min each (estimate)")
    status = RequestStatus.ISSUED
    hours_each = ISSUED_HOURS


class Refused(_Handled):
    key = "certificates_refused"
    label = _("Certificate demands refused")
    order = 105
    method = _("demands refused in the 365 days to the date × 15 min each (estimate)")
    status = RequestStatus.REFUSED
    hours_each = REFUSED_HOURS


class Committed(_Handled):
    key = "certificates_committed"
    label = _("Commitments instead of certificates")
    order = 110
    method = _("commitments taken in the 365 days to the date × 15 min each (estimate)")
    status = RequestStatus.COMMITTED
    hours_each = COMMITTED_HOURS


SOURCES = [Issued(), Refused(), Committed()]


def refusals_by_institution(villages: QuerySet[Division], on: date) -> dict[str, int]:
    """Institutions by the refused (negative-list) demands of the year to ``on`` (who pushes most)."""
    rows = (
        Refused()
        .handled(villages, on)
        .values("institution__name")
        .annotate(n=Count("id"))
        .order_by("-n")[:10]
    )
    return {r["institution__name"]: r["n"] for r in rows}
