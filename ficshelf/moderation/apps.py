"""The archive's moderation: abuse reports of works, comments and users, the admins' queue,
and what admins do about them (hide a work, delete a comment, suspend or ban an account), each
action logged with who and why."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "ficshelf.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        # The "Report" links and the hidden work's notice, on pages of lower apps.
        from ficshelf.accounts.extensions import register_profile_sections
        from ficshelf.works.extensions import register_reading_additions

        from . import sections

        register_reading_additions(sections.reading_additions)
        register_profile_sections(sections.profile_sections)
