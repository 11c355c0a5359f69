"""The reading policy: who may list, open, read in full or download a work or a chapter, or
find it in a feed, a search result or a notification, and what they see instead.

Every way in asks here: pages, listings, and (as they arrive) downloads, feeds, search,
notifications and the API. The QuerySet methods (`Work.objects.visible_to`,
`Chapter.objects.visible_to`) are this policy spelled in SQL, for lists; `decide` is the same
policy for one work or chapter, with what to show instead.

The rules:
- A draft work, and a draft chapter of a posted work, are for their creators only, and only
  in the editor's ways (its pages and the creator's own listings): never downloaded, never in a
  feed, a search result or a notification.
- A posted work restricted to logged-in readers is not listed, searched or fed to guests; a
  guest who opens it is asked to log in. Public feeds never carry it: feed readers do not log in.
- A guest opening a Mature or Explicit work sees the adult-content notice first, until they
  proceed once in their session (or follow a link with ?view_adult=true).
- Admins read as any logged-in reader: drafts stay private to their creators.
- A work hidden by an admin (moderation) is for its creators in the editor's ways, as a draft
  is, and for admins to open and read in full while they review it: never listed, searched,
  fed, downloaded or notified to anyone else.
"""

import enum
from dataclasses import dataclass

from django.db.models import Q, QuerySet

ADULT_SESSION_KEY = "adult"


class Way(enum.StrEnum):
    LIST = "list"  # listings: the works index, tag pages, a creator's works
    OPEN = "open"  # the work page, one chapter, the chapter index
    READ_FULL = "read_full"  # the entire work on one page
    DOWNLOAD = "download"
    FEED = "feed"  # public feeds, fetched without logging in
    SEARCH = "search"
    NOTIFY = "notify"  # an email or inbox item to this viewer


class Instead(enum.StrEnum):
    NOTHING = ""  # allowed
    LOG_IN = "log_in"
    ADULT_NOTICE = "adult_notice"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Verdict:
    instead: Instead

    @property
    def allowed(self) -> bool:
        return self.instead == Instead.NOTHING


ALLOWED = Verdict(Instead.NOTHING)
NOT_FOUND = Verdict(Instead.NOT_FOUND)
# The ways a creator has into their own drafts: the editor's pages and their own listings.
DRAFT_WAYS = frozenset({Way.LIST, Way.OPEN, Way.READ_FULL})
# The ways that show the text on a page, where the adult notice stands before it.
PAGE_WAYS = frozenset({Way.OPEN, Way.READ_FULL, Way.DOWNLOAD})


def is_reader(viewer) -> bool:
    """A logged-in account (guests are None or AnonymousUser)."""
    return viewer is not None and viewer.is_authenticated


def _own_works(viewer) -> QuerySet:
    from .models import Creatorship

    return Creatorship.objects.filter(pseud__user=viewer).values("work")


# --- Lists ----------------------------------------------------------------------------------


def is_admin(viewer) -> bool:
    return is_reader(viewer) and viewer.is_staff


# The ways an admin has into a hidden work, to review it.
REVIEW_WAYS = frozenset({Way.OPEN, Way.READ_FULL})
# The Work columns `decide` reads: a caller that loads a work with `only()` asks for these
# (and the work's creatorships), so a new rule here never costs a query per page elsewhere.
DECIDING_FIELDS = ("id", "posted", "hidden_by_admin", "restricted", "rating")


def works_filter(viewer, way: Way = Way.OPEN) -> Q:
    """The condition on Work rows that `viewer` may reach by `way`."""
    posted = Q(posted=True, hidden_by_admin=False)
    if way == Way.FEED:
        return posted & Q(restricted=False)
    if not is_reader(viewer):
        return posted & Q(restricted=False) if way != Way.NOTIFY else Q(pk__in=[])
    if is_admin(viewer) and way in REVIEW_WAYS:
        posted = Q(posted=True)
    if way in DRAFT_WAYS:
        return posted | Q(pk__in=_own_works(viewer))
    return posted


def chapters_filter(viewer, way: Way = Way.OPEN) -> Q:
    """The condition on Chapter rows that `viewer` may reach by `way` (their work included)."""
    from .models import Work

    works = Work.objects.filter(works_filter(viewer, way)).values("pk")
    condition = Q(work__in=works)
    if is_reader(viewer) and way in DRAFT_WAYS:
        return condition & (Q(posted=True) | Q(work__in=_own_works(viewer)))
    return condition & Q(posted=True)


def readable_chapters(viewer, work, way: Way = Way.OPEN) -> QuerySet:
    """The chapters of `work` that `viewer` may read, in order. Assumes `decide` allowed the
    work: a creator sees the drafts too."""
    chapters = work.chapters.order_by("position")
    if way in DRAFT_WAYS and is_creator(viewer, work):
        return chapters
    return chapters.filter(posted=True)


# --- One work -------------------------------------------------------------------------------


def is_creator(viewer, work) -> bool:
    """Whether `viewer` is credited on `work` (reads the prefetched creatorships if any)."""
    if not is_reader(viewer) or work.pk is None:
        return False
    return any(c.pseud.user_id == viewer.pk for c in work.creatorships.all())


def decide(viewer, work, way: Way, *, chapter=None, adult_consent: bool = False) -> Verdict:
    """May `viewer` reach `work` (and `chapter` of it, when given) by `way`; if not, what do
    they see instead?"""
    creator = is_creator(viewer, work)
    if not work.posted or (chapter is not None and not chapter.posted):
        return ALLOWED if creator and way in DRAFT_WAYS else NOT_FOUND
    if work.hidden_by_admin:
        if creator and way in DRAFT_WAYS:
            return ALLOWED
        return ALLOWED if is_admin(viewer) and way in REVIEW_WAYS else NOT_FOUND
    if way == Way.FEED and work.restricted:
        return NOT_FOUND
    if not is_reader(viewer):
        if way == Way.NOTIFY:
            return NOT_FOUND
        if work.restricted:
            return Verdict(Instead.LOG_IN) if way in PAGE_WAYS else NOT_FOUND
        if work.is_adult and way in PAGE_WAYS and not adult_consent:
            return Verdict(Instead.ADULT_NOTICE)
    return ALLOWED


def may(viewer, work, way: Way, *, chapter=None) -> bool:
    """`decide` for ways with no notice to show: feeds, search, notifications, listings."""
    return decide(viewer, work, way, chapter=chapter, adult_consent=True).allowed


def adult_consent(request) -> bool:
    """Whether this visitor has agreed to see adult content in this session; following a link
    with ?view_adult=true agrees, as on AO3."""
    if request.GET.get("view_adult") == "true":
        request.session[ADULT_SESSION_KEY] = True
    return bool(request.session.get(ADULT_SESSION_KEY))


def decide_for_request(request, work, way: Way, *, chapter=None) -> Verdict:
    return decide(request.user, work, way, chapter=chapter, adult_consent=adult_consent(request))


__all__ = [
    "ADULT_SESSION_KEY",
    "DECIDING_FIELDS",
    "Instead",
    "Verdict",
    "Way",
    "adult_consent",
    "chapters_filter",
    "decide",
    "decide_for_request",
    "is_admin",
    "is_creator",
    "is_reader",
    "may",
    "readable_chapters",
    "works_filter",
]
