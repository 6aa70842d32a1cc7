"""Writing rows with their history rows by SQL: many checked rows at once, or one row's change.

For the spreadsheet imports (``spreadsheets.imports.Applier.write``): the rows
were validated already, so what is left is the write itself. On PostgreSQL the
rows go in by one ``COPY`` (ids drawn from the table's sequence first, so the
history rows can be written by one ``INSERT … SELECT`` from what was just
copied); updates go through a temporary table and one ``UPDATE … FROM``. On
other databases: ``bulk_create`` / ``bulk_update`` with django-simple-history's
helpers. Either way the database's constraints and triggers check every row,
and the caller's transaction holds it all (call these inside
``transaction.atomic``). ``save_with_history`` saves one object's changed
fields and writes its history row in one statement (PostgreSQL), for writes on
a hot path such as a request's version bump.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import orjson
from django.db import DatabaseError, connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

Row = dict[str, Any]


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """What COPY needs instead of the Python value (text format): JSON as its text; the rest as it is."""
    if isinstance(field, models.JSONField):
        # One encoder for every row (``json.dumps`` with these arguments builds a new one per call).
        encode = (field.encoder or json.JSONEncoder)(ensure_ascii=False).encode
        if field.encoder is not None:
            return lambda value: None if value is None else encode(value)

        def convert(value: Any) -> Any:
            """orjson where it writes what the standard encoder would mean; the standard encoder
            for what orjson refuses or would turn into null (a NaN: the database refuses it)."""
            if value is None:
                return None
            try:
                text = orjson.dumps(value)
            except orjson.JSONEncodeError:
                return encode(value)
            return encode(value) if b"null" in text else text.decode()

        return convert
    return None


def _fields(model: type[models.Model], given: Sequence[str]) -> list[models.Field]:
    """The concrete columns written: the ``given`` attnames and the timestamps Django would set."""
    out = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.attname in given or _stamped(field):
            out.append(field)
    return out


def _history(model: type[models.Model]):
    return model.history.model  # type: ignore[attr-defined]


def _write_history(cur, model, ids: list[int], *, user, kind: str, now) -> None:
    """One history row per id, copied by the database from the rows as they now stand."""
    q = connection.ops.quote_name
    insert, columns = _history_insert(model)
    cur.execute(
        f"{insert} SELECT {columns}, %s, '', %s, %s FROM {q(model._meta.db_table)} "
        f"WHERE {q(model._meta.pk.column)} = ANY(%s)",
        [now, kind, getattr(user, "pk", None), ids],
    )


@cache
def _history_insert(model: type[models.Model]) -> tuple[str, str]:
    """``INSERT INTO <history> (<tracked>, history_date, history_change_reason, history_type,
    history_user_id)`` and the tracked columns, to be followed by a ``SELECT`` of them and those four."""
    history = _history(model)
    q = connection.ops.quote_name
    tracked = ", ".join(q(f.attname) for f in history.tracked_fields)
    return (
        f"INSERT INTO {q(history._meta.db_table)} ({tracked}, history_date, history_change_reason, "
        "history_type, history_user_id)",
        tracked,
    )


@cache
def _saved_fields(model: type[models.Model], fields: tuple[str, ...]) -> list[models.Field]:
    return [f for f in _fields(model, fields) if not getattr(f, "auto_now_add", False)]


@cache
def _save_sql(model: type[models.Model], fields: tuple[str, ...]) -> str:
    """``save_with_history``'s statement (PostgreSQL): the update feeding the history row."""
    q = connection.ops.quote_name
    insert, tracked = _history_insert(model)
    sets = ", ".join(f"{q(f.column)} = %s" for f in _saved_fields(model, fields))
    return (
        f"WITH up AS (UPDATE {q(model._meta.db_table)} SET {sets} WHERE {q(model._meta.pk.column)} = %s "
        f"RETURNING {tracked}) {insert} SELECT {tracked}, %s, %s, '~', %s FROM up"
    )


def save_with_history(obj: models.Model, fields: Sequence[str], *, user) -> None:
    """Save ``fields`` (attnames) of ``obj`` and its ``updated``, with a '~' history row by ``user``.

    PostgreSQL: one ``UPDATE … RETURNING`` feeding the history ``INSERT``, one
    round trip and no history instance built in Python. Elsewhere: ``save``
    with django-simple-history's signal. Either way a row that is gone raises
    ``DatabaseError``, as ``save(update_fields=…)`` does.
    """
    model = type(obj)
    if connection.vendor != "postgresql":
        obj._history_user = user  # type: ignore[attr-defined]
        obj.save(update_fields=[f.attname for f in _saved_fields(model, tuple(fields))])
        return
    written = _saved_fields(model, tuple(fields))
    now = timezone.now()
    for f in written:
        if getattr(f, "auto_now", False):
            setattr(obj, f.attname, now)
    values = [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in written]
    with connection.cursor() as cur:
        # The change reason as django-simple-history keeps it (None unless the caller set one).
        reason = getattr(obj, "_change_reason", None)
        cur.execute(
            _save_sql(model, tuple(fields)), [*values, obj.pk, now, reason, getattr(user, "pk", None)]
        )
        if cur.rowcount != 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")


