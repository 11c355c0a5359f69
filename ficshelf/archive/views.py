from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

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
