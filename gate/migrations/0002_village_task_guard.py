"""The database's own guard on village tasks (DESIGN §3 guarantee 1).

The one service that creates village tasks checks the request's state, county,
scope and dates; this trigger refuses, whatever the path (raw SQL, COPY, a
future bug), a row whose request is not approved for that village's county or
whose list item is not an active autonomy or assist item governing it, and any
later change of a task's village or source.
"""

from django.db import migrations

PG_FORWARD = r"""
CREATE OR REPLACE FUNCTION gate_village_task_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.village_id IS DISTINCT FROM OLD.village_id
           OR NEW.county_id IS DISTINCT FROM OLD.county_id
           OR NEW.access_request_id IS DISTINCT FROM OLD.access_request_id
           OR NEW.catalogue_item_id IS DISTINCT FROM OLD.catalogue_item_id THEN
            RAISE EXCEPTION 'gate: a village task''s village and source never change'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.county_id <> substr(NEW.village_id, 1, 6) || '000000' THEN
        RAISE EXCEPTION 'gate: village % is not in county %', NEW.village_id, NEW.county_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.access_request_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM gate_accessrequest r
        WHERE r.id = NEW.access_request_id AND r.status = 'approved' AND r.division_id = NEW.county_id
    ) THEN
        RAISE EXCEPTION 'gate: request % is not approved for county %', NEW.access_request_id, NEW.county_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.catalogue_item_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM catalogs_catalogueitem i
        WHERE i.id = NEW.catalogue_item_id AND i.status = 'active' AND i.kind <> 'negative'
          AND (i.division_id = NEW.county_id OR i.division_id = substr(NEW.village_id, 1, 2) || '0000000000')
    ) THEN
        RAISE EXCEPTION 'gate: item % is not an active list item of county %', NEW.catalogue_item_id, NEW.county_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS gate_village_task_guard ON gate_villagetask;
CREATE TRIGGER gate_village_task_guard BEFORE INSERT OR UPDATE ON gate_villagetask
    FOR EACH ROW EXECUTE FUNCTION gate_village_task_guard();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS gate_village_task_guard ON gate_villagetask;
DROP FUNCTION IF EXISTS gate_village_task_guard();
"""

SQLITE_FORWARD = [
    """
CREATE TRIGGER IF NOT EXISTS gate_village_task_guard_insert BEFORE INSERT ON gate_villagetask
BEGIN
    SELECT RAISE(ABORT, 'gate: village is not in the task''s county')
    WHERE NEW.county_id <> substr(NEW.village_id, 1, 6) || '000000';
    SELECT RAISE(ABORT, 'gate: request is not approved for this county')
    WHERE NEW.access_request_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM gate_accessrequest r
        WHERE r.id = NEW.access_request_id AND r.status = 'approved' AND r.division_id = NEW.county_id);
    SELECT RAISE(ABORT, 'gate: not an active list item of this county')
    WHERE NEW.catalogue_item_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM catalogs_catalogueitem i
        WHERE i.id = NEW.catalogue_item_id AND i.status = 'active' AND i.kind <> 'negative'
          AND (i.division_id = NEW.county_id OR i.division_id = substr(NEW.village_id, 1, 2) || '0000000000'));
END;
""",
    """
CREATE TRIGGER IF NOT EXISTS gate_village_task_guard_update BEFORE UPDATE OF
    village_id, county_id, access_request_id, catalogue_item_id ON gate_villagetask
WHEN NEW.village_id IS NOT OLD.village_id OR NEW.county_id IS NOT OLD.county_id
  OR NEW.access_request_id IS NOT OLD.access_request_id OR NEW.catalogue_item_id IS NOT OLD.catalogue_item_id
BEGIN
    SELECT RAISE(ABORT, 'gate: a village task''s village and source never change');
END;
""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS gate_village_task_guard_insert;",
    "DROP TRIGGER IF EXISTS gate_village_task_guard_update;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)  # None: the % in RAISE is not a placeholder
    elif vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("gate", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
