"""The series pages: a series with its works in order, making, editing and deleting one, the
creators' page for ordering its works, a creator's series, and the work page's "Add to series".
Views parse a form, call a service, render or redirect; every page works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ficshelf.accounts.models import Pseud, User
from ficshelf.works import extensions
from ficshelf.works.models import Work
from ficshelf.works.reading import Way

from . import queries, services
from .extensions import series_sections
from .forms import AddToSeriesForm, SeriesForm
from .models import Series

SERIES_PER_PAGE = 20
WORKS_PER_PAGE = 20


def _back(request, default: str) -> str:
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return default


def _flash(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _own_series(request, series_id: int) -> Series:
    """One of the viewer's own series; anyone else's is not found (nothing to edit there)."""
    return get_object_or_404(
        queries.with_creators(Series.objects.editable_by(request.user)), pk=series_id
    )


def _creator(series: Series, viewer) -> bool:
    return viewer.is_authenticated and any(
        c.pseud.user_id == viewer.pk for c in series.creatorships.all()
    )


# --- The series page ------------------------------------------------------------------------------


def series(request, series_id: int):
    """The series, its works in order as blurbs: those the viewer may reach, less those their
    blocklist hides (counted for the notice, shelf/_hidden_notice.html). A series none of
    whose works the viewer may reach is not found, but for its creators."""
    found = get_object_or_404(queries.with_creators(Series.objects.all()), pk=series_id)
    viewer = request.user
    is_creator = _creator(found, viewer)
    reachable = queries.reachable_works(found, viewer)
    reachable_count = reachable.count()
    if not reachable_count and not is_creator:
        raise Http404("No such series.")
    shown = extensions.without_hidden(reachable, viewer, request=request)
    # Twenty works a page, as a list of works is (a long-running series can hold hundreds).
    page = Paginator(queries.in_order(shown, found).with_listing_data(), WORKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    works = extensions.add_blurb_notes(page.object_list, viewer)
    context = {
        "series": found,
        "creators": [c.pseud for c in found.creatorships.all()],
        "works": works,
        "page": page,
        "totals": queries.totals(found, viewer),
        "is_creator": is_creator,
        "sections": series_sections(request, found),
    }
    return render(request, "series/series.html", context)


# --- Making, editing, deleting --------------------------------------------------------------------


def _series_fields(form) -> dict:
    cleaned = form.cleaned_data
    return {
        "title": cleaned["title"],
        "summary": cleaned["summary"],
        "notes": cleaned["notes"],
        "is_complete": cleaned["is_complete"],
    }


def _save(form, save):
    """Run `save` with the form's values; a refusal becomes the form's errors. The series, or
    None."""
    try:
        return save(**_series_fields(form))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
    return None


@login_required
def new_series(request):
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        pseud = form.cleaned_data.get("pseud") or request.user.default_pseud
        made = _save(
            form,
            lambda **fields: services.create_series(creator=pseud, user=request.user, **fields),
        )
        if made is not None:
            messages.success(
                request, f"The series “{made.title}” is made. Add works to it from their pages."
            )
            return redirect(made)
    status = 400 if form.errors else 200
    return render(request, "series/series_form.html", {"form": form, "series": None}, status=status)


@login_required
def edit_series(request, series_id: int):
    found = _own_series(request, series_id)
    initial = {
        "title": found.title,
        "summary": found.summary,
        "notes": found.notes,
        "is_complete": found.is_complete,
    }
    form = SeriesForm(request.POST or None, initial=initial, user=request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda **fields: services.edit_series(series=found, user=request.user, **fields),
        )
        if saved is not None:
            messages.success(request, "The series is saved.")
            return redirect(saved)
    status = 400 if form.errors else 200
    return render(
        request, "series/series_form.html", {"form": form, "series": found}, status=status
    )


@login_required
def delete_series(request, series_id: int):
    found = _own_series(request, series_id)
    if request.method == "POST":
        services.delete_series(series=found, user=request.user)
        messages.success(request, f"The series “{found.title}” is deleted; its works stay.")
        return redirect("series:user_series", username=request.user.username)
    return render(request, "series/confirm_delete.html", {"series": found})


# --- Ordering its works ---------------------------------------------------------------------------


def _order_from(request) -> list[int]:
    """The order the manage page's form asks for: a Move up/down button, or the position
    numbers typed (ties keep the present order). ValidationError for what makes no sense."""
    try:
        listed = [int(work_id) for work_id in request.POST.getlist("work")]
    except ValueError:
        raise ValidationError(services.ORDER_MISMATCH) from None
    move = request.POST.get("move", "")
    if move:
        work_id, _, direction = move.partition(":")
        try:
            at = listed.index(int(work_id))
        except ValueError:
            raise ValidationError(services.ORDER_MISMATCH) from None
        to = at - 1 if direction == "up" else at + 1 if direction == "down" else -1
        if 0 <= to < len(listed):
            listed[at], listed[to] = listed[to], listed[at]
        return listed
    keyed = []
    for index, work_id in enumerate(listed):
        typed = request.POST.get(f"position-{work_id}", "").strip()
        try:
            number = int(typed)
        except ValueError:
            raise ValidationError("Please give each work a position number.") from None
        if number < 1:
            raise ValidationError("Positions start at 1.")
        keyed.append((number, index, work_id))
    return [work_id for _, _, work_id in sorted(keyed)]


@login_required
def manage(request, series_id: int):
    """Put the works in order (Move up / Move down, or position numbers) and take works out."""
    found = _own_series(request, series_id)
    if request.method == "POST":
        try:
            remove = request.POST.get("remove")
            if remove:
                work = Work.objects.filter(pk=int(remove) if remove.isdigit() else 0).first()
                if work is None:
                    raise ValidationError(services.NOT_IN)
                services.remove_work_from_series(series=found, work=work, user=request.user)
                messages.success(request, f"“{work.title}” is no longer part of the series.")
            else:
                order = _order_from(request)
                services.reorder_series(series=found, user=request.user, work_ids=order)
                messages.success(request, "The new order is saved.")
        except ValidationError as error:
            _flash(request, error)
        return redirect("series:manage", series_id=found.pk)
    parts = list(found.parts.select_related("work").order_by("position", "pk"))
    reachable = set(
        Work.objects.visible_to(request.user, Way.LIST)
        .filter(pk__in=[p.work_id for p in parts])
        .values_list("pk", flat=True)
    )
    for part in parts:
        part.reachable = part.work_id in reachable
    return render(request, "series/manage.html", {"series": found, "parts": parts})


# --- From a work's page ---------------------------------------------------------------------------


@login_required
@require_POST
def add_work(request, work_id: int):
    """ "Add to series" on a work page: into one of the creator's series, or a new one."""
    work = get_object_or_404(Work.objects.editable_by(request.user), pk=work_id)
    default = work.get_absolute_url()
    form = AddToSeriesForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request, default))
    try:
        if form.cleaned_data["series"]:
            target = (
                Series.objects.editable_by(request.user)
                .filter(pk=form.cleaned_data["series"])
                .first()
            )
            if target is None:
                raise ValidationError("There is no such series of yours.")
            part = services.add_work_to_series(series=target, work=work, user=request.user)
            messages.success(
                request, f"“{work.title}” is now part {part.position} of “{target.title}”."
            )
        else:
            target = services.start_series_with(
                work=work, user=request.user, title=form.cleaned_data["new_title"]
            )
            messages.success(
                request, f"“{work.title}” is now part 1 of the new series “{target.title}”."
            )
    except ValidationError as error:
        _flash(request, error)
    return redirect(_back(request, default))


@login_required
@require_POST
def remove_work(request, series_id: int, work_id: int):
    """ "Remove from series" on a work page (its creators) or the manage page."""
    found = get_object_or_404(Series, pk=series_id)
    work = get_object_or_404(Work.objects.editable_by(request.user), pk=work_id)
    try:
        services.remove_work_from_series(series=found, work=work, user=request.user)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, f"“{work.title}” is no longer part of “{found.title}”.")
    return redirect(_back(request, work.get_absolute_url()))


# --- A creator's series ---------------------------------------------------------------------------


def user_series(request, username: str, pseud: str | None = None):
    owner = get_object_or_404(User, username__iexact=username)
    chosen = None
    if pseud is not None:
        chosen = get_object_or_404(Pseud, user=owner, name__iexact=pseud)
    found = queries.series_of(owner, request.user, pseud=chosen)
    found = queries.with_listing_totals(found, request.user).order_by("-updated_at", "-pk")
    page = Paginator(found, SERIES_PER_PAGE).get_page(request.GET.get("page"))
    is_owner = request.user.is_authenticated and request.user.pk == owner.pk
    return render(
        request,
        "series/user_series.html",
        {"owner": owner, "pseud": chosen, "page": page, "is_owner": is_owner},
    )
