"""The register of institutions now lives in the ``institutions`` app (shared with every demand)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_list_spreadsheet_import"),
        ("institutions", "0001_take_over_certificate_institutions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="certificaterequest",
                    name="institution",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="requests",
                        to="institutions.institution",
                        verbose_name="demanded by",
                    ),
                ),
                migrations.AlterField(
                    model_name="demandaction",
                    name="institution",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions",
                        to="institutions.institution",
                        verbose_name="institution",
                    ),
                ),
                migrations.DeleteModel(name="Institution"),
            ],
            database_operations=[],
        ),
    ]
