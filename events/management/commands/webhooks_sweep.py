from django.core.management.base import BaseCommand

from events.services import webhooks_sweep


class Command(BaseCommand):
    help = "Fan new events out to webhook endpoints and send every due delivery."

    def handle(self, *args, **options):
        result = webhooks_sweep()
        self.stdout.write(f"fanned out {result['fanned_out']}, sent {result['sent']}")
