"""`manage.py resanitize`: clean again, with today's allowlist, every creator's HTML that an
older version of the rules cleaned.

Each SanitizedHTMLField keeps the version of the rules that cleaned it beside it; a row whose
version is older than SANITIZER_VERSION is cleaned again and stamped with the current version.
Rows go in batches (one transaction each), so the command can run on a live archive and be
stopped and started again: what is done stays done. Works whose shown HTML changed (their own
fields, their chapters', their comments') get a new content version, so guests' cached pages
are not served from before.

    manage.py resanitize --dry-run      # how many rows each field would clean again
    manage.py resanitize --batch 500
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from ficshelf.userstuff import sanitizer
from ficshelf.userstuff.fields import SanitizedHTMLField
from ficshelf.userstuff.paragraphs import clean_numbered_html
from ficshelf.works.models import Work
from ficshelf.works.versions import bump_works


def sanitized_fields() -> list[tuple[type, SanitizedHTMLField]]:
    """(model, field) for every SanitizedHTMLField of every installed app."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, SanitizedHTMLField)
    ]


def _work_id(model, row) -> int | None:
    if model is Work:
        return row.pk
    return getattr(row, "work_id", None)


class Command(BaseCommand):
    help = "Clean again every creator's HTML cleaned by an older version of the allowlist."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the rows to clean again; change none."
        )
        parser.add_argument("--batch", type=int, default=500, help="Rows per transaction.")

    def handle(self, *args, dry_run: bool, batch: int, **options):
        version = sanitizer.SANITIZER_VERSION
        total = changed_total = 0
        for model, field in sanitized_fields():
            label = f"{model._meta.label}.{field.name}"
            stale = model._default_manager.filter(**{f"{field.version_field}__lt": version})
            if dry_run:
                count = stale.count()
                total += count
                self.stdout.write(f"{label}: {count} to clean again")
                continue
            cleaned, changed = self._clean(model, field, stale, version, max(1, batch))
            total += cleaned
            changed_total += changed
            self.stdout.write(f"{label}: {cleaned} cleaned again, {changed} changed")
        if dry_run:
            self.stdout.write(f"{total} rows to clean again with version {version} (dry run).")
        else:
            self.stdout.write(
                f"{total} rows cleaned again with version {version}; {changed_total} changed."
            )

    def _clean(self, model, field, stale, version: int, batch: int) -> tuple[int, int]:
        clean = clean_numbered_html if field.keeps_paragraph_ids else sanitizer.clean_html
        cleaned = changed = 0
        while True:
            with transaction.atomic():
                # Rows re-read under the lock: a save in between has already cleaned them.
                ids = list(stale.order_by("pk").values_list("pk", flat=True)[:batch])
                if not ids:
                    return cleaned, changed
                rows = list(model._default_manager.select_for_update().filter(pk__in=ids))
                works: set[int] = set()
                for row in rows:
                    before = getattr(row, field.attname) or ""
                    after = clean(before)
                    if after != before:
                        changed += 1
                        if (work_id := _work_id(model, row)) is not None:
                            works.add(work_id)
                    setattr(row, field.attname, after)
                    setattr(row, field.version_field, version)
                # bulk_update writes the values as set: no pre_save, no auto_now, no signals.
                model._default_manager.bulk_update(rows, [field.attname, field.version_field])
                cleaned += len(rows)
                if works:
                    bump_works(sorted(works))
