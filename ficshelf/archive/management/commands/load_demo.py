"""`manage.py load_demo`: the demo archive that `make run` shows — a demo author with the seed
story, and demo readers' kudos, comments, inline comments and a bookmark on it (marked as demo
data).

Safe to run again and again: everything is made once; the password is printed every time.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ficshelf.bookmarks.demo import add_demo_bookmark
from ficshelf.feedback.demo import add_demo_feedback
from ficshelf.imports.demo import (
    DEMO_USERNAME,
    SeedMissing,
    default_seed_path,
    demo_author,
    import_seed,
)
from ficshelf.imports.services import ImportRefused
from ficshelf.inbox.demo import add_demo_subscriptions
from ficshelf.stats.demo import add_demo_readers


class Command(BaseCommand):
    help = "Create the demo author, the seed story and its demo feedback once; print the login."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=Path, help="The story to import (default: the shared seed story)."
        )
        parser.add_argument(
            "--port",
            type=int,
            default=8000,
            help="The port the archive is served on, for the printed address (default 8000).",
        )
        parser.add_argument(
            "--no-feedback",
            action="store_true",
            help="Leave out the demo readers' kudos and comments.",
        )

    def handle(self, *args, seed: Path | None, port: int, no_feedback: bool, **options):
        user, password = demo_author()
        self.stdout.write(f"Demo author: {DEMO_USERNAME} / {password}")
        path = seed or default_seed_path()
        try:
            work, warnings = import_seed(user, path)
        except SeedMissing as missing:
            if seed:
                raise CommandError(str(missing)) from None
            self.stdout.write(self.style.WARNING(f"No seed story at {path}: none imported."))
            return
        except ImportRefused as refusal:
            raise CommandError(f"{path}: {refusal.message}") from None
        for warning in warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if not no_feedback:
            added = add_demo_feedback(work)
            if added:
                self.stdout.write(f"Demo feedback: {added}")
            bookmark = add_demo_bookmark(work)
            if bookmark:
                self.stdout.write(f"Demo bookmark: {bookmark}")
            subscriptions = add_demo_subscriptions(work)
            if subscriptions:
                self.stdout.write(f"Demo subscriptions: {subscriptions}")
            readers = add_demo_readers(work)
            if readers:
                self.stdout.write(f"Demo readers: {readers}")
        self.stdout.write(
            f"Demo work: “{work.title}” at http://127.0.0.1:{port}{work.get_absolute_url()}"
        )
