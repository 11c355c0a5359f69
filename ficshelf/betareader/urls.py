"""The beta reader lives beside the chapter it checks: /works/<id>/chapters/<id>/check; its
panel in the posting forms posts to /beta_reader/live_check."""

from django.urls import path

from . import views

app_name = "betareader"
_CHECK = "works/<int:work_id>/chapters/<int:chapter_id>/check"
urlpatterns = [
    path(_CHECK, views.check, name="check"),
    path(f"{_CHECK}/fix", views.fix, name="fix"),
    path(f"{_CHECK}/fix_all", views.fix_all, name="fix_all"),
    path(f"{_CHECK}/ignore", views.ignore, name="ignore"),
    path(f"{_CHECK}/unignore", views.stop_ignoring, name="stop_ignoring"),
    path(f"{_CHECK}/add_word", views.add_word, name="add_word"),
    path("beta_reader/dictionary", views.dictionary, name="dictionary"),
    path("beta_reader/dictionary/remove", views.remove_word, name="remove_word"),
    # The findings panel beside a posting form's text (htmx), for any work the author edits.
    path("beta_reader/live_check", views.live_check, name="live_check"),
]
