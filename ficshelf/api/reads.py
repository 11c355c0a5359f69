"""The read endpoints. Every one asks the reading policy (works.reading) exactly as the pages
do: a list is `visible_to(viewer, way)` less what the viewer hid from lists; one work is
`reading.decide`. What a page would answer with a log-in prompt the API answers with 404, so it
reveals nothing to a guest; the adult-content notice is a 403 that `?view_adult=true` passes,
as the link on the site's notice does."""

from django.http import Http404
from ninja import Path, Query, Status
from ninja.errors import HttpError

from ficshelf.accounts.models import User
from ficshelf.search.forms import WorkSearchForm
from ficshelf.search.results import find_works
from ficshelf.series import queries as series_queries
from ficshelf.series.models import Series
from ficshelf.tags.models import Tag, tag_from_param
from ficshelf.works import extensions, reading
from ficshelf.works.models import Chapter, FilterTagging, Work
from ficshelf.works.reading import Instead, Way

from . import cursors, present
from .access import viewer_of
from .router import router
from .schemas import (
    ChapterOut,
    ChapterTextOut,
    Error,
    SeriesOut,
    TagOut,
    UserOut,
    WorkFilters,
    WorkOut,
    WorkPage,
)

MAX_ID = 2**31 - 1
ERRORS = {400: Error, 401: Error, 404: Error, 429: Error}
_CHAPTER_BULK = ("text", "text_source")


def shown(works):
    """Works with what the API shows of them, in a fixed number of queries for a page."""
    return works.with_listing_data().prefetch_related("series_parts__series")


def _text(value: str) -> str:
    # A NUL cannot be stored in PostgreSQL, so no name has one (and it must not reach SQL).
    if "\x00" in value:
        raise Http404("No such name.")
    return value


def _page(request, works, viewer, *, sort: str, cursor: str | None, limit: int) -> dict:
    rows, next_cursor = cursors.page(shown(works), sort=sort, cursor=cursor, limit=limit)
    following = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {
        "results": [present.work(request, work, viewer) for work in rows],
        "next": following,
        "next_cursor": next_cursor,
    }


def _listing(request, works, viewer, cursor, limit) -> dict:
    """A list as the pages list it: newest updated first, less what the viewer hid."""
    works = extensions.without_hidden(works, viewer, request=request)
    return _page(request, works, viewer, sort="updated", cursor=cursor, limit=limit)


Limit = Query(cursors.DEFAULT_LIMIT, ge=1, le=cursors.MAX_LIMIT)
Cursor = Query(None, max_length=2000, description="From the previous page's next_cursor.")


@router.get("/works", response={200: WorkPage, **ERRORS}, url_name="works")
def works(
    request,
    filters: Query[WorkFilters],
    cursor: str | None = Cursor,
    limit: int = Limit,
):
    """Posted works, newest updated first (or in `sort` order), found with the search page's
    filters: a filter the search page refuses is a 400 with the form's messages."""
    viewer = viewer_of(request)
    form = WorkSearchForm(request.GET)
    if not form.is_valid():
        errors = {name: list(messages) for name, messages in form.errors.items()}
        return Status(400, {"detail": "The search filters are not valid.", "errors": errors})
    found = find_works(viewer, form.cleaned_data, request=request)
    sort = form.cleaned_data["sort"]
    return _page(request, found, viewer, sort=sort, cursor=cursor, limit=limit)


def reachable_work(viewer, work_id: int, way: Way = Way.OPEN) -> Work:
    """The work if the policy lets `viewer` reach it by `way` (adult works included: the
    chapters ask for consent); else 404, for a log-in prompt too."""
    work = shown(Work.objects.all()).filter(pk=work_id).first()
    if work is None or not reading.may(viewer, work, way):
        raise Http404("No such work.")
    return work


@router.get("/works/{work_id}", response={200: WorkOut, **ERRORS}, url_name="work")
def work(request, work_id: int = Path(..., ge=1, le=MAX_ID)):
    viewer = viewer_of(request)
    return present.work(request, reachable_work(viewer, work_id), viewer)


def _consented(request, viewer, work, view_adult: bool, chapter=None) -> None:
    verdict = reading.decide(viewer, work, Way.OPEN, chapter=chapter, adult_consent=view_adult)
    if verdict.instead == Instead.ADULT_NOTICE:
        raise HttpError(
            403, "This work is rated for adults: ask again with ?view_adult=true to read it."
        )
    if not verdict.allowed:
        raise Http404("No such chapter.")


ViewAdult = Query(False, description="Agree to read a Mature or Explicit work (guests).")
CHAPTER_ERRORS = {**ERRORS, 403: Error}


