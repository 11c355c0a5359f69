"""`manage.py backup DIR`: a consistent snapshot of the live archive (database and uploaded
files) in a new folder under DIR, with a manifest of every table's rows and hash."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ficshelf.archive.backups import BackupError, make_backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files while the archive runs."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="Folder to write the backup into.")

    def handle(self, *args, destination: Path, **options):
        try:
            folder = make_backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up to {folder}")
