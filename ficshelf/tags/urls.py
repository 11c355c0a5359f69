"""Wrangling and autocomplete, under /tags/ beside works' tag pages (/tags/<name>/works)."""

from django.urls import path

from . import views

app_name = "wrangling"
urlpatterns = [
    path("autocomplete", views.autocomplete, name="autocomplete"),
    path("<str:tag>/edit", views.edit_tag, name="edit"),
]
