from django.core.management.base import BaseCommand, CommandError

from organisations.models import Organisation
from organisations.services import portal_client_create


class Command(BaseCommand):
    help = "Create OAuth2 client credentials for a government portal, scoped to an organisation."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organisation code")
        parser.add_argument("--name", default="", help="portal name (defaults to the organisation's)")
        parser.add_argument("--scopes", nargs="+", default=["read"], help="read screen submit")

    def handle(self, *args, org, name, scopes, **options):
        try:
            organisation = Organisation.objects.select_related("division").get(code=org)
        except Organisation.DoesNotExist as exc:
            raise CommandError(f"no organisation with code {org!r}") from exc
        try:
            _user, client_id, secret = portal_client_create(
                organisation=organisation, name=name or f"{organisation.name} portal", scopes=scopes
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"organisation:  {organisation} ({organisation.division})")
        self.stdout.write(f"client_id:     {client_id}")
        self.stdout.write(f"client_secret: {secret}   (shown once; store it now)")
        self.stdout.write(f"scopes:        {' '.join(sorted(set(scopes)))}")
        self.stdout.write("token:         POST /o/token/ grant_type=client_credentials&scope=<scopes>")
