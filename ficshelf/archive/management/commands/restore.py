"""`manage.py restore BACKUP`: load a backup into an empty database (the archive's own, or
`--into URL`), unpack its files, and check every table against the backup's manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ficshelf.archive.backups import BackupError, database_from_url, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` and verify it table by table."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The backup folder.")
        parser.add_argument(
            "--into",
            help="A DATABASE_URL (or SQLite file) to restore into, instead of the archive's own.",
        )
        parser.add_argument(
            "--media-root", type=Path, help="Where to unpack uploaded files (default MEDIA_ROOT)."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace a database that already holds an archive.",
        )

    def handle(self, *args, backup: Path, into, media_root, replace, **options):
        try:
            result = restore_backup(
                backup,
                database=database_from_url(into) if into else None,
                media_root=media_root,
                replace=replace,
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not result.identical:
            raise CommandError(
                "The restored database differs from the backup in: " + ", ".join(result.differing)
            )
        self.stdout.write(
            f"Restored {result.tables} tables, {result.rows} rows; every table matches the backup."
        )
