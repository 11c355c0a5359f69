from django.apps import AppConfig


class InboxConfig(AppConfig):
    """Subscriptions, the inbox, email and the private feed: readers hear of new chapters,
    authors of what readers say."""

    name = "ficshelf.inbox"
    label = "inbox"
    verbose_name = "Inbox"

    def ready(self) -> None:
        # Lower apps never import this one: it listens to their signals and adds to their
        # pages through their registries (docs/architecture.md).
        from ficshelf.accounts.extensions import register_account_export, register_profile_sections
        from ficshelf.feedback import signals as feedback_signals
        from ficshelf.series import signals as series_signals
        from ficshelf.series.extensions import register_series_sections
        from ficshelf.works import signals as works_signals
        from ficshelf.works.extensions import register_reading_additions

        from . import export, receivers, sections

        register_account_export("inbox", export.account_inbox)

        register_reading_additions(sections.reading_additions)
        register_profile_sections(sections.profile_sections)
        register_series_sections(sections.series_sections)
        works_signals.chapters_posted.connect(
            receivers.chapters_posted, dispatch_uid="inbox.chapters_posted"
        )
        series_signals.work_added.connect(
            receivers.work_added_to_series, dispatch_uid="inbox.work_added_to_series"
        )
        feedback_signals.comment_posted.connect(
            receivers.comment_posted, dispatch_uid="inbox.comment_posted"
        )
        feedback_signals.comment_approved.connect(
            receivers.comment_approved, dispatch_uid="inbox.comment_approved"
        )
        feedback_signals.kudos_given.connect(
            receivers.kudos_given, dispatch_uid="inbox.kudos_given"
        )
