from django.urls import path

from . import views

app_name = "series"

urlpatterns = [
    path("series/new", views.new_series, name="new"),
    path("series/<int:series_id>", views.series, name="series"),
    path("series/<int:series_id>/edit", views.edit_series, name="edit"),
    path("series/<int:series_id>/delete", views.delete_series, name="delete"),
    path("series/<int:series_id>/manage", views.manage, name="manage"),
    path(
        "series/<int:series_id>/works/<int:work_id>/remove",
        views.remove_work,
        name="remove_work",
    ),
    path("works/<int:work_id>/series", views.add_work, name="add_work"),
    path("users/<str:username>/series", views.user_series, name="user_series"),
    path(
        "users/<str:username>/pseuds/<str:pseud>/series",
        views.user_series,
        name="pseud_series",
    ),
]
