"""The gate's notifications now belong to the shared ``notifications`` app (same table, same rows)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("gate", "0002_village_task_guard"),
        ("notifications", "0001_take_over_gate_notifications"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
