"""Bookmark pages: the form (new and edit), one bookmark, deleting it, and the lists of a
work's and of an account's bookmarks with their filters.

Never page-cached: a list is a function of its URL and its viewer (their own private
bookmarks, their blocklist). Every list starts from `Bookmark.objects.visible_to`: a bookmark
of a work the viewer may not reach is neither listed nor counted.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.views.decorators.http import require_http_methods

from ficshelf.accounts.models import Pseud, User
from ficshelf.series.models import Series, SeriesPart
from ficshelf.works import extensions, reading
from ficshelf.works.models import Work
from ficshelf.works.reading import Way

from . import services
from .filters import BookmarkFilterForm, filter_bookmarks
from .forms import BookmarkForm
from .models import Bookmark

BOOKMARKS_PER_PAGE = 20


# --- Helpers --------------------------------------------------------------------------------


def series_url(series) -> str:
    # The series pages are their own app's; until its URLs exist, a series is named unlinked.
    try:
        return series.get_absolute_url()
    except NoReverseMatch:
        return ""


def _reachable_work(request, work_id: int) -> Work:
    work = Work.objects.filter(pk=work_id).prefetch_related("creatorships__pseud__user").first()
    if work is None or not work.posted or not reading.may(request.user, work, Way.OPEN):
        raise Http404("No such work.")
    return work


def _reachable_series(request, series_id: int) -> Series:
    series = Series.objects.visible_to(request.user, Way.OPEN).filter(pk=series_id).first()
    if series is None:
        raise Http404("No such series.")
    return series


def _visible_bookmark(request, bookmark_id: int) -> Bookmark:
    bookmark = (
        Bookmark.objects.visible_to(request.user, request=request)
        .filter(pk=bookmark_id)
        .select_related("user", "pseud")
        .prefetch_related("tags")
        .first()
    )
    if bookmark is None:
        raise Http404("No such bookmark.")
    return bookmark


def _own_bookmark(request, bookmark_id: int) -> Bookmark:
    """The viewer's own bookmark (even of a work now out of their reach), else a 404 (or a
    403 when they may see it but it is someone else's)."""
    bookmark = Bookmark.objects.filter(pk=bookmark_id).select_related("pseud").first()
    if bookmark is None:
        raise Http404("No such bookmark.")
    if bookmark.user_id != request.user.pk:
        if Bookmark.objects.visible_to(request.user).filter(pk=bookmark_id).exists():
            raise PermissionDenied(services.NOT_YOURS)
        raise Http404("No such bookmark.")
    return bookmark


def _target_context(bookmark_or_target) -> dict:
    target = getattr(bookmark_or_target, "target", bookmark_or_target)
    if isinstance(target, Work):
        return {"target": target, "target_url": target.get_absolute_url(), "kind": "work"}
    return {"target": target, "target_url": series_url(target), "kind": "series"}


def _form_page(request, *, form, target, bookmark=None, status=200):
    context = {"form": form, "bookmark": bookmark, **_target_context(target)}
    return render(request, "bookmarks/form.html", context, status=status)


def _form(request, data=None, *, initial=None):
    pseuds = list(Pseud.objects.for_user(request.user))
    return BookmarkForm(data, pseuds=pseuds, initial=initial or {})


