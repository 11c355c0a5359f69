from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Finding works: full-text search (SQLite FTS5 or PostgreSQL), filters and facet counts."""

    name = "ficshelf.search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import indexing  # connects the indexing receivers

        post_migrate.connect(indexing.index_if_missing, sender=self, dispatch_uid="search.index")
