"""Catalogue items without the indexes their constraints already lead with; history without FK indexes.

(version, code) and (division, kind) serve every lookup by version or division;
the history is read by item. Fewer indexes: fewer writes per item an import
copies. PostgreSQL only: SQLite would rebuild the table, and a trigger of
another app that names it (gate's village-task guard) refuses the rebuild.
An embedded SQLite database keeps the indexes.
"""

import django.db.models.deletion
from django.db import migrations, models


class AlterFieldOnPostgres(migrations.AlterField):
    """``AlterField`` in the migration state everywhere, in the database on PostgreSQL only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogs", "0007_items_frozen_per_statement"),
        ("divisions", "0003_name_trigram"),
    ]

    operations = [
        AlterFieldOnPostgres(
            model_name="catalogueitem",
            name="division",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="divisions.division",
                verbose_name="division",
            ),
        ),
        AlterFieldOnPostgres(
            model_name="catalogueitem",
            name="version",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="catalogs.catalogueversion",
                verbose_name="version",
            ),
        ),
        AlterFieldOnPostgres(
            model_name="historicalcatalogueitem",
            name="division",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="divisions.division",
                verbose_name="division",
            ),
        ),
        AlterFieldOnPostgres(
            model_name="historicalcatalogueitem",
            name="inherited_from",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                help_text="For a county item: the guidance item it derives from.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="catalogs.catalogueitem",
                verbose_name="inherited from",
            ),
        ),
        AlterFieldOnPostgres(
            model_name="historicalcatalogueitem",
            name="version",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="catalogs.catalogueversion",
                verbose_name="version",
            ),
        ),
    ]
