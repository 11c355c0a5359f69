"""What bookmarks add to others' pages, through their extension points: a "Bookmark" (or
"Edit bookmark") link above a work, a "Bookmark series" link on a series page, and a
"Bookmarks (N)" link on a profile.

A guest's work page is cached whole and shared by every guest (works.pagecache): what a guest
sees here depends on the work alone (a log-in link), never on the guest.
"""

from django.urls import reverse

from ficshelf.accounts.extensions import ProfileSection
from ficshelf.series.extensions import SeriesSection
from ficshelf.works import reading
from ficshelf.works.extensions import ReadingAdditions, ReadingSection

WORK_TEMPLATE = "bookmarks/_work_actions.html"
SERIES_TEMPLATE = "bookmarks/_series_actions.html"
PROFILE_TEMPLATE = "bookmarks/_profile_link.html"


def _log_in_url(next_url: str) -> str:
    return f"{reverse('accounts:login')}?next={next_url}"


def reading_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    from .models import Bookmark

    additions = ReadingAdditions()
    if not work.posted:  # a draft: nothing to bookmark yet
        return additions
    new_url = reverse("bookmarks:new_work_bookmark", kwargs={"work_id": work.pk})
    context = {
        "list_url": reverse("bookmarks:work_bookmarks", kwargs={"work_id": work.pk}),
        "count": work.bookmarks_count,
    }
    if reading.is_reader(request.user):
        mine = Bookmark.objects.filter(user=request.user, work=work).only("pk").first()
        if mine is not None:
            context["edit_url"] = reverse("bookmarks:edit", kwargs={"bookmark_id": mine.pk})
        else:
            context["new_url"] = new_url
    else:
        context["log_in_url"] = _log_in_url(new_url)
    additions.before_work.append(ReadingSection(WORK_TEMPLATE, context))
    return additions


def series_sections(request, series) -> list[SeriesSection]:
    from .models import Bookmark

    new_url = reverse("bookmarks:new_series_bookmark", kwargs={"series_id": series.pk})
    context = {}
    if reading.is_reader(request.user):
        mine = Bookmark.objects.filter(user=request.user, series=series).only("pk").first()
        if mine is not None:
            context["edit_url"] = reverse("bookmarks:edit", kwargs={"bookmark_id": mine.pk})
        else:
            context["new_url"] = new_url
    else:
        context["log_in_url"] = _log_in_url(new_url)
    return [SeriesSection(SERIES_TEMPLATE, context)]


def profile_sections(owner, pseud, viewer) -> list[ProfileSection]:
    """On a profile (not a pseud's page): a link to the account's bookmarks, counting those
    this viewer may see."""
    from .models import Bookmark

    if pseud is not None:
        return []
    count = Bookmark.objects.visible_to(viewer).filter(user=owner).count()
    url = reverse("bookmarks:user_bookmarks", kwargs={"username": owner.username})
    return [ProfileSection(PROFILE_TEMPLATE, {"owner": owner, "count": count, "url": url})]
