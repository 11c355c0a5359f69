"""The write endpoints, for authors with a token: each calls the same service as the posting
forms (works.services), so validation, sanitizing, tags and notifications are the same."""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Path, Status

from ficshelf.accounts.models import Pseud
from ficshelf.userstuff.text_checks import refuse_unstorable
from ficshelf.works import services
from ficshelf.works.models import Chapter, Work
from ficshelf.works.reading import Way
from ficshelf.works.services import ChapterContent, WorkMetadata

from . import present
from .access import TokenAuth, viewer_of
from .reads import MAX_ID, reachable_work, shown
from .router import router
from .schemas import (
    ChapterIn,
    ChapterPatchIn,
    ChapterTextOut,
    Error,
    NewChapterIn,
    NewWorkIn,
    WorkOut,
    WorkPatchIn,
)

WRITE_ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 429: Error}
_METADATA = [
    "title",
    "fandoms",
    "rating",
    "warnings",
    "categories",
    "relationships",
    "characters",
    "freeforms",
    "language",
    "summary",
    "notes",
    "end_notes",
    "expected_chapters",
    "is_complete",
    "restricted",
    "comment_permission",
    "moderated_comments",
    "critique_welcome",
    "inline_comments",
]


class Conflict(Exception):
    pass


@contextmanager
def _conflicts_as_409():
    """A service's edit-conflict refusal (a save over a newer revision) as the API's 409;
    its other refusals stay 400s."""
    try:
        yield
    except ValidationError as error:
        if getattr(error, "code", None) == "conflict":
            raise Conflict(error.messages[0]) from None
        raise


def _content(chapter: ChapterIn) -> ChapterContent:
    return ChapterContent(
        text=chapter.text,
        text_format=chapter.text_format,
        title=chapter.title,
        summary=chapter.summary,
        notes=chapter.notes,
        end_notes=chapter.end_notes,
    )


def _own_pseuds(user, names: list[str]) -> list[Pseud]:
    if not names:
        return [user.default_pseud]
    found = []
    for name in names:
        pseud = Pseud.objects.filter(user=user, name__iexact=name).first()
        if pseud is None:
            raise ValidationError({"pseuds": [f"You have no pseud named “{name}”."]})
        found.append(pseud)
    return found


def _editable(viewer, work_id: int) -> Work:
    """The work if the caller is one of its creators; 404 if they cannot see it at all, 403
    if they can but it is not theirs."""
    work = reachable_work(viewer, work_id, Way.OPEN)
    if not work.is_creator(viewer):
        raise PermissionDenied("Only the work's creators can change it.")
    return work


def _fresh(request, work_id: int, viewer) -> dict:
    return present.work(request, shown(Work.objects.all()).get(pk=work_id), viewer)


@router.post(
    "/works", response={201: WorkOut, **WRITE_ERRORS}, auth=TokenAuth(), url_name="new_work"
)
def new_work(request, payload: NewWorkIn):
    """Post a new work with its first chapter (or keep it a draft with "post": false)."""
    viewer = viewer_of(request)
    data = payload.dict()
    refuse_unstorable(**data)
    metadata = WorkMetadata(**{name: data[name] for name in _METADATA if name in data})
    created = services.create_work(
        creators=_own_pseuds(viewer, payload.pseuds),
        metadata=metadata,
        chapter=_content(payload.chapter),
        post=payload.post,
        author=viewer,
    )
    return Status(201, _fresh(request, created.pk, viewer))


@router.post(
    "/works/{work_id}/chapters",
    response={201: ChapterTextOut, **WRITE_ERRORS},
    auth=TokenAuth(),
    url_name="new_chapter",
)
def new_chapter(request, payload: NewChapterIn, work_id: int = Path(..., ge=1, le=MAX_ID)):
    """Add a chapter at the end (a draft work's chapters stay drafts)."""
    viewer = viewer_of(request)
    refuse_unstorable(**payload.dict())
    work = _editable(viewer, work_id)
    added = services.add_chapter(
        work=work, editor=viewer, content=_content(payload), post=payload.post
    )
    return Status(201, present.chapter(request, added, text=True))


