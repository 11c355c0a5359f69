from django.apps import AppConfig


class SeriesConfig(AppConfig):
    name = "ficshelf.series"
    label = "series"
    verbose_name = "Series"

    def ready(self) -> None:
        # What series add to works' pages and profiles (docs/architecture.md): works and
        # accounts never import series; series listens to works' signals.
        from django.db.models.signals import post_delete

        from ficshelf.accounts.extensions import register_profile_sections
        from ficshelf.works import signals as works_signals
        from ficshelf.works.extensions import register_reading_additions

        from . import receivers, sections
        from .models import SeriesPart

        register_reading_additions(sections.reading_additions)
        register_profile_sections(sections.profile_sections)
        post_delete.connect(
            receivers.part_deleted, sender=SeriesPart, dispatch_uid="series.part_deleted"
        )
        works_signals.work_changed.connect(
            receivers.work_changed, dispatch_uid="series.work_changed"
        )
