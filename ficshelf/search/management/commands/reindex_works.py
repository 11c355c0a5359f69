from django.core.management.base import BaseCommand
from django.db import transaction

from ficshelf.search.indexing import reindex_all


class Command(BaseCommand):
    help = "Rebuild the full-text search documents of every posted work."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = reindex_all()
        self.stdout.write(f"Indexed {count} posted works.")
