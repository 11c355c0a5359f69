"""`manage.py import_work PATH --as USER`: import a file as a new work."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ficshelf.imports.parsing import check_size
from ficshelf.imports.services import ImportRefused, ImportResult, WorkChoices, import_work


def read_file(path: Path) -> bytes:
    """The file's bytes; an oversized file is refused before it is read."""
    if not path.is_file():
        raise CommandError(f"There is no file at {path}.")
    try:
        check_size(path.stat().st_size, path.name)
    except ImportRefused as refusal:
        raise CommandError(refusal.message) from None
    return path.read_bytes()


def report(command: BaseCommand, result: ImportResult) -> None:
    work = result.work
    command.stdout.write(work.get_absolute_url())
    command.stdout.write(f"Title: {work.title}")
    command.stdout.write(f"Words: {work.word_count:,}")
    if (chapters := work.chapters.count()) > 1:
        command.stdout.write(f"Chapters: {chapters:,}")
    if not work.posted:
        command.stdout.write("Saved as a draft.")
    for warning in result.warnings:
        command.stdout.write(command.style.WARNING(f"Warning: {warning}"))


class Command(BaseCommand):
    help = (
        "Import a plain-text, HTML or Markdown file, or an AO3 download (HTML or EPUB), as a "
        "new work by an existing user."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The file: .txt, .html, .htm, .md or .epub.")
        parser.add_argument(
            "--as", dest="username", required=True, help="User name of the work's creator."
        )
        parser.add_argument(
            "--fandom", action="append", dest="fandoms", help="Used if the file names none."
        )
        parser.add_argument(
            "--rating", help="Used if the file has none: a rating or its name, e.g. Mature."
        )
        parser.add_argument(
            "--warning", action="append", dest="warnings", help="Archive warning (repeatable)."
        )
        parser.add_argument(
            "--character", action="append", dest="characters", help="Character (repeatable)."
        )
        parser.add_argument(
            "--draft", action="store_true", help="Save the work as a draft instead of posting."
        )

    def handle(self, *args, path: Path, username: str, draft: bool, **options):
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"There is no user called “{username}”.")
        defaults = WorkChoices(
            fandoms=options["fandoms"],
            rating=options["rating"],
            warnings=options["warnings"],
            characters=options["characters"],
        )
        try:
            result = import_work(
                file_bytes=read_file(path),
                filename=path.name,
                importer=user,
                defaults=defaults,
                post=not draft,
            )
        except ImportRefused as refusal:
            raise CommandError(refusal.message) from None
        report(self, result)
