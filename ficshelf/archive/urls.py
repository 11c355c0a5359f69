from django.urls import path

from . import account_deletion_views, robots, views

app_name = "archive"
urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("ready", views.ready, name="ready"),
    path("robots.txt", robots.robots_txt, name="robots"),
    path(
        "users/<str:username>/delete",
        account_deletion_views.delete_account,
        name="delete_account",
    ),
    path(
        "users/<str:username>/delete/everything.zip",
        account_deletion_views.download_everything,
        name="download_everything",
    ),
]
