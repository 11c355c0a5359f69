"""The reading settings page: a form of choices, each with a preview, saved to the account or
(for a guest) to a cookie."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from ficshelf.feedback.models import ReadingSettings

from .. import reading_settings as reading
from ..reading_settings import DEFAULT, ReadingSettingsForm


def _safe_next(request, target: str | None) -> str | None:
    """`target` if it is a page of this archive, else None."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _inline_markers_shown(request) -> bool | None:
    """Feedback's own reading setting, for logged-in readers (None for guests)."""
    if not request.user.is_authenticated:
        return None
    shown = (
        ReadingSettings.objects.filter(user=request.user)
        .values_list("show_inline_markers", flat=True)
        .first()
    )
    return True if shown is None else shown


@never_cache
def reading_settings(request):
    """GET: the form, filled with the reader's choices. POST: save them (or, with "reset",
    the defaults) and go back to `next` when it is a page of this archive."""
    if request.method == "POST":
        form = ReadingSettingsForm(request.POST)
        if "reset" in request.POST:
            form.is_valid()  # only for `next`
            appearance = DEFAULT
        elif form.is_valid():
            appearance = form.appearance()
        else:
            return _page(request, form, status=400)
        target = _safe_next(request, form.cleaned_data.get("next"))
        if target is None:
            target = reverse("shelf:reading_settings")
            if form.cleaned_data.get("next"):
                messages.warning(request, "That page is not on this archive: you are back here.")
        response = redirect(target)
        if request.user.is_authenticated:
            reading.save_reading_settings(user=request.user, appearance=appearance)
        elif appearance == DEFAULT:
            # No cookie: the guest is served the pages every guest shares again.
            response.delete_cookie(reading.COOKIE, samesite="Lax")
        else:
            response.set_cookie(
                reading.COOKIE,
                reading.cookie_value(appearance),
                max_age=reading.COOKIE_MAX_AGE,
                samesite="Lax",
                secure=request.is_secure(),
                httponly=True,  # no script reads it: the server applies it
            )
        saved = "reset to the defaults" if appearance == DEFAULT else "saved"
        where = "for your account" if request.user.is_authenticated else "in this browser"
        messages.success(request, f"Your reading settings are {saved} {where}.")
        return response
    current = reading.for_request(request)
    initial = {**current.as_dict(), "next": _safe_next(request, request.GET.get("next")) or ""}
    return _page(request, ReadingSettingsForm(initial=initial))


def _page(request, form, *, status: int = 200):
    context = {
        "form": form,
        "choice_fields": [form[name] for name in reading.CHOICES],
        "back": _safe_next(request, form["next"].value()),
        "inline_markers_shown": _inline_markers_shown(request),
    }
    return render(request, "shelf/reading_settings.html", context, status=status)
