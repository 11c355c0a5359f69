"""The autosave endpoint of the posting forms (static/js/autosave.js) and "Discard"."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .. import autosave, submissions
from ..forms import ChapterForm, WorkForm
from ..models import FormKind, Work

# The fields each form autosaves: its own, less the ones the server keeps itself.
_FORMS = {
    FormKind.NEW_WORK: WorkForm,
    FormKind.EDIT_WORK: WorkForm,
    FormKind.NEW_CHAPTER: ChapterForm,
    FormKind.EDIT_CHAPTER: ChapterForm,
}
_NOT_FIELDS = {"base_revision", "submission_id"}


def _target(request):
    """(kind, work, chapter) named by the request, checked: the user must be able to edit
    the work; anything else is a 404, as for the form itself."""
    kind = request.POST.get("autosave_kind", "")
    if kind not in FormKind.values:
        raise Http404("No such form.")
    work = chapter = None
    if kind != FormKind.NEW_WORK:
        work_id = request.POST.get("autosave_work", "")
        if not work_id.isdigit():
            raise Http404("No such work.")
        work = get_object_or_404(Work.objects.editable_by(request.user), pk=int(work_id))
    if kind == FormKind.EDIT_CHAPTER:
        chapter_id = request.POST.get("autosave_chapter", "")
        if not chapter_id.isdigit():
            raise Http404("No such chapter.")
        chapter = get_object_or_404(work.chapters, pk=int(chapter_id))
    return kind, work, chapter


def _message(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def save(request):
    """Keep what the form holds; 204 when kept."""
    kind, work, chapter = _target(request)
    names = [name for name in _FORMS[kind].base_fields if name not in _NOT_FIELDS]
    fields = {name: request.POST.getlist(name) for name in names if name in request.POST}
    token = submissions.parse_token(request.POST.get("submission_id"))
    if submissions.used(user=request.user, token=token):
        # The form was saved; this request was on its way before that.
        return _message("This form was saved already.", 409)
    revision = request.POST.get("base_revision", "")
    try:
        autosave.save_autosave(
            user=request.user,
            kind=kind,
            work=work,
            chapter=chapter,
            fields=fields,
            base_revision=int(revision) if revision.isdigit() else None,
            submission_id=token,
        )
    except autosave.TooBig as problem:
        return _message(str(problem), 413)
    return HttpResponse(status=204)


@login_required
@require_POST
def discard(request):
    """Forget the autosave ("Discard") and go back to the form."""
    kind, work, chapter = _target(request)
    autosave.clear(request.user, kind, work=work, chapter=chapter)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
    return redirect(back)
