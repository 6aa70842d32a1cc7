"""A notification is about any object: type, id and link instead of a gate request.

Existing rows keep their request as target ``gate.accessrequest:<id>``; the
table takes the app's name.
"""

from django.db import migrations, models


def copy_request_to_target(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for pk, request_id in Notification.objects.filter(request__isnull=False).values_list("pk", "request_id").iterator():
        Notification.objects.filter(pk=pk).update(
            target_type="gate.accessrequest",
            target_id=str(request_id),
            target_url=f"/gate/requests/{request_id}/",
        )


def copy_target_to_request(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for pk, target_id in (
        Notification.objects.filter(target_type="gate.accessrequest").values_list("pk", "target_id").iterator()
    ):
        Notification.objects.filter(pk=pk).update(request_id=int(target_id))


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_take_over_gate_notifications"),
        ("gate", "0003_notification_moves_to_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="target_type",
            field=models.CharField(blank=True, default="", max_length=60, verbose_name="about (type)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="target_id",
            field=models.CharField(blank=True, default="", max_length=40, verbose_name="about (id)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="target_url",
            field=models.CharField(blank=True, default="", max_length=300, verbose_name="link"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(max_length=40, verbose_name="kind"),
        ),
        migrations.RunPython(copy_request_to_target, copy_target_to_request),
        migrations.RemoveField(model_name="notification", name="request"),
        migrations.RemoveConstraint(model_name="notification", name="gate_notification_once"),
        migrations.RenameIndex(
            model_name="notification", new_name="notification_outbox", old_name="gate_notification_outbox"
        ),
        migrations.AlterModelTable(name="notification", table=None),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dedupe_key", ""), _negated=True),
                fields=("user", "dedupe_key"),
                name="notification_once",
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["target_type", "target_id"], name="notification_target"),
        ),
    ]
