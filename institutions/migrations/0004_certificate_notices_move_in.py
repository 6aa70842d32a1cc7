"""The certificate register's public notices become notices of the institutions' register (one public page)."""

from django.db import migrations


def forward(apps, schema_editor):
    DemandAction = apps.get_model("certificates", "DemandAction")
    Notice = apps.get_model("institutions", "Notice")
    for action in DemandAction.objects.filter(kind="notice").exclude(
        document_id__in=Notice.objects.values("document_id")
    ):
        notice = Notice.objects.create(
            county_id=action.county_id,
            institution_id=action.institution_id,
            source="certificates",
            period_from=action.period_from,
            period_to=action.period_to,
            count=action.refusals,
            text=action.text,
            document_id=action.document_id,
            created_by_id=action.created_by_id,
        )
        Notice.objects.filter(pk=notice.pk).update(created=action.created)


class Migration(migrations.Migration):
    dependencies = [
        ("institutions", "0003_public_notices"),
        ("certificates", "0003_institutions_move_out"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
