"""otwarchive's URL scheme, so readers' tools (FanFicFare, AO3 userscripts) can work here."""

from django.urls import path

from . import views

app_name = "works"
urlpatterns = [
    path("", views.index, name="index"),
    path("new", views.new_work, name="new"),
    path("<int:work_id>", views.work, name="work"),
    path("<int:work_id>/edit", views.edit_work, name="edit"),
    path("<int:work_id>/post", views.post_work, name="post"),
    path("<int:work_id>/confirm_delete", views.delete_work, name="delete"),
    path("<int:work_id>/navigate", views.navigate, name="navigate"),
    path("<int:work_id>/chapters/new", views.new_chapter, name="new_chapter"),
    path("<int:work_id>/chapters/manage", views.manage_chapters, name="manage_chapters"),
    path("<int:work_id>/chapters/<int:chapter_id>", views.chapter, name="chapter"),
    path("<int:work_id>/chapters/<int:chapter_id>/edit", views.edit_chapter, name="edit_chapter"),
    path("<int:work_id>/chapters/<int:chapter_id>/post", views.post_chapter, name="post_chapter"),
    path(
        "<int:work_id>/chapters/<int:chapter_id>/delete",
        views.delete_chapter,
        name="delete_chapter",
    ),
]
