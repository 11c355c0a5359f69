"""A bookmarker's bookmarks in their account export (accounts.extensions)."""

from django.urls import NoReverseMatch, reverse

from .models import Bookmark


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def export_bookmarks(user) -> list[dict]:
    """Every bookmark of the account, private ones too, oldest first, as JSON-able data."""
    bookmarks = (
        Bookmark.objects.filter(user=user)
        .select_related("pseud", "work", "series")
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    )
    exported = []
    for bookmark in bookmarks:
        if bookmark.work_id:
            target = {
                "type": "work",
                "id": bookmark.work_id,
                "title": bookmark.work.title,
                "url": _url("works:work", work_id=bookmark.work_id),
            }
        else:
            target = {
                "type": "series",
                "id": bookmark.series_id,
                "title": bookmark.series.title,
                "url": _url("series:series", series_id=bookmark.series_id),
            }
        exported.append(
            {
                "id": bookmark.pk,
                "target": target,
                "pseud": bookmark.pseud.name,
                "notes": bookmark.notes,
                "tags": sorted(tag.name for tag in bookmark.tags.all()),
                "private": bookmark.private,
                "rec": bookmark.rec,
                "created_at": bookmark.created_at.isoformat(),
                "updated_at": bookmark.updated_at.isoformat(),
            }
        )
    return exported
