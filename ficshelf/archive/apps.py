from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """The site as a whole: home page, site-wide templates, health check."""

    name = "ficshelf.archive"
    label = "archive"