def _refused(form, error: ValidationError) -> None:
    """A service's refusal as the form's errors (keys the form lacks go above it)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Making, editing, deleting --------------------------------------------------------------


def _new(request, *, target, make):
    existing = Bookmark.objects.filter(
        user=request.user, **{"work" if isinstance(target, Work) else "series": target}
    ).first()
    if existing is not None:
        messages.info(request, "You have already bookmarked this: edit your bookmark here.")
        return redirect("bookmarks:edit", bookmark_id=existing.pk)
    if request.method != "POST":
        return _form_page(request, form=_form(request), target=target)
    form = _form(request, request.POST)
    if not form.is_valid():
        return _form_page(request, form=form, target=target, status=400)
    data = form.cleaned_data
    try:
        bookmark = make(
            user=request.user,
            pseud=data["pseud"],
            notes=data["notes"],
            tag_names=data["tags"],
            private=data["private"],
            rec=data["rec"],
        )
    except services.AlreadyBookmarked as already:
        messages.info(request, "You have already bookmarked this: edit your bookmark here.")
        return redirect("bookmarks:edit", bookmark_id=already.bookmark.pk)
    except ValidationError as error:
        if getattr(error, "error_dict", {}).get("__all__") and _is_unreachable(error):
            raise Http404("Not there.") from None
        _refused(form, error)
        return _form_page(request, form=form, target=target, status=400)
    messages.success(request, "Bookmark saved.")
    return redirect(bookmark.get_absolute_url())


def _is_unreachable(error: ValidationError) -> bool:
    return any(e.code == "unreachable" for e in error.error_dict.get("__all__", []))


@login_required
@require_http_methods(["GET", "POST"])
def new_work_bookmark(request, work_id: int):
    work = _reachable_work(request, work_id)
    return _new(
        request,
        target=work,
        make=lambda **kwargs: services.bookmark_work(work=work, **kwargs),
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_series_bookmark(request, series_id: int):
    series = _reachable_series(request, series_id)
    return _new(
        request,
        target=series,
        make=lambda **kwargs: services.bookmark_series(series=series, **kwargs),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_bookmark(request, bookmark_id: int):
    bookmark = _own_bookmark(request, bookmark_id)
    target = bookmark.target
    if request.method != "POST":
        initial = {
            "pseud": str(bookmark.pseud_id),
            "notes": bookmark.notes,
            "tags": ", ".join(tag.name for tag in bookmark.tags.all()),
            "private": bookmark.private,
            "rec": bookmark.rec,
        }
        form = _form(request, initial=initial)
        return _form_page(request, form=form, target=target, bookmark=bookmark)
    form = _form(request, request.POST)
    if not form.is_valid():
        return _form_page(request, form=form, target=target, bookmark=bookmark, status=400)
    data = form.cleaned_data
    try:
        services.edit_bookmark(
            user=request.user,
            bookmark=bookmark,
            pseud=data["pseud"],
            notes=data["notes"],
            tag_names=data["tags"],
            private=data["private"],
            rec=data["rec"],
        )
    except ValidationError as error:
        _refused(form, error)
        return _form_page(request, form=form, target=target, bookmark=bookmark, status=400)
    messages.success(request, "Bookmark updated.")
    return redirect(bookmark.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def delete_bookmark(request, bookmark_id: int):
    bookmark = _own_bookmark(request, bookmark_id)
    if request.method != "POST":
        context = {"bookmark": bookmark, **_target_context(bookmark)}
        return render(request, "bookmarks/confirm_delete.html", context)
    services.delete_bookmark(user=request.user, bookmark=bookmark)
    messages.success(request, "Bookmark deleted.")
    return redirect("bookmarks:user_bookmarks", username=request.user.username)


# --- Showing bookmarks ----------------------------------------------------------------------


def _with_targets(bookmarks: list[Bookmark], viewer) -> list[Bookmark]:
    """Set `blurb_work` (a work with its listing data and blurb notes) or `blurb_series` (with
    its creators and the number of its works the viewer may reach) on each bookmark: a
    constant number of queries for the page."""
    work_ids = [b.work_id for b in bookmarks if b.work_id]
    works = {}
    if work_ids:
        found = Work.objects.filter(pk__in=work_ids).with_listing_data()
        works = {work.pk: work for work in extensions.add_blurb_notes(found, viewer)}
    series_ids = [b.series_id for b in bookmarks if b.series_id]
    series = {}
    if series_ids:
        found = Series.objects.filter(pk__in=series_ids).prefetch_related("pseuds__user")
        series = {s.pk: s for s in found}
        reachable = Work.objects.visible_to(viewer, Way.LIST).posted().values("pk")
        counts: dict[int, int] = {}
        for series_id in SeriesPart.objects.filter(
            series__in=series_ids, work__in=reachable
        ).values_list("series", flat=True):
            counts[series_id] = counts.get(series_id, 0) + 1
        for one in series.values():
            one.visible_work_count = counts.get(one.pk, 0)
            one.url = series_url(one)
    for bookmark in bookmarks:
        bookmark.blurb_work = works.get(bookmark.work_id)
        bookmark.blurb_series = series.get(bookmark.series_id)
    return bookmarks


def _listing(request, bookmarks, *, one_work: bool = False) -> dict:
    form = BookmarkFilterForm(request.GET, one_work=one_work)
    page = None
    if form.is_valid():
        found = filter_bookmarks(bookmarks, form.cleaned_data)
        found = found.select_related("user", "pseud").prefetch_related("tags")
        page = Paginator(found, BOOKMARKS_PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = _with_targets(list(page.object_list), request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query": query.urlencode()}


def bookmark(request, bookmark_id: int):
    one = _visible_bookmark(request, bookmark_id)
    _with_targets([one], request.user)
    return render(
        request,
        "bookmarks/bookmark.html",
        {"bookmark": one, "is_owner": one.user_id == request.user.pk, **_target_context(one)},
    )


def work_bookmarks(request, work_id: int):
    """The public bookmarks of a work (and the viewer's own, private or not)."""
    work = _reachable_work(request, work_id)
    bookmarks = Bookmark.objects.visible_to(request.user, request=request).filter(work=work)
    context = _listing(request, bookmarks, one_work=True)
    blurb = extensions.add_blurb_notes(
        Work.objects.filter(pk=work.pk).with_listing_data(), request.user
    )
    context.update({"work": blurb[0], "one_work": True})
    return render(request, "bookmarks/work_bookmarks.html", context)


def user_bookmarks(request, username: str):
    """An account's bookmarks: public ones for everyone, private ones too for the owner."""
    owner = get_object_or_404(User, username__iexact=username)
    bookmarks = Bookmark.objects.visible_to(request.user, request=request).filter(user=owner)
    context = _listing(request, bookmarks)
    context.update({"owner": owner, "is_owner": owner.pk == request.user.pk})
    return render(request, "bookmarks/user_bookmarks.html", context)
