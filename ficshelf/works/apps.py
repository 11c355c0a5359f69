from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "ficshelf.works"
    label = "works"

    def ready(self) -> None:
        # A profile or pseud page (accounts) shows the creator's recent works (works); the
        # account's export holds their autosaves and earlier chapter texts.
        from ficshelf.accounts.extensions import register_account_export, register_profile_sections

        from . import filtertags, scheduling, versions  # noqa: F401  (connect their receivers)
        from .export import writing_export
        from .views.listings import recent_works_sections

        register_profile_sections(recent_works_sections)
        register_account_export("writing", writing_export)
