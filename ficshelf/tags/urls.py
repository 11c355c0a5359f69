from django.urls import path

from . import views

app_name = "tags"
urlpatterns = [
    path("<str:tag>/works", views.tag_works, name="works"),
]
