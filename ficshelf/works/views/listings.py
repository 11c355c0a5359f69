"""Lists of works: the index, a tag's works, a creator's works, and the recent works on a
profile or pseud page (a section `accounts` shows without importing works).

A guest's page of a list comes from the page cache while the listings version stays the same
(works.pagecache.listing_page)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ficshelf.accounts.extensions import ProfileSection
from ficshelf.accounts.models import Pseud, User
from ficshelf.tags.models import Tag, tag_from_param

from .. import extensions, pagecache
from ..models import CreatorInvitation, Work
from ..reading import Way

WORKS_PER_PAGE = 20
RECENT_WORKS = 5


def _page(request, works):
    works = extensions.without_hidden(works, request.user)
    works = works.newest_updated_first().with_listing_data()
    page = Paginator(works, WORKS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = extensions.add_blurb_notes(page.object_list, request.user)
    return page


@pagecache.listing_page
def index(request):
    works = Work.objects.visible_to(request.user, Way.LIST).posted()
    return render(request, "works/index.html", {"page": _page(request, works)})


@pagecache.listing_page
def tag_works(request, tag: str):
    """Works tagged with this name, in any tag kind (AO3's /tags/<name>/works)."""
    name = tag_from_param(tag)
    tags = list(Tag.objects.filter(name__iexact=name))
    if not tags:
        raise Http404("No such tag.")
    works = (
        Work.objects.visible_to(request.user, Way.LIST)
        .posted()
        .filter(pk__in=Work.objects.filter(taggings__tag__in=tags).values("pk"))
    )
    return render(request, "tags/tag_works.html", {"tag": tags[0], "page": _page(request, works)})


def _account(username: str) -> User:
    return get_object_or_404(User, username__iexact=username)


def _pseud(username: str, name: str) -> Pseud:
    return get_object_or_404(
        Pseud.objects.select_related("user"), user__username__iexact=username, name__iexact=name
    )


@pagecache.listing_page
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


@pagecache.listing_page
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
    return [ProfileSection("works/_recent_works.html", context)]
