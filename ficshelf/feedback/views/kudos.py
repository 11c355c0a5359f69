"""Kudos on a reading page: a button and a count under each chapter, and under the work its
button and who left kudos ("alice, bob and 12 guests").

A guest's page is cached whole and shared by every guest (works.pagecache), so what a guest sees
here is the same for all of them: no CSRF token, no "you left kudos"; the POST view starts the
guest's session and knows them from there. A logged-in reader's page is their own.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ficshelf.works import reading
from ficshelf.works.extensions import ReadingAdditions, ReadingSection
from ficshelf.works.models import Chapter, Work
from ficshelf.works.reading import Way

from ..models import HiddenWork, Kudos
from ..services.blocking import blocks_feedback
from ..services.kudos import give_kudos, guest_key_for
from .csrf import require_csrf_for_accounts

# The work's kudos list names this many accounts, newest first, and counts the rest.
NAMES_SHOWN = 50

CHAPTER_TEMPLATE = "feedback/_chapter_kudos.html"
WORK_TEMPLATE = "feedback/_kudos.html"
HIDE_TEMPLATE = "feedback/_hide_work.html"


@dataclass
class _Viewer:
    """What the kudos sections show differently to this viewer (a guest: nothing)."""

    account: object = None
    # Chapter ids the viewer left kudos on; None stands for the work itself.
    given: set = field(default_factory=set)
    may_give: bool = True
    is_creator: bool = False
    hid_work: bool = False


def _viewer(request, work: Work) -> _Viewer:
    user = request.user
    if not user.is_authenticated:
        return _Viewer()
    creator = reading.is_creator(user, work)
    return _Viewer(
        account=user,
        given=set(Kudos.objects.filter(work=work, user=user).values_list("chapter_id", flat=True)),
        may_give=not creator and not blocks_feedback(work, user),
        is_creator=creator,
        hid_work=not creator and HiddenWork.objects.filter(user=user, work=work).exists(),
    )


def _back(request, *, full: bool) -> str:
    """Where the forms send the reader back: this page (never a guest's own query string,
    which a shared page must not carry)."""
    return request.path + ("?view_full_work=true" if full else "")


def chapter_section(work: Work, chapter: Chapter, viewer: _Viewer, *, back: str, notice=""):
    return ReadingSection(
        CHAPTER_TEMPLATE,
        {
            "chapter": chapter,
            "count": chapter.kudos_count,
            "comments": chapter.comments_count,
            "given": chapter.pk in viewer.given,
            "may_give": viewer.may_give and chapter.pk not in viewer.given,
            "action": reverse(
                "feedback:chapter_kudos", kwargs={"work_id": work.pk, "chapter_id": chapter.pk}
            ),
            "back": back,
            "notice": notice,
        },
    )


def _givers(work: Work) -> tuple[list[dict], int, int]:
    """The newest accounts' names, how many more accounts, and how many guests: two queries
    whatever the number of kudos, none when there are none."""
    if not work.kudos_count:
        return [], 0, 0
    on_work = Kudos.objects.filter(work=work, chapter__isnull=True)
    names = list(
        on_work.filter(user__isnull=False)
        .order_by("-created_at", "-pk")
        .values_list("user__username", flat=True)[:NAMES_SHOWN]
    )
    totals = on_work.aggregate(
        accounts=Count("pk", filter=Q(user__isnull=False)),
        guests=Count("pk", filter=Q(user__isnull=True)),
    )
    givers = [{"name": name, "url": reverse("accounts:profile", args=[name])} for name in names]
    return givers, max(totals["accounts"] - len(names), 0), totals["guests"]


def work_section(work: Work, viewer: _Viewer, *, back: str, notice="") -> ReadingSection:
    givers, more_accounts, guests = _givers(work)
    parts = list(givers)
    if more_accounts:
        parts.append({"text": f"{more_accounts} more user{'s' if more_accounts != 1 else ''}"})
    if guests:
        parts.append({"text": f"{guests} guest{'s' if guests != 1 else ''}"})
    return ReadingSection(
        WORK_TEMPLATE,
        {
            "givers": parts,
            "given": None in viewer.given,
            "may_give": viewer.may_give and None not in viewer.given,
            "is_creator": viewer.is_creator,
            "action": reverse("feedback:work_kudos", kwargs={"work_id": work.pk}),
            "back": back,
            "notice": notice,
        },
    )


def _hide_section(work: Work, viewer: _Viewer, *, back: str) -> ReadingSection:
    name = "feedback:unhide_work" if viewer.hid_work else "feedback:hide_work"
    return ReadingSection(
        HIDE_TEMPLATE,
        {
            "hidden": viewer.hid_work,
            "action": reverse(name, kwargs={"work_id": work.pk}),
            "back": back,
        },
    )


def kudos_additions(request, work, chapters, *, full: bool) -> ReadingAdditions:
    """A kudos section under each posted chapter shown, and the work's kudos (and, for a
    logged-in reader, "Hide this work") at the end of the page. A constant number of queries:
    the chapters' counts are on their rows."""
    additions = ReadingAdditions()
    if not work.posted:  # a draft: only its creators see it, and they leave no kudos
        return additions
    viewer = _viewer(request, work)
    back = _back(request, full=full)
    for chapter in chapters:
        if chapter.posted:
            additions.after_chapter[chapter.pk] = [
                chapter_section(work, chapter, viewer, back=back)
            ]
    additions.after_work.append(work_section(work, viewer, back=back))
    if viewer.account is not None and not viewer.is_creator:
        additions.after_work.append(_hide_section(work, viewer, back=back))
    return additions


