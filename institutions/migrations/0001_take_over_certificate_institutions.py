"""The register of institutions moves out of the certificates app: take over its table as it stands.

State only: the rows stay in ``certificates_institution``; the certificates
app then points its foreign keys here, and the next migration renames the table.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("certificates", "0002_list_spreadsheet_import"),
        ("divisions", "0003_name_trigram"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Institution",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("updated", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                        (
                            "division",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="divisions.division",
                                verbose_name="county",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "demanding institution",
                        "verbose_name_plural": "demanding institutions",
                        "ordering": ["name"],
                        "db_table": "certificates_institution",
                        "constraints": [
                            models.UniqueConstraint(fields=("division", "name"), name="cert_institution_once")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
