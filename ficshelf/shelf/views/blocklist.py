"""The blocklist page (/blocklist) and saved searches (/searches, and each one's Atom feed).

One page serves accounts and guests alike: an account's blocklist is stored (creators and
works it hides are feedback's mutes and hidden works, linked from here), a guest's is kept in
a signed cookie (shelf.blocklist), with creators and works too. Every change is a POST with
Django's CSRF token: these pages are never cached (only lists of works are), so the token
costs nothing. A form error re-renders the page with the error at its field (status 400).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET, require_POST

from ficshelf.accounts.models import User
from ficshelf.tags.models import Tag
from ficshelf.works.models import Work

from .. import blocklist as services
from .. import searches
from ..forms import (
    BlockTagForm,
    HideCreatorForm,
    HideWorkForm,
    HidingForm,
    IdForm,
    SavedSearchNameForm,
    SaveSearchForm,
    UnblockTagForm,
)
from ..models import BlockedTag, SavedSearch, ShelfSettings

BLOCKED_PER_PAGE = 100

# --- The blocklist page -----------------------------------------------------------------------


def _blocked_rows(request):
    """The tags blocked, each with its fandom (or None), in the order they were blocked: a
    page of them for an account (it may block 10,000), all of a guest's few."""
    if request.user.is_authenticated:
        rows = BlockedTag.objects.filter(user=request.user).select_related("tag", "fandom")
        page = Paginator(rows, BLOCKED_PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = [{"tag": row.tag, "fandom": row.fandom} for row in page.object_list]
        return page
    pairs = services.read_cookie(request).tags
    ids = {tag for tag, _ in pairs} | {fandom for _, fandom in pairs if fandom}
    tags = Tag.objects.in_bulk(ids)
    return [
        {"tag": tags[tag], "fandom": tags.get(fandom) if fandom else None}
        for tag, fandom in pairs
        if tag in tags and (fandom is None or fandom in tags)
    ]


def _page(request, *, status: int = 200, **forms):
    user = request.user
    context = {
        "blocked": _blocked_rows(request),
        "block_form": forms.get("block_form")
        or BlockTagForm(initial={"tag": request.GET.get("tag", "")[:200]}),
    }
    if user.is_authenticated:
        current = ShelfSettings.objects.filter(user=user).first()
        context["hiding_form"] = forms.get("hiding_form") or HidingForm(
            initial={
                "hide_read": bool(current and current.hide_read),
                "hide_kudosed": bool(current and current.hide_kudosed),
            }
        )
        context["blocked_max"] = services.BLOCKED_TAGS_MAX
    else:
        guest = services.read_cookie(request)
        context["creators"] = list(User.objects.filter(pk__in=guest.creators).order_by("username"))
        context["works"] = list(Work.objects.filter(pk__in=guest.works).order_by("title", "pk"))
        context["creator_form"] = forms.get("creator_form") or HideCreatorForm()
        context["work_form"] = forms.get("work_form") or HideWorkForm()
        context["blocked_max"] = services.GUEST_TAGS_MAX
    return render(request, "shelf/blocklist.html", context, status=status)


@require_GET
def blocklist(request):
    return _page(request)


def _guest_change(request, change, done: str, *, form_name: str | None = None, form=None):
    """Apply `change` to the guest's cookie; a refusal is shown on the page."""
    try:
        changed = change(services.read_cookie(request))
    except ValidationError as refusal:
        if form is not None:
            form.add_error(None, refusal)
            return _page(request, status=400, **{form_name: form})
        for message in refusal.messages:
            messages.error(request, message)
        return redirect("shelf:blocklist")
    messages.success(request, done)
    response = redirect("shelf:blocklist")
    services.write_cookie(response, changed)
    return response


@require_POST
def block_tag(request):
    form = BlockTagForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, block_form=form)
    tag, fandom = form.cleaned_data["tag"], form.cleaned_data["fandom"]
    where = f" in {(fandom.merger or fandom).name}" if fandom else ""
    shown = (tag.merger or tag).name
    done = f"Works tagged “{shown}”{where} are hidden from your lists."
    if not request.user.is_authenticated:
        return _guest_change(
            request,
            lambda guest: services.guest_block_tag(guest, tag=tag, fandom=fandom),
            done,
            form_name="block_form",
            form=form,
        )
    try:
        services.block_tag(user=request.user, tag=tag, fandom=fandom)
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return _page(request, status=400, block_form=form)
    messages.success(request, done)
    return redirect("shelf:blocklist")


@require_POST
def unblock_tag(request):
    form = UnblockTagForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That tag is not on your blocklist.")
        return redirect("shelf:blocklist")
    tag_id, fandom_id = form.cleaned_data["tag"], form.cleaned_data["fandom"]
    done = "The tag is no longer blocked."
    if not request.user.is_authenticated:
        return _guest_change(
            request,
            lambda guest: services.guest_unblock_tag(guest, tag_id=tag_id, fandom_id=fandom_id),
            done,
        )
    if services.unblock_tag(user=request.user, tag_id=tag_id, fandom_id=fandom_id):
        messages.success(request, done)
    return redirect("shelf:blocklist")


@login_required
@require_POST
def hiding(request):
    form = HidingForm(request.POST)
    if not form.is_valid():  # pragma: no cover - two checkboxes cannot be invalid
        return _page(request, status=400, hiding_form=form)
    services.set_hiding(user=request.user, **form.cleaned_data)
    messages.success(request, "Your choices are saved.")
    return redirect("shelf:blocklist")


