"""Scheduled releases: a creator's queue, and cancelling a schedule (works.scheduling).
Setting one is a button on the posting forms (views.posting)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .. import scheduling
from ..models import Work


def _editable_work(request, work_id: int) -> Work:
    return get_object_or_404(Work.objects.editable_by(request.user), pk=work_id)


def _back(request, default):
    """Back to the page the button was on (the queue or the work), else `default`."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


@login_required
def queue(request, username: str):
    """The owner's scheduled chapters and works, soonest first."""
    if request.user.username.lower() != username.lower():
        raise Http404
    releases = scheduling.scheduled_releases(request.user)
    return render(request, "works/scheduled.html", {"releases": releases})


@login_required
@require_POST
def unschedule_work(request, work_id: int):
    work = _editable_work(request, work_id)
    scheduling.unschedule_work(work=work, editor=request.user)
    messages.success(request, "The schedule was cancelled: the work stays a draft.")
    return _back(request, work)


@login_required
@require_POST
def unschedule_chapter(request, work_id: int, chapter_id: int):
    work = _editable_work(request, work_id)
    chapter = get_object_or_404(work.chapters, pk=chapter_id)
    scheduling.unschedule_chapter(chapter=chapter, editor=request.user)
    messages.success(request, "The schedule was cancelled: the chapter stays a draft.")
    return _back(request, chapter)
