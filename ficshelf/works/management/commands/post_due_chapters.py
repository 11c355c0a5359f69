"""Post every scheduled chapter and work whose time has come (works.scheduling).

The release tasks post on time while a worker runs; this catches up after an outage, and is
safe to run from cron (every few minutes) or by hand: it only posts what is due, once."""

from django.core.management.base import BaseCommand

from ficshelf.works import scheduling


class Command(BaseCommand):
    help = "Post the scheduled chapters and works whose time has come."

    def handle(self, *args, **options):
        posted = scheduling.post_due()
        self.stdout.write(f"Posted {posted} scheduled release{'s' if posted != 1 else ''}.")
