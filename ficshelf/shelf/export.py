"""The reader's own, in their account's export (accounts.extensions.register_account_export):
the shelf, and what feedback keeps for them alone (mutes, blocks, hidden works), which
feedback, below the shelf, does not export itself."""

from django.urls import reverse

from ficshelf.feedback.models import Block, HiddenWork, Mute, ReadingSettings
from ficshelf.works.models import Work

from .models import BlockedTag, Reading, SavedSearch, ShelfSettings

# The shelf settings in an export, appearance and history alike.
SETTINGS_FIELDS = (
    "history_paused",
    "hide_read",
    "hide_kudosed",
    "text_size",
    "line_width",
    "line_spacing",
    "typeface",
    "theme",
    "hide_creator_styling",
)


def _titles(user, work_ids) -> dict[int, str]:
    """Titles of the works the reader may still open: a work since made a draft keeps its
    id and address in the export, not its title."""
    return dict(
        Work.objects.visible_to(user).filter(pk__in=set(work_ids)).values_list("pk", "title")
    )


def _work(work_id: int, titles: dict[int, str]) -> dict:
    url = reverse("works:work", kwargs={"work_id": work_id})
    return {"work_id": work_id, "title": titles.get(work_id), "url": url}


def shelf_export(user) -> dict:
    readings = list(
        Reading.objects.filter(user=user).select_related("chapter").order_by("-viewed_at", "pk")
    )
    titles = _titles(user, (reading.work_id for reading in readings))
    history = [
        {
            **_work(reading.work_id, titles),
            "chapter": reading.chapter.position if reading.chapter else None,
            "chapter_id": reading.chapter_id,
            "paragraph": reading.paragraph,
            "paragraph_index": reading.paragraph_index,
            "position_at": reading.position_at,
            "first_viewed_at": reading.first_viewed_at,
            "viewed_at": reading.viewed_at,
            "views": reading.views,
        }
        for reading in readings
        if reading.in_history
    ]
    later = [
        {**_work(reading.work_id, titles), "marked_at": reading.marked_at}
        for reading in sorted(
            (reading for reading in readings if reading.marked_for_later),
            key=lambda reading: (reading.marked_at is None, reading.marked_at, reading.pk),
        )
    ]
    blocked_tags = [
        {"name": blocked.tag.name, "fandom": blocked.fandom.name if blocked.fandom else None,
         "created_at": blocked.created_at}
        for blocked in BlockedTag.objects.filter(user=user).select_related("tag", "fandom")
    ]  # fmt: skip
    searches = [
        {"name": search.name, "query": search.query, "created_at": search.created_at}
        for search in SavedSearch.objects.filter(user=user)
    ]
    settings = ShelfSettings.objects.filter(user=user).values(*SETTINGS_FIELDS).first()
    if settings is None:
        settings = {name: ShelfSettings._meta.get_field(name).default for name in SETTINGS_FIELDS}
    return {
        "history": history,
        "marked_for_later": later,
        "blocked_tags": blocked_tags,
        "saved_searches": searches,
        "settings": settings,
    }


def feedback_export(user) -> dict:
    hidden = list(HiddenWork.objects.filter(user=user).order_by("created_at", "pk"))
    titles = _titles(user, (entry.work_id for entry in hidden))
    inline = (
        ReadingSettings.objects.filter(user=user)
        .values_list("show_inline_markers", flat=True)
        .first()
    )
    return {
        "muted": [
            {"username": mute.muted.username, "created_at": mute.created_at}
            for mute in Mute.objects.filter(muter=user).select_related("muted")
        ],
        "blocked": [
            {"username": block.blocked.username, "created_at": block.created_at}
            for block in Block.objects.filter(blocker=user).select_related("blocked")
        ],
        "hidden_works": [
            {**_work(entry.work_id, titles), "hidden_at": entry.created_at} for entry in hidden
        ],
        "reading_settings": {"show_inline_markers": True if inline is None else inline},
    }