def _stamped(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def _copy(
    cur,
    table: str,
    pk: models.Field,
    fields: list[models.Field],
    rows,
    now,
    fixed: dict[str, Any] | None = None,
) -> None:
    """COPY ``rows`` ((id, values) pairs) into ``table``: the id, then ``fields``.

    A field in ``fixed`` takes that value in every row (the row's own is not
    read), a timestamp Django would set is ``now``, and every other field
    comes from the row. The columns go in the order row's, fixed, stamped, so a
    row is one list built in C.
    """
    q = connection.ops.quote_name
    fixed = fixed or {}
    stamped = [f for f in fields if _stamped(f)]
    shared = [f for f in fields if f.attname in fixed and not _stamped(f)]
    own = [f for f in fields if f not in stamped and f not in shared]
    names = [f.attname for f in own]
    convert = [(i, fn) for i, f in enumerate(own, start=1) if (fn := _converter(f)) is not None]
    tail = []
    for f in shared:
        fn = _converter(f)
        tail.append(fn(fixed[f.attname]) if fn is not None else fixed[f.attname])
    tail += [now] * len(stamped)
    columns = ", ".join(q(f.column) for f in [pk, *own, *shared, *stamped])
    # The raw cursor's COPY: its errors turned into Django's, as the wrapped cursor's are.
    with connection.wrap_database_errors, cur.cursor.copy(f"COPY {q(table)} ({columns}) FROM STDIN") as copy:
        write = copy.write_row
        for id_, values in rows:
            out = [id_, *map(values.__getitem__, names), *tail]
            for i, fn in convert:
                out[i] = fn(out[i])
            write(out)


def create_with_history(model: type[models.Model], rows: list[Row], *, user, same: Row | None = None) -> None:
    """Insert ``rows`` (attname → value) with '+' history rows.

    ``same`` holds values every row shares (the draft, the division); every
    other column not given takes its model default.
    """
    if not rows:
        return
    same = same or {}
    given = [*rows[0], *same]
    if connection.vendor != "postgresql":
        objs = [model(**values, **same) for values in rows]
        bulk_create_with_history(objs, model, batch_size=2000, default_user=user)
        return
    now = timezone.now()
    table = model._meta.db_table
    pk = model._meta.pk
    missing = [f for f in model._meta.concrete_fields if not f.primary_key and f not in _fields(model, given)]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(rows)],
        )
        ids = [r[0] for r in cur.fetchall()]
        # Columns not given take their model default (as bulk_create would).
        fixed = {**{f.attname: f.get_default() for f in missing}, **same}
        full = _fields(model, [*given, *fixed])
        _copy(cur, table, pk, full, zip(ids, rows, strict=True), now, fixed)
        _write_history(cur, model, ids, user=user, kind="+", now=now)


def update_with_history(
    model: type[models.Model],
    rows: list[tuple[int, Row]],
    fields: Sequence[str],
    *,
    user,
    within: dict[str, Any],
) -> None:
    """Set ``fields`` (attnames) of the rows with these ids (and their ``updated``), with '~' history rows.

    Only rows matching ``within`` (attname → value, e.g. the draft's id) change; any other id is left alone.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        by_id = dict(rows)
        objs = list(model._default_manager.filter(pk__in=by_id, **within))
        now = timezone.now()
        for obj in objs:
            for f in fields:
                setattr(obj, f, by_id[obj.pk][f])
            obj.updated = now  # type: ignore[attr-defined]
        bulk_update_with_history(objs, model, [*fields, "updated"], batch_size=2000, default_user=user)
        return
    now = timezone.now()
    q = connection.ops.quote_name
    table = model._meta.db_table
    pk = model._meta.pk
    written = [f for f in _fields(model, fields) if not getattr(f, "auto_now_add", False)]
    staging = f"_update_{table}"
    with connection.cursor() as cur:
        columns = ", ".join(q(f.column) for f in [pk, *written])
        # The columns' types without their constraints (the table's own check the UPDATE).
        cur.execute(f"DROP TABLE IF EXISTS {q(staging)}")
        cur.execute(
            f"CREATE TEMPORARY TABLE {q(staging)} ON COMMIT DROP AS "
            f"SELECT {columns} FROM {q(table)} WITH NO DATA"
        )
        _copy(cur, staging, pk, written, rows, now)
        assignments = ", ".join(f"{q(f.column)} = s.{q(f.column)}" for f in written)
        scope = "".join(f" AND t.{q(model._meta.get_field(k).column)} = %s" for k in within)
        cur.execute(
            f"UPDATE {q(table)} AS t SET {assignments} FROM {q(staging)} AS s "
            f"WHERE t.{q(pk.column)} = s.{q(pk.column)}{scope} RETURNING t.{q(pk.column)}",
            list(within.values()),
        )
        changed = [r[0] for r in cur.fetchall()]
        _write_history(cur, model, changed, user=user, kind="~", now=now)
