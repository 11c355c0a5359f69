from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "ficshelf.bookmarks"
    label = "bookmarks"
    verbose_name = "Bookmarks"

    def ready(self) -> None:
        # What bookmarks add to works' pages and blurbs (docs/architecture.md): works, series
        # and accounts never import bookmarks.
        from ficshelf.accounts.extensions import register_account_export, register_profile_sections
        from ficshelf.series.extensions import register_series_sections
        from ficshelf.works.extensions import register_reading_additions

        from . import receivers, sections  # noqa: F401  (receivers connect on import)
        from .export import export_bookmarks

        register_reading_additions(sections.reading_additions)
        register_series_sections(sections.series_sections)
        register_profile_sections(sections.profile_sections)
        register_account_export("bookmarks", export_bookmarks)
