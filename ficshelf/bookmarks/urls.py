"""otwarchive's bookmark URLs: /bookmarks/<id>, /works/<id>/bookmarks, /users/<name>/bookmarks,
/series/<id>/bookmarks/new. Mounted at the site root."""

from django.urls import path

from . import views

app_name = "bookmarks"

urlpatterns = [
    path("bookmarks/<int:bookmark_id>", views.bookmark, name="bookmark"),
    path("bookmarks/<int:bookmark_id>/edit", views.edit_bookmark, name="edit"),
    path("bookmarks/<int:bookmark_id>/delete", views.delete_bookmark, name="delete"),
    path("works/<int:work_id>/bookmarks", views.work_bookmarks, name="work_bookmarks"),
    path("works/<int:work_id>/bookmarks/new", views.new_work_bookmark, name="new_work_bookmark"),
    path(
        "series/<int:series_id>/bookmarks/new",
        views.new_series_bookmark,
        name="new_series_bookmark",
    ),
    path("users/<str:username>/bookmarks", views.user_bookmarks, name="user_bookmarks"),
]
