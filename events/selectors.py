"""Reading the event feed: scoped, filtered, in commit order, a page at a time.

A page is two queries whatever its depth: the visibility horizon (PostgreSQL
only) and the page itself, a range scan of the partial index
``audit_feed (txid, id)`` from the cursor (``audit_feed_type`` when filtered
by type). Why (txid, id) and the horizon: ``audit/published.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from audit.models import AuditEvent
from divisions.models import Division
from divisions.scoping import code_range, significant_prefix


@dataclass(frozen=True)
class Cursor:
    txid: int
    id: int

    def __str__(self) -> str:
        return f"{self.txid}.{self.id}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        """``"<txid>.<id>"`` (opaque to clients); ValueError if malformed."""
        txid, _, pk = text.partition(".")
        cursor = cls(int(txid), int(pk))
        if cursor.txid < 0 or cursor.id < 0:
            raise ValueError(text)
        return cursor

    @classmethod
    def of(cls, event: AuditEvent) -> Cursor:
        return cls(event.txid, event.pk)


def visible_events(user) -> QuerySet[AuditEvent]:
    """Published events inside the user's jurisdiction (events with no division: superusers).

    Departments and portals follow only their own organisation's requests and
    tasks (the gate's rule, ``gate.models.OWN_ORG_ROLES``), so of events that
    name an owning organisation they see only their own.
    """
    from gate.models import OWN_ORG_ROLES

    qs = AuditEvent.objects.restrict(user, "view").exclude(event_type="")
    if getattr(user, "is_authenticated", False) and not user.is_superuser and user.role in OWN_ORG_ROLES:
        qs = qs.filter(Q(organisation__isnull=True) | Q(organisation=user.organisation_id))
    return qs


# The smallest transaction id still running *in this database* (other
# databases on the server cannot write this table, so their long transactions
# must not hold the feed back), or the snapshot's xmax when none is. The
# snapshot's in-progress list is matched to this database's backends (and
# prepared transactions); a transaction that ended between the two reads has
# committed or aborted before the page query's snapshot, so leaving it out is
# safe. pg_stat_activity is cached per transaction: clear it first, or a
# writer that started after the first read of the transaction would be missed.
_HORIZON_SQL = """
SELECT pg_stat_clear_snapshot();
SELECT LEAST(
    pg_snapshot_xmax(s)::text::bigint,
    (SELECT min(x::text::bigint) FROM pg_snapshot_xip(s) AS x
      WHERE (x::text::bigint & 4294967295) IN (
        SELECT backend_xid::text::bigint FROM pg_stat_activity
         WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
        UNION ALL
        SELECT transaction::text::bigint FROM pg_prepared_xacts WHERE database = current_database()))
  ), pg_current_xact_id_if_assigned()::text::bigint
FROM pg_current_snapshot() AS s
"""


def _horizon() -> Q:
    """Only rows of finished transactions (and the reader's own, which it can see).

    Every transaction id below the horizon has committed or aborted, and new
    transactions only get larger ids, so nothing can appear behind a cursor
    that stayed under it.
    """
    if connection.vendor != "postgresql":
        return Q()
    with connection.cursor() as c:
        c.execute(_HORIZON_SQL)
        c.nextset()
        horizon, own = c.fetchone()
    below = Q(txid__lt=horizon)
    return below | Q(txid=own) if own is not None else below


def division_prefix(code: str) -> str | None:
    """The subtree prefix of a division code (None if there is no such division)."""
    level = Division.objects.filter(code=code).values_list("level", flat=True).first()
    return significant_prefix(code, level) if level is not None else None


def feed_page(
    user,
    *,
    after: Cursor | None = None,
    types: list[str] | None = None,
    division_prefix: str | None = None,
    limit: int = 100,
) -> tuple[list[AuditEvent], bool]:
    """Up to ``limit`` events after ``after`` in commit order, and whether more are waiting."""
    qs = visible_events(user)
    if types:
        qs = qs.filter(event_type__in=types)
    if division_prefix:
        lo, hi = code_range(division_prefix)
        qs = qs.filter(division_id__gte=lo, division_id__lte=hi)
    if after is not None:
        # (txid, id) > cursor as one row comparison: the index scan (by type, or all) starts at
        # the cursor and reads in order. Written as txid >= … AND (txid > … OR id > …) the planner
        # chose, deep in a filtered feed, a bitmap of every later row and a sort (5–10× slower).
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        qs = qs.filter(
            RawSQL(
                f"({table}.txid, {table}.id) > (%s, %s)", (after.txid, after.id), output_field=BooleanField()
            )
        )
    qs = qs.filter(_horizon()).order_by("txid", "id")
    rows = list(
        qs.only(
            "id",
            "txid",
            "created",
            "event_type",
            "object_type",
            "object_id",
            "object_url",
            "division_id",
            "body",
        )[: limit + 1]
    )
    return rows[:limit], len(rows) > limit


def feed_tail(user) -> Cursor | None:
    """The cursor of the last event the user can see now: a new subscriber starts after it."""
    last = visible_events(user).filter(_horizon()).order_by("-txid", "-id").only("id", "txid").first()
    return Cursor.of(last) if last is not None else None
