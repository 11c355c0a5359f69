from django.conf import settings


def site(request):
    """The archive's name and the largest request it accepts, for base.html.

    The name is `archive_name`, not `site_name`: Django's auth views put the request's host into
    their context as `site_name`, which would win over ours on the log-in and password pages.
    """
    return {
        "archive_name": settings.SITE_NAME,
        "upload_limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    }
