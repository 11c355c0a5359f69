from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "ficshelf.works"
    label = "works"

    def ready(self) -> None:
        # A profile or pseud page (accounts) shows the creator's recent works (works).
        from ficshelf.accounts.extensions import register_profile_sections

        from . import filtertags, scheduling, versions  # noqa: F401  (connect their receivers)
        from .views.listings import recent_works_sections

        register_profile_sections(recent_works_sections)