def _guest_only(request):
    # An account hides creators and works with feedback's Mute and Hide buttons.
    if request.user.is_authenticated:
        raise Http404("Accounts hide creators and works from their pages.")


@require_POST
def hide_creator(request):
    _guest_only(request)
    form = HideCreatorForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, creator_form=form)
    creator = form.cleaned_data["username"]
    return _guest_change(
        request,
        lambda guest: services.guest_hide_creator(guest, user_id=creator.pk),
        f"Works by {creator.username} are hidden from your lists.",
        form_name="creator_form",
        form=form,
    )


@require_POST
def show_creator(request):
    _guest_only(request)
    form = IdForm(request.POST)
    if not form.is_valid():
        return redirect("shelf:blocklist")
    user_id = form.cleaned_data["id"]
    return _guest_change(
        request,
        lambda guest: services.guest_show_creator(guest, user_id=user_id),
        "Their works are shown again.",
    )


@require_POST
def hide_work(request):
    _guest_only(request)
    form = HideWorkForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, work_form=form)
    work = form.cleaned_data["work"]
    return _guest_change(
        request,
        lambda guest: services.guest_hide_work(guest, work_id=work.pk),
        f"“{work.title}” is hidden from your lists.",
        form_name="work_form",
        form=form,
    )


@require_POST
def show_work(request):
    _guest_only(request)
    form = IdForm(request.POST)
    if not form.is_valid():
        return redirect("shelf:blocklist")
    work_id = form.cleaned_data["id"]
    return _guest_change(
        request,
        lambda guest: services.guest_show_work(guest, work_id=work_id),
        "The work is shown again.",
    )


# --- Saved searches ---------------------------------------------------------------------------


def _feed_url(request, search: SavedSearch) -> str:
    url = reverse("shelf:search_feed", kwargs={"search_id": search.pk})
    return request.build_absolute_uri(f"{url}?token={searches.feed_token(search)}")


def _searches_page(request, *, status: int = 200, rename_forms: dict | None = None):
    rename_forms = rename_forms or {}
    rows = []
    for search in SavedSearch.objects.filter(user=request.user).select_related("user"):
        parsed = searches.parse(search)
        rows.append(
            {
                "search": search,
                "needs_edit": parsed.needs_edit,
                "problems": parsed.problems,
                "run_url": f"{reverse('search:works')}?{search.query}",
                "feed_url": _feed_url(request, search),
                "rename_form": rename_forms.get(search.pk)
                or SavedSearchNameForm(initial={"name": search.name}, prefix=f"s{search.pk}"),
            }
        )
    context = {"rows": rows, "saved_max": searches.SAVED_SEARCHES_MAX}
    return render(request, "shelf/searches.html", context, status=status)


@login_required
@require_GET
def saved_searches(request):
    return _searches_page(request)


@login_required
@require_POST
def save_search(request):
    form = SaveSearchForm(request.POST)
    back = f"{reverse('search:works')}?{searches.clean_query(request.POST.get('query', ''))}"
    if form.is_valid():
        try:
            searches.save_search(user=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            form.add_error("name", refusal)
        else:
            messages.success(request, f"Search saved as “{form.cleaned_data['name']}”.")
            return redirect("shelf:searches")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(back)


def _own_search(request, search_id: int) -> SavedSearch:
    return get_object_or_404(
        SavedSearch.objects.select_related("user"), pk=search_id, user=request.user
    )


@login_required
@require_POST
def rename_search(request, search_id: int):
    search = _own_search(request, search_id)
    form = SavedSearchNameForm(request.POST, prefix=f"s{search.pk}")
    if form.is_valid():
        try:
            searches.rename_search(user=request.user, search=search, name=form.cleaned_data["name"])
        except ValidationError as refusal:
            form.add_error("name", refusal)
        else:
            messages.success(request, f"Renamed to “{search.name}”.")
            return redirect("shelf:searches")
    return _searches_page(request, status=400, rename_forms={search.pk: form})


@login_required
@require_POST
def delete_search(request, search_id: int):
    search = _own_search(request, search_id)
    searches.delete_search(user=request.user, search=search)
    messages.success(request, f"Deleted the search “{search.name}”.")
    return redirect("shelf:searches")


@require_GET
def search_feed(request, search_id: int):
    """A saved search's Atom feed; its token is its only key (feed readers do not log in)."""
    search = (
        SavedSearch.objects.select_related("user")
        .filter(pk=search_id, user__is_active=True)
        .first()
    )
    if search is None or not searches.check_feed_token(search, request.GET.get("token", "")):
        raise Http404("No such feed.")
    parsed = searches.parse(search)
    run_url = request.build_absolute_uri(f"{reverse('search:works')}?{search.query}")
    atom = Atom1Feed(
        title=f"{search.name} (saved search)",
        link=run_url,
        description=f"The newest works found by the saved search “{search.name}”",
        feed_url=request.build_absolute_uri(),
        feed_guid=request.build_absolute_uri(f"/searches/{search.pk}"),
    )
    if parsed.needs_edit:
        atom.add_item(
            title=f"The saved search “{search.name}” needs an edit",
            link=request.build_absolute_uri(reverse("shelf:searches")),
            description=" ".join(parsed.problems),
            unique_id=request.build_absolute_uri(f"/searches/{search.pk}#needs-edit"),
        )
    for work in searches.feed_works(search):
        atom.add_item(
            title=work.title,
            link=request.build_absolute_uri(work.get_absolute_url()),
            description=work.summary or "",
            unique_id=request.build_absolute_uri(work.get_absolute_url()),
            updateddate=work.revised_at or work.updated_at,
            pubdate=work.published_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
