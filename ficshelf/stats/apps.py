from django.apps import AppConfig


class StatsConfig(AppConfig):
    """Hits counted honestly and the author's dashboard: who read, who stayed, who came back."""

    name = "ficshelf.stats"
    label = "stats"
    verbose_name = "Statistics"

    def ready(self) -> None:
        # Works and accounts never import stats (docs/architecture.md): it registers here.
        from ficshelf.accounts.extensions import register_profile_sections
        from ficshelf.works import extensions

        from . import counting, sections

        extensions.register_chapter_viewed(counting.count_view)
        extensions.register_reading_additions(sections.reading_additions)
        register_profile_sections(sections.profile_links)