@router.get(
    "/works/{work_id}/chapters",
    response={200: list[ChapterOut], **CHAPTER_ERRORS},
    url_name="chapters",
)
def chapters(request, work_id: int = Path(..., ge=1, le=MAX_ID), view_adult: bool = ViewAdult):
    """The chapters the caller may read, in order, without their text."""
    viewer = viewer_of(request)
    found = reachable_work(viewer, work_id)
    _consented(request, viewer, found, view_adult)
    listed = reading.readable_chapters(viewer, found).defer(*_CHAPTER_BULK)
    return [present.chapter(request, chapter, text=False) for chapter in listed]


@router.get(
    "/works/{work_id}/chapters/{chapter_id}",
    response={200: ChapterTextOut, **CHAPTER_ERRORS},
    url_name="chapter",
)
def chapter(
    request,
    work_id: int = Path(..., ge=1, le=MAX_ID),
    chapter_id: int = Path(..., ge=1, le=MAX_ID),
    view_adult: bool = ViewAdult,
):
    """One chapter with its text, as stored (sanitized HTML)."""
    viewer = viewer_of(request)
    found = reachable_work(viewer, work_id)
    one = Chapter.objects.filter(work=found, pk=chapter_id).defer("text_source").first()
    if one is None:
        raise Http404("No such chapter.")
    _consented(request, viewer, found, view_adult, chapter=one)
    return present.chapter(request, one, text=True)


def _tag(name: str) -> Tag:
    tag = Tag.objects.named(tag_from_param(_text(name)))
    if tag is None:
        raise Http404("No such tag.")
    return tag


@router.get("/tags/{name}", response={200: TagOut, **ERRORS}, url_name="tag")
def tag(request, name: str = Path(..., max_length=1000)):
    """A tag: its kind, whether it is canonical, its synonyms, parents and subtags. In a URL,
    a tag's "/" is written *s*, "&" *a*, "." *d*, "?" *q* and "#" *h*, as on the site."""
    return present.tag(request, _tag(name))


@router.get("/tags/{name}/works", response={200: WorkPage, **ERRORS}, url_name="tag_works")
def tag_works(
    request,
    name: str = Path(..., max_length=1000),
    cursor: str | None = Cursor,
    limit: int = Limit,
):
    """Works found under the tag (tagged with it, a synonym, or a tag below it); a synonym
    lists its canonical's works."""
    viewer = viewer_of(request)
    found = _tag(name)
    found = found.merger if found.merger_id else found
    works = (
        Work.objects.visible_to(viewer, Way.LIST)
        .posted()
        .filter(pk__in=FilterTagging.objects.filter(tag=found).values("work"))
    )
    return _listing(request, works, viewer, cursor, limit)


def _account(username: str) -> User:
    user = User.objects.filter(username__iexact=_text(username)).first()
    if user is None or not user.is_active:
        raise Http404("No such user.")
    return user


@router.get("/users/{username}", response={200: UserOut, **ERRORS}, url_name="user")
def user(request, username: str = Path(..., max_length=150)):
    """An account's public page: its pseuds."""
    account = _account(username)
    return {
        "username": account.username,
        "url": request.build_absolute_uri(account.get_absolute_url()),
        "joined": account.date_joined,
        "pseuds": [
            {
                "name": pseud.name,
                "description": pseud.description,
                "default": pseud.is_default,
                "url": request.build_absolute_uri(pseud.get_absolute_url()),
            }
            for pseud in account.pseuds.order_by("-is_default", "name", "pk")
        ],
        "works_api_url": present.api_url(request, "user_works", username=account.username),
    }


@router.get("/users/{username}/works", response={200: WorkPage, **ERRORS}, url_name="user_works")
def user_works(
    request,
    username: str = Path(..., max_length=150),
    cursor: str | None = Cursor,
    limit: int = Limit,
):
    """Every work the account created; with the owner's token, their drafts too."""
    viewer = viewer_of(request)
    works = Work.objects.visible_to(viewer, Way.LIST).by_user(_account(username))
    return _listing(request, works, viewer, cursor, limit)


@router.get("/series/{series_id}", response={200: SeriesOut, **ERRORS}, url_name="series")
def series(request, series_id: int = Path(..., ge=1, le=MAX_ID)):
    """A series with the works in it the caller may see, in order."""
    viewer = viewer_of(request)
    found = (
        series_queries.with_creators(Series.objects.visible_to(viewer, Way.LIST))
        .filter(pk=series_id)
        .first()
    )
    if found is None:
        raise Http404("No such series.")
    works = shown(series_queries.in_order(series_queries.reachable_works(found, viewer), found))
    return {
        "id": found.pk,
        "title": found.title,
        "url": request.build_absolute_uri(found.get_absolute_url()),
        "api_url": present.api_url(request, "series", series_id=found.pk),
        "creators": present.creators(request, found.creatorships.all()),
        "summary": found.summary,
        "notes": found.notes,
        "complete": found.is_complete,
        "word_count": series_queries.totals(found, viewer)["words"],
        "works": [present.work(request, work, viewer) for work in works],
    }
