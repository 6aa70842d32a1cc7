"""The taken-over table gets the app's own name and constraint."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("institutions", "0001_take_over_certificate_institutions"),
        ("certificates", "0003_institutions_move_out"),
    ]

    operations = [
        migrations.AlterModelTable(name="institution", table=None),
        migrations.RemoveConstraint(model_name="institution", name="cert_institution_once"),
        migrations.AddConstraint(
            model_name="institution",
            constraint=models.UniqueConstraint(fields=("division", "name"), name="institution_once"),
        ),
    ]
