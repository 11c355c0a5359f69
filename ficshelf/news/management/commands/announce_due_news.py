"""Show the scheduled news posts whose time has come on cached pages (news.services).

Their tasks do it on time while a worker runs; this catches up after an outage, and is safe to
run from cron or by hand."""

from django.core.management.base import BaseCommand

from ficshelf.news import services


class Command(BaseCommand):
    help = "Move the cached pages on for scheduled news posts whose time has come."

    def handle(self, *args, **options):
        count = services.announce_due()
        self.stdout.write(f"Announced {count} news post{'s' if count != 1 else ''}.")
