from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "ficshelf.feedback"
    label = "feedback"
    verbose_name = "Feedback"

    def ready(self) -> None:
        # What feedback adds to works' pages, which never import it (docs/architecture.md).
        from ficshelf.works import extensions, signals

        from . import receivers, sections

        extensions.register_reading_additions(sections.reading_additions)
        # Hidden works and muted creators are left out by shelf.blocklist.listing_exclusion,
        # in the one read that says which exclusions an account has.
        signals.chapter_saved.connect(
            receivers.reanchor_inline_comments, dispatch_uid="feedback.reanchor_inline_comments"
        )
        from .views import blocking  # noqa: F401  (registers Block and Mute on profile pages)
