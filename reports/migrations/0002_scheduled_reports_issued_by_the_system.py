"""Scheduled reports are issued by the system (a document with no author), not by a stand-in account.

Reports issued earlier named an inactive superuser ``reports-scheduler`` made for
the purpose; their documents lose that author and the account is removed
(its audit events keep its name as text).
"""

from django.db import migrations
from django.db.models import ProtectedError

OLD_ACCOUNT = "reports-scheduler"


def forwards(apps, schema_editor):
    User = apps.get_model("organisations", "User")
    Document = apps.get_model("documents", "Document")
    for user in User.objects.filter(username=OLD_ACCOUNT, is_active=False):
        Document.objects.filter(created_by=user).update(created_by=None)
        try:
            user.delete()  # the audit trail keeps the name it acted under (actor_name)
        except ProtectedError:
            pass  # still named by some record: it stays inactive, with no usable password


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_work_plan_reports_subscriptions"),
        ("documents", "0002_system_issued_documents_have_no_author"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
