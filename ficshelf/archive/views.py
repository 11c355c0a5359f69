import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db import DEFAULT_DB_ALIAS, Error, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from ficshelf.archive.replicas import replica_status
from ficshelf.news.models import NewsPost
from ficshelf.works.extensions import without_hidden
from ficshelf.works.models import Work
from ficshelf.works.pagecache import listing_page
from ficshelf.works.reading import Way


@listing_page
def home(request):
    works = (
        without_hidden(
            Work.objects.visible_to(request.user, Way.LIST), request.user, request=request
        )
        .posted()
        .newest_updated_first()
        .with_listing_data()[:10]
    )
    # One query; every news write moves the listings version that keys this page's cache.
    latest_news = NewsPost.objects.published().newest_first().only("pk", "title").first()
    return render(request, "archive/home.html", {"works": works, "latest_news": latest_news})


def health(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request):
    """For load balancers: 200 when this app server can serve the archive, else 503.

    Ready means the primary database answers and every migration is applied. The cache and the
    replicas are reported but do not count: pages go on without them.
    """
    report = {"database": "ok", "migrations": "ok"}
    primary = connections[DEFAULT_DB_ALIAS]
    try:
        with primary.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(primary)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            report["migrations"] = "pending"
    except Error:
        report.update(database="down", migrations="unknown")
    report["cache"] = "ok" if _cache_answers() else "down"
    if settings.DATABASE_REPLICAS:
        report["replicas"] = {alias: replica_status(alias) for alias in settings.DATABASE_REPLICAS}
    is_ready = report["database"] == report["migrations"] == "ok"
    return JsonResponse(
        {"status": "ready" if is_ready else "unready", **report}, status=200 if is_ready else 503
    )


def _cache_answers() -> bool:
    key, token = f"ficshelf:ready:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, token, 10)
        answers = cache.get(key) == token
        cache.delete(key)
    except Exception:  # any backend's own error; the tolerant Redis cache reads a miss
        return False
    return answers


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
