from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("works/import", views.import_work, name="new"),
]
