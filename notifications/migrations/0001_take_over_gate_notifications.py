"""The notifications outbox moves out of the gate: take over its table as it stands.

State only: the rows stay where they are (table ``gate_notification``); the
next migration gives them a generic target and renames the table.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("gate", "0002_village_task_guard"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=20, verbose_name="kind")),
                        ("subject", models.CharField(max_length=200, verbose_name="subject")),
                        ("body", models.TextField(blank=True, verbose_name="message")),
                        ("dedupe_key", models.CharField(blank=True, max_length=120, verbose_name="key")),
                        ("created", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="read at")),
                        ("emailed_at", models.DateTimeField(blank=True, null=True, verbose_name="e-mailed at")),
                        ("email_attempts", models.PositiveSmallIntegerField(default=0, verbose_name="e-mail attempts")),
                        (
                            "request",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="gate.accessrequest",
                                verbose_name="request",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "ordering": ["-created", "-id"],
                        "db_table": "gate_notification",
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("dedupe_key", ""), _negated=True),
                                fields=("user", "dedupe_key"),
                                name="gate_notification_once",
                            )
                        ],
                        "indexes": [models.Index(fields=["emailed_at"], name="gate_notification_outbox")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
