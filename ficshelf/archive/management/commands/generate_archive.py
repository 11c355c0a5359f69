"""`manage.py generate_archive --works N [--seed S]`: a synthetic archive with AO3's shapes, for
benchmarks and trying the site at scale (archive.synthetic says what it writes and how).

    DATABASE_URL=sqlite:////tmp/scale.sqlite3 manage.py migrate
    DATABASE_URL=sqlite:////tmp/scale.sqlite3 nice -n 10 manage.py generate_archive --works 1000000
"""

from django.core.management.base import BaseCommand, CommandError

from ficshelf.archive.synthetic import generate


class Command(BaseCommand):
    help = "Write a synthetic archive of N works (AO3's shapes) in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--works", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, works: int, seed: int, **options):
        if works < 1:
            raise CommandError("--works must be at least 1.")
        try:
            report = generate(works=works, seed=seed, log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{report.works} works, {report.chapters} chapters, {report.taggings} taggings, "
            f"{report.filter_taggings} filter taggings, {report.tags} tags; "
            f"seconds: {report.seconds}"
        )
