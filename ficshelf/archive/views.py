from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from ficshelf.works.models import Work


def home(request):
    works = (
        Work.objects.visible_to(request.user)
        .posted()
        .newest_updated_first()
        .with_listing_data()[:10]
    )
    return render(request, "archive/home.html", {"works": works})


def health(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@requires_csrf_token
def bad_request(request, exception):
    """The 400 page; it says so when the page sent was over the request size limit.

    Django's own handler renders 400.html without the request or the exception, so it could not
    tell a writer that their chapter was too large, nor show the site's header.
    """
    context = {
        "too_large": isinstance(exception, RequestDataTooBig),
        "upload_limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    }
    return render(request, "400.html", context, status=400)
