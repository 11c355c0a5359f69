from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    """Works to take away: EPUB and single-file HTML, built once per revision."""

    name = "ficshelf.downloads"
    label = "downloads"
    verbose_name = "Downloads"

    def ready(self) -> None:
        # The download links on works' pages, which never import this app.
        from ficshelf.works import extensions

        from . import sections

        extensions.register_reading_additions(sections.reading_additions)
