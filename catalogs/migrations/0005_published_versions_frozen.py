"""Published versions never change: enforced by the database as well as the services.

Triggers refuse an UPDATE of a published version row, and an INSERT or UPDATE
of an item of a published version (PostgreSQL and SQLite). Note for later
migrations: when Django rebuilds a SQLite table (some ALTERs), its triggers are
dropped; re-create them in that migration.
"""

from django.db import migrations

MESSAGE_ITEM = "items of a published catalogue version never change"
MESSAGE_VERSION = "a published catalogue version never changes"

# The item trigger alone (0007 replaces it and, undone, puts it back).
POSTGRES_ITEM = f"""
CREATE OR REPLACE FUNCTION catalogs_item_frozen() RETURNS trigger AS $$
DECLARE vid bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN vid := NEW.version_id; ELSE vid := OLD.version_id; END IF;
  IF EXISTS (SELECT 1 FROM catalogs_catalogueversion WHERE id = vid AND status = 'published') THEN
    RAISE EXCEPTION '{MESSAGE_ITEM}';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER catalogs_item_frozen BEFORE INSERT OR UPDATE ON catalogs_catalogueitem
  FOR EACH ROW EXECUTE FUNCTION catalogs_item_frozen();
"""
POSTGRES = (
    POSTGRES_ITEM
    + f"""
CREATE OR REPLACE FUNCTION catalogs_version_frozen() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{MESSAGE_VERSION}';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER catalogs_version_frozen BEFORE UPDATE ON catalogs_catalogueversion
  FOR EACH ROW WHEN (OLD.status = 'published') EXECUTE FUNCTION catalogs_version_frozen();
"""
)
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS catalogs_item_frozen ON catalogs_catalogueitem;
DROP FUNCTION IF EXISTS catalogs_item_frozen();
DROP TRIGGER IF EXISTS catalogs_version_frozen ON catalogs_catalogueversion;
DROP FUNCTION IF EXISTS catalogs_version_frozen();
"""
SQLITE = [
    f"""CREATE TRIGGER catalogs_item_frozen_update BEFORE UPDATE ON catalogs_catalogueitem
    WHEN EXISTS (SELECT 1 FROM catalogs_catalogueversion WHERE id = OLD.version_id AND status = 'published')
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_ITEM}'); END""",
    f"""CREATE TRIGGER catalogs_item_frozen_insert BEFORE INSERT ON catalogs_catalogueitem
    WHEN EXISTS (SELECT 1 FROM catalogs_catalogueversion WHERE id = NEW.version_id AND status = 'published')
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_ITEM}'); END""",
    f"""CREATE TRIGGER catalogs_version_frozen BEFORE UPDATE ON catalogs_catalogueversion
    WHEN OLD.status = 'published'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_VERSION}'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS catalogs_item_frozen_update",
    "DROP TRIGGER IF EXISTS catalogs_item_frozen_insert",
    "DROP TRIGGER IF EXISTS catalogs_version_frozen",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalogs", "0004_proposals_imports")]

    operations = [migrations.RunPython(forwards, backwards)]
