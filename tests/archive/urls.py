"""The site's own URLs and error handlers, plus views that fail, for the error-page tests."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from ficshelf import urls as site_urls


def broken(request):
    raise RuntimeError("The archive fell over")


def broken_holding_a_password(request):
    database_url = settings.DATABASE_URL  # a local variable, shown in the traceback
    raise RuntimeError(f"Could not connect to {database_url.split('@')[1]}")


def forbidden(request):
    raise PermissionDenied("Only the work's creators can change it.")


def suspicious(request):
    raise SuspiciousOperation("A malformed request")


handler400 = site_urls.handler400
urlpatterns = [
    path("test/broken", broken),
    path("test/broken-with-password", broken_holding_a_password),
    path("test/forbidden", forbidden),
    path("test/suspicious", suspicious),
    *site_urls.urlpatterns,
]