# --- Leaving kudos --------------------------------------------------------------------------


def _readable(request, work_id: int, chapter_id: int | None) -> tuple[Work, Chapter | None]:
    """The work (and chapter) if the reading policy lets the viewer open it; else a 404."""
    work = (
        Work.objects.prefetch_related("creatorships__pseud")
        .filter(pk=work_id)
        .only(*reading.DECIDING_FIELDS, "kudos_count")
        .first()
    )
    if work is None:
        raise Http404("No such work.")
    chapter = None
    if chapter_id is not None:
        chapter = work.chapters.defer("text", "text_source").filter(pk=chapter_id).first()
        if chapter is None:
            raise Http404("No such chapter.")
    if not reading.may(request.user, work, Way.OPEN, chapter=chapter):
        raise Http404("No such work.")
    return work, chapter


def _guest_key(request) -> str:
    # The page the button was on is shared by every guest; the session starts here.
    if request.session.session_key is None:
        request.session.create()
    return guest_key_for(
        ip=request.META.get("REMOTE_ADDR", ""), session_key=request.session.session_key
    )


def _leave(request, work_id: int, chapter_id: int | None):
    require_csrf_for_accounts(request)
    work, chapter = _readable(request, work_id, chapter_id)
    account = request.user if request.user.is_authenticated else None
    try:
        give_kudos(
            work=work,
            chapter=chapter,
            giver=account,
            guest_key="" if account else _guest_key(request),
        )
    except ValidationError as error:
        notice, level = error.messages[0], messages.WARNING
        left = error.code == "twice"
    else:
        notice, level = "Thank you for leaving kudos!", messages.SUCCESS
        left = True
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = (chapter or work).get_absolute_url()
    if request.htmx:
        return _fragment(request, work, chapter, back=back, notice=notice, left=left)
    messages.add_message(request, level, notice)
    anchor = f"#kudos_chapter_{chapter.pk}" if chapter is not None else "#kudos"
    return redirect(back + anchor)


def _fragment(request, work: Work, chapter: Chapter | None, *, back: str, notice: str, left: bool):
    """The section again, in place (htmx), with its new count. This answer is the viewer's
    own (never cached), so a guest who has left kudos here sees no button either."""
    viewer = _viewer(request, work)
    if left:
        viewer.given.add(chapter.pk if chapter is not None else None)
    if chapter is not None:
        chapter.refresh_from_db(fields=["kudos_count", "comments_count"])
        section = chapter_section(work, chapter, viewer, back=back, notice=notice)
    else:
        work.refresh_from_db(fields=["kudos_count"])
        section = work_section(work, viewer, back=back, notice=notice)
    return render(request, section.template, {"work": work, "section": section})


@csrf_exempt  # for guests; accounts are checked in `_leave` (views/csrf.py says why)
@require_POST
def work_kudos(request, work_id: int):
    return _leave(request, work_id, None)


@csrf_exempt
@require_POST
def chapter_kudos(request, work_id: int, chapter_id: int):
    return _leave(request, work_id, chapter_id)
