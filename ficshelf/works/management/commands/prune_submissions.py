"""Delete the posting forms' one-time tokens older than a week (works.submissions).

A token stops a double click or a retry from posting twice; after a week it guards nothing. Safe
to run from cron (daily) or by hand: it touches no work, chapter, draft or autosave."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from ficshelf.works import submissions


class Command(BaseCommand):
    help = "Delete the posting forms' one-time tokens older than a week (or --days)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=submissions.KEPT_FOR.days,
            help="Keep the tokens of the last DAYS days (default %(default)s, at least 1).",
        )

    def handle(self, *args, days, **options):
        deleted = submissions.prune(before=timezone.now() - timedelta(days=max(1, days)))
        self.stdout.write(f"Deleted {deleted} old form token{'s' if deleted != 1 else ''}.")
