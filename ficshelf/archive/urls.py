from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("ready", views.ready, name="ready"),
]
