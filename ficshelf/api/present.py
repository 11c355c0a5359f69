"""Rows as the API shows them (plain dicts matching schemas.py)."""

from django.urls import reverse

from ficshelf.tags.models import tag_to_param
from ficshelf.works import reading


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def api_url(request, route: str, **kwargs) -> str:
    return _absolute(request, reverse(f"api:{route}", kwargs=kwargs))


def creators(request, creatorships) -> list[dict]:
    return [
        {
            "pseud": c.pseud.name,
            "user": c.pseud.user.username,
            "url": _absolute(request, c.pseud.get_absolute_url()),
        }
        for c in creatorships
    ]


def work(request, work, viewer) -> dict:
    """A work's metadata; expects with_listing_data() and series_parts__series prefetched."""
    return {
        "id": work.pk,
        "title": work.title,
        "url": _absolute(request, work.get_absolute_url()),
        "api_url": api_url(request, "work", work_id=work.pk),
        "creators": creators(request, work.creatorships.all()),
        "rating": work.rating,
        "warnings": [t.name for t in work.warnings],
        "categories": [t.name for t in work.categories],
        "fandoms": [t.name for t in work.fandoms],
        "relationships": [t.name for t in work.relationships],
        "characters": [t.name for t in work.characters],
        "freeforms": [t.name for t in work.freeforms],
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "language": work.language,
        "word_count": work.word_count,
        "chapters": work.chapter_count_display,
        "expected_chapters": work.expected_chapters,
        "complete": work.is_complete,
        "restricted": work.restricted,
        "draft": not work.posted,
        "published_at": work.published_at,
        "updated_at": work.revised_at,
        "completed_at": work.completed_at,
        "kudos": work.kudos_count,
        "comments": work.comments_count,
        "bookmarks": work.bookmarks_count,
        "hits": work.hits_count,
        "series": [
            {
                "id": part.series_id,
                "title": part.series.title,
                "part": part.position,
                "api_url": api_url(request, "series", series_id=part.series_id),
            }
            for part in work.series_parts.all()
        ],
        "revision": work.revision if reading.is_creator(viewer, work) else None,
    }


def chapter(request, chapter, *, text: bool) -> dict:
    found = {
        "id": chapter.pk,
        "work_id": chapter.work_id,
        "position": chapter.position,
        "title": chapter.title,
        "url": _absolute(request, chapter.get_absolute_url()),
        "api_url": api_url(request, "chapter", work_id=chapter.work_id, chapter_id=chapter.pk),
        "word_count": chapter.word_count,
        "draft": not chapter.posted,
        "published_at": chapter.published_at,
        "revision": chapter.revision,
        "summary": chapter.summary,
        "notes": chapter.notes,
        "end_notes": chapter.end_notes,
    }
    if text:
        found["text"] = chapter.text
    return found


def tag_ref(request, tag) -> dict:
    return {
        "name": tag.name,
        "kind": tag.kind,
        "api_url": api_url(request, "tag", name=tag_to_param(tag.name)),
    }


def tag(request, tag) -> dict:
    return {
        "name": tag.name,
        "kind": tag.kind,
        "canonical": tag.canonical,
        "synonym_of": tag_ref(request, tag.merger) if tag.merger_id else None,
        "synonyms": [tag_ref(request, t) for t in tag.synonyms.all()],
        "parents": [tag_ref(request, t) for t in tag.parents.all()],
        "children": [tag_ref(request, t) for t in tag.children.all()],
        "url": _absolute(request, tag.get_absolute_url()),
        "works_api_url": api_url(request, "tag_works", name=tag_to_param(tag.name)),
    }
