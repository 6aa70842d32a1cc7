import importlib
import importlib.util
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from oauth2_provider.models import get_application_model

from divisions.services import import_divisions
from organisations.demo import DEMO_PASSWORD, LOGINS, TWO_FACTOR_FILE, seed_people, seed_two_factor
from organisations.services import portal_client_create

DEMO_DIVISIONS = Path(settings.BASE_DIR) / "fixtures" / "divisions-150223"
# Each app that has demo content provides demo.seed(stdout); run in this order.
DEMO_APPS = [
    "catalogs",
    "certificates",
    "signage",
    "gate",
    "formsplan",
    "workgroups",
    "monitoring",
    "assessments",
    "seals",
    "burden",
    "reports",
]


class Command(BaseCommand):
    help = "Load the demo county (达尔罕茂明安联合旗), its organisations, users and lists. Safe to re-run."

    def handle(self, *args, **options):
        stats = import_divisions(DEMO_DIVISIONS)
        self.stdout.write(f"divisions: {stats.created} created, {stats.unchanged} unchanged")
        orgs = seed_people()
        for app in DEMO_APPS:
            if importlib.util.find_spec(f"{app}.demo"):
                importlib.import_module(f"{app}.demo").seed(self.stdout)
        portal = self._portal(orgs["dm-portal"])
        two_factor = dict(seed_two_factor(settings.VAR_DIR))
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for login in LOGINS:
            mark = " *" if login.username in two_factor else ""
            self.stdout.write(f"  {login.username:<15} {login.role.label}（{login.display_name}）{mark}")
        self.stdout.write(f"  {'admin':<15} {_('administrator')}（/admin/） *")
        self.stdout.write(
            f"\n* second factor: keys in var/{TWO_FACTOR_FILE}; the code of the moment:"
            "\n  uv run python manage.py two_factor_code approver"
        )
        self.stdout.write(portal)

    def _portal(self, org) -> str:
        # A fresh secret each run (secrets are stored hashed and cannot be shown
        # again); the client itself is kept, so a re-run creates nothing.
        application_model = get_application_model()
        app = application_model.objects.filter(user__organisation=org, user__role="portal_client").first()
        if app is None:
            _user, client_id, secret = portal_client_create(
                organisation=org, name="政务服务平台 (demo)", scopes=["read", "screen", "submit"]
            )
        else:
            client_id, secret = app.client_id, secrets.token_urlsafe(32)
            app.client_secret = secret
            app.save(update_fields=["client_secret"])
        # The secret goes to a file only its owner can read, never to the terminal or a log.
        path = Path(settings.VAR_DIR) / "demo-portal-client.txt"
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(f"client_id={client_id}\nclient_secret={secret}\nscopes=read screen submit\n")
        return (
            f"\nPortal (OAuth2 client credentials, scopes read screen submit): client_id={client_id}\n"
            f"  the client secret is in {path} (readable by you only)"
        )