def _metadata_of(work: Work) -> dict:
    return {
        "title": work.title,
        "fandoms": [t.name for t in work.fandoms],
        "rating": work.rating,
        "warnings": [t.name for t in work.warnings],
        "categories": [t.name for t in work.categories],
        "relationships": [t.name for t in work.relationships],
        "characters": [t.name for t in work.characters],
        "freeforms": [t.name for t in work.freeforms],
        "language": work.language,
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "expected_chapters": work.expected_chapters,
        "is_complete": work.is_complete,
        "restricted": work.restricted,
        "comment_permission": work.comment_permission,
        "moderated_comments": work.moderated_comments,
        "critique_welcome": work.critique_welcome,
        "inline_comments": work.inline_comments,
    }


@router.patch(
    "/works/{work_id}",
    response={200: WorkOut, **WRITE_ERRORS, 409: Error},
    auth=TokenAuth(),
    url_name="edit_work",
)
def edit_work(request, payload: WorkPatchIn, work_id: int = Path(..., ge=1, le=MAX_ID)):
    """Change the fields sent (the rest stay as they are). `revision` must be the work's
    current one (from GET): if the work changed since, nothing is saved and the answer is 409."""
    viewer = viewer_of(request)
    sent = payload.model_dump(exclude_unset=True)
    refuse_unstorable(**sent)
    work = _editable(viewer, work_id)
    values = _metadata_of(work)
    for name in _METADATA:
        if name in sent:
            if sent[name] is None and name != "expected_chapters":
                raise ValidationError({name: ["This field cannot be null."]})
            values[name] = sent[name]
    with _conflicts_as_409():
        services.update_work(
            work=work,
            editor=viewer,
            metadata=WorkMetadata(**values),
            base_revision=payload.revision,
            post=payload.post,
        )
    return _fresh(request, work.pk, viewer)


_CHAPTER_FIELDS = ["text", "text_format", "title", "summary", "notes", "end_notes"]


def _own_chapter(viewer, work_id: int, chapter_id: int) -> Chapter:
    work = _editable(viewer, work_id)
    found = Chapter.objects.select_related("work").filter(work=work, pk=chapter_id).first()
    if found is None:
        raise Http404("No such chapter.")
    return found


@router.patch(
    "/works/{work_id}/chapters/{chapter_id}",
    response={200: ChapterTextOut, **WRITE_ERRORS, 409: Error},
    auth=TokenAuth(),
    url_name="edit_chapter",
)
def edit_chapter(
    request,
    payload: ChapterPatchIn,
    work_id: int = Path(..., ge=1, le=MAX_ID),
    chapter_id: int = Path(..., ge=1, le=MAX_ID),
):
    """Change the chapter's fields sent (the rest stay as they are), as the edit form does:
    paragraphs keep their ids and the text replaced is kept in the chapter's history.
    `revision` must be the chapter's current one: if it changed since, the answer is 409."""
    viewer = viewer_of(request)
    sent = payload.model_dump(exclude_unset=True)
    refuse_unstorable(**sent)
    chapter = _own_chapter(viewer, work_id, chapter_id)
    values = {
        "text": chapter.text_source or chapter.text,
        "text_format": chapter.text_format,
        "title": chapter.title,
        "summary": chapter.summary,
        "notes": chapter.notes,
        "end_notes": chapter.end_notes,
    }
    for name in _CHAPTER_FIELDS:
        if name in sent:
            if sent[name] is None:
                raise ValidationError({name: ["This field cannot be null."]})
            values[name] = sent[name]
    if "text" not in sent and "text_format" in sent:
        raise ValidationError({"text": ["Send the text with its new format."]})
    with _conflicts_as_409():
        edited = services.edit_chapter(
            chapter=chapter,
            editor=viewer,
            content=ChapterContent(**values),
            base_revision=payload.revision,
            post=payload.post,
        )
    return present.chapter(request, Chapter.objects.get(pk=edited.pk), text=True)


@router.delete(
    "/works/{work_id}/chapters/{chapter_id}",
    response={204: None, **WRITE_ERRORS},
    auth=TokenAuth(),
    url_name="delete_chapter",
)
def delete_chapter(
    request,
    work_id: int = Path(..., ge=1, le=MAX_ID),
    chapter_id: int = Path(..., ge=1, le=MAX_ID),
):
    """Delete one chapter (a work keeps at least one; delete the work on the site instead)."""
    viewer = viewer_of(request)
    services.delete_chapter(chapter=_own_chapter(viewer, work_id, chapter_id), editor=viewer)
    return Status(204, None)
