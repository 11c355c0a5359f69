"""Lists of works: the index, a tag's works, a creator's works, and the recent works on a
profile or pseud page (a section `accounts` shows without importing works).

Pages cost the same at any depth (works.keyset: numbered pages, then cursors on the index that
serves the order; no full count). A guest's page of a list comes from the page cache while the
listings version stays the same (works.pagecache.listing_page)."""

import functools

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from ficshelf.accounts.extensions import ProfileSection
from ficshelf.accounts.models import Pseud, User
from ficshelf.tags.models import Tag, tag_from_param
from ficshelf.tags.services import is_wrangler

from .. import extensions, keyset, pagecache
from ..models import CreatorInvitation, FilterTagging, Work
from ..reading import Way

RECENT_WORKS = 5
# A tag's estimated total (its filter taggings, drafts and restricted works included), and the
# index's (the table's row estimate), are read at most this often: shown as "about N works".
TAG_ESTIMATE_SECONDS = 10 * 60


def listing_page(view):
    """pagecache.listing_page, whose guests' pages are keyed by the page number only: a page
    reached by cursor (?after=, ?before=) is never taken from nor put into the cache, so it is
    always the page the cursor names (it is cheap to make at any depth)."""
    cached = pagecache.listing_page(view)
    keyed_by_number = cached.guest_page

    def page_for(request, *args, **kwargs):
        if _by_cursor(request):
            return None
        return keyed_by_number(request, *args, **kwargs)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if _by_cursor(request):
            return view(request, *args, **kwargs)
        return cached(request, *args, **kwargs)

    wrapper.guest_page = page_for
    return wrapper


def _by_cursor(request) -> bool:
    return bool(request.GET.get("after") or request.GET.get("before"))


# A list whose estimate is past LONG_LIST times keyset.EXACT_TOTAL works is shown as "about N
# works" without reading the first EXACT_TOTAL + 1 to count them: far past, so that drafts and
# restricted works (in the estimates, not in the list) cannot bring it under EXACT_TOTAL.
LONG_LIST = 5


def _page(request, works, *, estimate=None):
    works = extensions.without_hidden(works, request.user, request=request)
    guess = estimate() if estimate is not None else None
    page = keyset.paginate(
        works,
        request.GET,
        order=keyset.NEWEST_UPDATED,
        rows=lambda ids: Work.objects.filter(pk__in=ids).with_listing_data(),
        estimate=lambda: guess,
        total=keyset.Total(guess, about=True)
        if guess and guess > LONG_LIST * keyset.EXACT_TOTAL
        else None,
    )
    page.object_list = extensions.add_blurb_notes(page.object_list, request.user)
    return page


@listing_page
def index(request):
    works = Work.objects.visible_to(request.user, Way.LIST).posted()
    page = _page(request, works, estimate=_works_estimate)
    return render(request, "works/index.html", {"page": page})


def _works_estimate() -> int | None:
    # The database's own row estimate, read at most every few minutes: a round trip fewer.
    return keyset.archive_size(Work)


def _tag_estimate(tag) -> int:
    return cache.get_or_set(
        f"works.tag-estimate:{tag.pk}",
        lambda: FilterTagging.objects.filter(tag=tag).count(),
        TAG_ESTIMATE_SECONDS,
    )


@listing_page
def tag_works(request, tag: str):
    """Works found under this tag (AO3's /tags/<name>/works): tagged with it, with one of its
    synonyms, or with a tag below it; a synonym's page redirects to its canonical's, as on
    AO3. The page names the tag's synonyms, parents and subtags."""
    tag = Tag.objects.named(tag_from_param(tag))
    if tag is None:
        raise Http404("No such tag.")
    if tag.merger_id:
        return redirect(tag.merger.get_absolute_url())
    # From the tag's works, or walking the newest works and testing each, whichever costs
    # less for this tag (keyset.with_tags).
    works = keyset.with_tags(Work.objects.visible_to(request.user, Way.LIST).posted(), [tag])
    context = {
        "tag": tag,
        "synonyms": tag.synonyms.all(),
        "parents": tag.parents.all(),
        "children": tag.children.all(),
        "can_wrangle": tag.is_wrangleable and is_wrangler(request.user),
        "page": _page(request, works, estimate=lambda: _tag_estimate(tag)),
    }
    return render(request, "tags/tag_works.html", context)


def _account(username: str) -> User:
    return get_object_or_404(User, username__iexact=username)


def _pseud(username: str, name: str) -> Pseud:
    return get_object_or_404(
        Pseud.objects.select_related("user"), user__username__iexact=username, name__iexact=name
    )


@listing_page
def user_works(request, username: str):
    """Every work the account created; its owner sees their drafts here too."""
    user = _account(username)
    works = Work.objects.visible_to(request.user, Way.LIST).by_user(user)
    return render(
        request,
        "works/creator_works.html",
        {
            "owner": user,
            "pseud": None,
            "page": _page(request, works),
            "is_owner": user.pk == request.user.pk,
        },
    )


@listing_page
def pseud_works(request, username: str, pseud: str):
    pseud = _pseud(username, pseud)
    works = Work.objects.visible_to(request.user, Way.LIST).by_pseud(pseud)
    return render(
        request,
        "works/creator_works.html",
        {
            "owner": pseud.user,
            "pseud": pseud,
            "page": _page(request, works),
            "is_owner": pseud.user_id == request.user.pk,
        },
    )


def recent_works_sections(owner, pseud, viewer) -> list[ProfileSection]:
    """The "Recent works" section of a profile or pseud page."""
    works = Work.objects.visible_to(viewer, Way.LIST).posted()
    works = works.by_pseud(pseud) if pseud is not None else works.by_user(owner)
    works = extensions.without_hidden(works, viewer)
    recent = extensions.add_blurb_notes(
        works.newest_updated_first().with_listing_data()[:RECENT_WORKS], viewer
    )
    context = {"owner": owner, "pseud": pseud, "works": recent, "work_count": works.count()}
    if pseud is None and viewer.is_authenticated and viewer.pk == owner.pk:
        context["invitations"] = CreatorInvitation.objects.filter(pseud__user=owner).count()
        context["is_owner"] = True
    return [ProfileSection("works/_recent_works.html", context)]
