from django.urls import path, register_converter

from . import views

app_name = "downloads"


class _Extension:
    regex = "epub|html"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(_Extension, "download_format")

urlpatterns = [
    path(
        "works/<int:work_id>/download/<slug:slug>.<download_format:extension>",
        views.download,
        name="download",
    ),
]
