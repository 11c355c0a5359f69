"""The shelf's pages; each part of the shelf keeps its routes in its own view module."""

from django.urls import path

app_name = "shelf"

urlpatterns: list = []

# --- Reading settings and the account export ---
from .views import settings as settings_views  # noqa: E402

urlpatterns += [
    path("reading-settings", settings_views.reading_settings, name="reading_settings"),
]
# --- end of reading settings and the account export ---

# --- History, mark for later, reading positions ---
from .views import readings as readings_views  # noqa: E402

urlpatterns += [
    path("works/<int:work_id>/position", readings_views.save_position, name="save_position"),
    path(
        "works/<int:work_id>/mark_for_later", readings_views.mark_for_later, name="mark_for_later"
    ),
    path(
        "works/<int:work_id>/unmark_for_later",
        readings_views.unmark_for_later,
        name="unmark_for_later",
    ),
    path("users/<str:username>/readings", readings_views.history, name="readings"),
    path("users/<str:username>/later", readings_views.later, name="later"),
    path("users/<str:username>/readings/clear", readings_views.clear, name="clear_readings"),
    path("users/<str:username>/readings/pause", readings_views.pause, name="pause_history"),
    path("users/<str:username>/readings/resume", readings_views.resume, name="resume_history"),
    path(
        "users/<str:username>/readings/<int:work_id>/delete",
        readings_views.delete_entry,
        name="delete_reading",
    ),
]
# --- end of history, mark for later, reading positions ---

# --- Blocklist and saved searches ---
from .views import blocklist as blocklist_views  # noqa: E402

urlpatterns += [
    path("blocklist", blocklist_views.blocklist, name="blocklist"),
    path("blocklist/tags/add", blocklist_views.block_tag, name="block_tag"),
    path("blocklist/tags/remove", blocklist_views.unblock_tag, name="unblock_tag"),
    path("blocklist/hiding", blocklist_views.hiding, name="blocklist_hiding"),
    path("blocklist/creators/add", blocklist_views.hide_creator, name="guest_hide_creator"),
    path("blocklist/creators/remove", blocklist_views.show_creator, name="guest_show_creator"),
    path("blocklist/works/add", blocklist_views.hide_work, name="guest_hide_work"),
    path("blocklist/works/remove", blocklist_views.show_work, name="guest_show_work"),
    path("searches", blocklist_views.saved_searches, name="searches"),
    path("searches/save", blocklist_views.save_search, name="save_search"),
    path("searches/<int:search_id>/rename", blocklist_views.rename_search, name="rename_search"),
    path("searches/<int:search_id>/delete", blocklist_views.delete_search, name="delete_search"),
    path("searches/<int:search_id>/feed.atom", blocklist_views.search_feed, name="search_feed"),
]
# --- end of blocklist and saved searches ---
