"""A chapter's earlier versions (works.history), for its creators: list, compare, restore."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import history, services
from ..models import Chapter, Work


def _chapter(request, work_id: int, chapter_id: int) -> Chapter:
    # Creators only: anyone else gets the 404 a page they cannot see gives.
    work = get_object_or_404(Work.objects.editable_by(request.user), pk=work_id)
    chapter = get_object_or_404(Chapter.objects.select_related("work"), work=work, pk=chapter_id)
    return chapter


@login_required
def version_list(request, work_id: int, chapter_id: int):
    chapter = _chapter(request, work_id, chapter_id)
    kept = list(chapter.versions.select_related("saved_by", "replaced_by"))
    current = history.texts(chapter.text)  # read once for every comparison
    rows = [(v, history.compare(v.text, chapter.text, new_texts=current)) for v in kept]
    context = {
        "work": chapter.work,
        "chapter": chapter,
        "rows": rows,
        "saved_by": kept[0].replaced_by if kept else None,
        "kept": history.VERSIONS_KEPT,
    }
    return render(request, "works/versions.html", context)


@login_required
def version(request, work_id: int, chapter_id: int, number: int):
    chapter = _chapter(request, work_id, chapter_id)
    shown = get_object_or_404(
        chapter.versions.select_related("saved_by", "replaced_by"), number=number
    )
    context = {
        "work": chapter.work,
        "chapter": chapter,
        "version": shown,
        "diff": history.compare(shown.text, chapter.text),
    }
    return render(request, "works/version.html", context)


@login_required
@require_POST
def restore(request, work_id: int, chapter_id: int, number: int):
    chapter = _chapter(request, work_id, chapter_id)
    revision = request.POST.get("base_revision", "")
    try:
        services.restore_chapter_version(
            chapter=chapter,
            editor=request.user,
            number=number,
            base_revision=int(revision) if revision.isdigit() else None,
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "conflict":
            messages.error(
                request,
                "The chapter was saved since you opened this page, so nothing was restored. "
                "Compare again below, then restore if you still want to.",
            )
        else:
            messages.error(request, " ".join(error.messages))
        return redirect("works:chapter_versions", work_id=work_id, chapter_id=chapter_id)
    messages.success(
        request, f"Version {number} is the chapter's text again; the text it replaced is kept."
    )
    return redirect(chapter)
