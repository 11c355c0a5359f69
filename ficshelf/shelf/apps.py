from django.apps import AppConfig


class ShelfConfig(AppConfig):
    name = "ficshelf.shelf"
    label = "shelf"
    verbose_name = "Reader's shelf"

    def ready(self) -> None:
        # What the shelf adds to works' pages and lists (docs/architecture.md).

        # --- Reading settings and the account export ---
        from ficshelf.accounts.extensions import register_account_export
        from ficshelf.works.extensions import register_personal_cookie, register_reading_additions

        from . import export, reading_settings

        # A guest with reading settings gets pages rendered for them, never the shared copy.
        register_personal_cookie(reading_settings.COOKIE)
        register_reading_additions(reading_settings.reading_page_link)
        register_account_export("shelf", export.shelf_export)
        register_account_export("feedback", export.feedback_export)
        # --- end of reading settings and the account export ---

        # --- History, mark for later, reading positions ---
        from django.db.models.signals import pre_delete

        from ficshelf.accounts import extensions as account_extensions
        from ficshelf.works import extensions as work_extensions
        from ficshelf.works.models import Chapter

        from . import readings
        from .views import readings as readings_views

        work_extensions.register_reading_additions(readings_views.reading_additions)
        account_extensions.register_profile_sections(readings_views.profile_links)
        pre_delete.connect(
            readings.move_off_deleted_chapter,
            sender=Chapter,
            dispatch_uid="shelf.readings.move_off_deleted_chapter",
        )
        # --- end of history, mark for later, reading positions ---

        # --- Blocklist and saved searches ---
        from ficshelf.works import extensions as listing_extensions

        from . import blocklist

        # A guest's blocklist cookie: their lists are made for them, never the shared copy.
        listing_extensions.register_personal_cookie(blocklist.COOKIE)
        listing_extensions.register_listing_exclusion(blocklist.listing_exclusion)
        # --- end of blocklist and saved searches ---
