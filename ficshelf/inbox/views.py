"""The inbox's pages: the inbox itself and what one does there, subscriptions, email choices,
the private feed and the unsubscribe links. Views parse a form, call a service, render or
redirect; every page but the feed and the unsubscribe link is for the account itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ficshelf.feedback.models import Block, CommentStatus, Mute
from ficshelf.series.models import Series
from ficshelf.works import reading
from ficshelf.works.reading import Way

from . import emails, services
from .forms import EmailChoicesForm, ItemActionForm, KindFilterForm, ReplyForm, SubscriptionForm
from .models import InboxItem, InboxSettings, ItemKind, Subscription, SubscriptionKind, Topic

ITEMS_PER_PAGE = 50
FEED_ENTRIES = 50


def _back(request, default: str) -> str:
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return default


def _flash_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _told(items, viewer, way: Way) -> list:
    """Set `told` on each item: its words, or None where the viewer may no longer be told of
    it (the work became a draft, the comment was hidden, they muted its author)."""
    silenced = set(Mute.objects.filter(muter=viewer).values_list("muted_id", flat=True))
    silenced |= set(Block.objects.filter(blocker=viewer).values_list("blocked_id", flat=True))
    for item in items:
        allowed = item.actor_id not in silenced and emails.may_tell(item, viewer, way)
        item.told = emails.telling(item) if allowed else None
        item.may_reply = bool(
            item.told
            and item.kind in (ItemKind.COMMENT, ItemKind.REPLY)
            and item.comment.status == CommentStatus.PUBLISHED
        )
    return items


# --- The inbox --------------------------------------------------------------------------------


@login_required
def inbox(request):
    """The account's items, newest first, filtered by kind, 50 a page."""
    form = KindFilterForm(request.GET)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    items = InboxItem.objects.filter(recipient=request.user)
    if kind:
        items = items.filter(kind=kind)
    page = Paginator(items.values_list("pk", flat=True), ITEMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = list(emails.items_for_telling(page.object_list).order_by("-updated_at", "-pk"))
    return render(
        request,
        "inbox/inbox.html",
        {
            "items": _told(shown, request.user, Way.NOTIFY),
            "page": page,
            "filter_form": form,
            "kind": kind,
            "reply_form": ReplyForm(),
        },
    )


def _own_item(request, item_id: int) -> InboxItem:
    return get_object_or_404(
        InboxItem.objects.select_related("comment__work", "comment__chapter"),
        pk=item_id,
        recipient=request.user,
    )


@login_required
@require_POST
def item_action(request, item_id: int):
    item = _own_item(request, item_id)
    form = ItemActionForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
    elif form.cleaned_data["action"] == "delete":
        services.delete_items(user=request.user, item_ids=[item.pk])
        messages.success(request, "Deleted from your inbox.")
    else:
        read = form.cleaned_data["action"] == "read"
        services.mark_items(user=request.user, item_ids=[item.pk], read=read)
    return redirect(_back(request, reverse("inbox:inbox")))


@login_required
@require_POST
def read_all(request):
    services.mark_all_read(user=request.user)
    messages.success(request, "Everything in your inbox is marked read.")
    return redirect(_back(request, reverse("inbox:inbox")))


@login_required
@require_POST
def reply(request, item_id: int):
    """Reply to an item's comment from the inbox, by feedback's rules; its refusal is shown."""
    item = _own_item(request, item_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect(_back(request, reverse("inbox:inbox")))
    try:
        posted = services.reply_from_inbox(
            user=request.user, item=item, text=form.cleaned_data["text"]
        )
    except (PermissionDenied, ValidationError) as refusal:
        for message in getattr(refusal, "messages", None) or [str(refusal)]:
            messages.error(request, message)
    else:
        if posted.status == CommentStatus.AWAITING:
            messages.success(request, "Your reply was sent: it awaits the creator's approval.")
        else:
            messages.success(request, "Your reply was posted.")
    return redirect(_back(request, reverse("inbox:inbox")))


# --- Subscriptions ------------------------------------------------------------------------------


@login_required
def subscriptions(request):
    """What the account follows, each with an Unsubscribe button; POST subscribes."""
    if request.method == "POST":
        return _subscription_action(request, subscribe=True)
    rows = (
        Subscription.objects.filter(subscriber=request.user)
        .select_related("work", "creator", "series")
        .prefetch_related("work__creatorships__pseud")
        .order_by("kind", "-created_at", "pk")
    )
    seen_series = set(
        Series.objects.visible_to(request.user, Way.NOTIFY)
        .filter(subscriptions__subscriber=request.user)
        .values_list("pk", flat=True)
    )
    works, creators, series = [], [], []
    for row in rows:
        if row.kind == SubscriptionKind.WORK:
            # A work made a draft since is not named: it can only be unsubscribed from.
            row.readable = reading.may(request.user, row.work, Way.NOTIFY)
            works.append(row)
        elif row.kind == SubscriptionKind.SERIES:
            # Likewise a series none of whose works the reader may hear of now.
            row.readable = row.series_id in seen_series
            series.append(row)
        else:
            creators.append(row)
    context = {"works": works, "creators": creators, "series_list": series}
    return render(request, "inbox/subscriptions.html", context)


def _series_for_subscribing(series_id: int) -> Series:
    return get_object_or_404(Series, pk=series_id)


@login_required
@require_POST
def subscribe_series(request, series_id: int):
    """The series page's Subscribe button."""
    found = _series_for_subscribing(series_id)
    try:
        services.subscribe_to_series(user=request.user, series=found)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            f"You are subscribed to {found.title}: works added to it and their new chapters "
            "reach you.",
        )
    return redirect(_back(request, found.get_absolute_url()))


@login_required
@require_POST
def unsubscribe_series(request, series_id: int):
    found = _series_for_subscribing(series_id)
    services.unsubscribe(user=request.user, series=found)
    # A series the reader may no longer see is not named.
    readable = Series.objects.visible_to(request.user, Way.NOTIFY).filter(pk=found.pk).exists()
    name = found.title if readable else "that series"
    messages.success(request, f"You have unsubscribed from {name}.")
    return redirect(_back(request, reverse("inbox:subscriptions")))


@login_required
@require_POST
def unsubscribe_subscription(request):
    return _subscription_action(request, subscribe=False)


def _subscription_action(request, *, subscribe: bool):
    form = SubscriptionForm(request.POST, viewer=request.user)
    default = reverse("inbox:subscriptions")
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect(_back(request, default))
    work, creator = form.cleaned_data["work"], form.cleaned_data["creator"]
    subscription = form.cleaned_data["subscription"]
    name = work.title if work is not None else creator.username if creator else "that work"
    try:
        if not subscribe:
            services.unsubscribe(
                user=request.user, subscription_id=subscription, work=work, creator=creator
            )
            messages.success(request, f"You have unsubscribed from {name}.")
        elif subscription is not None:
            messages.error(request, "Please choose a work or a creator.")
        elif work is not None:
            services.subscribe_to_work(user=request.user, work=work)
            messages.success(request, f"You are subscribed to {name}: new chapters reach you.")
        else:
            services.subscribe_to_creator(user=request.user, creator=creator)
            messages.success(
                request, f"You are subscribed to {name}: new works and chapters reach you."
            )
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    return redirect(_back(request, default))


# --- Email choices and the feed ------------------------------------------------------------------


@login_required
def email_settings(request):
    current = services.settings_of(request.user)
    form = EmailChoicesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        services.set_email_choices(user=request.user, choices=form.cleaned_data)
        messages.success(request, "Your email choices are saved.")
        return redirect("inbox:settings")
    feed_url = request.build_absolute_uri(
        reverse("inbox:feed", kwargs={"token": current.feed_token})
    )
    return render(request, "inbox/settings.html", {"form": form, "feed_url": feed_url})


@login_required
@require_POST
def reset_feed(request):
    services.reset_feed_token(user=request.user)
    messages.success(request, "Your feed has a new address: the old one no longer works.")
    return redirect("inbox:settings")


def feed(request, token: str):
    """The private Atom feed of one account's inbox. The token is its only key, so what it
    shows is what a feed may (Way.FEED): nothing about restricted works or drafts."""
    found = (
        InboxSettings.objects.select_related("user")
        .filter(feed_token=token, user__is_active=True)
        .first()
    )
    if found is None:
        raise Http404("No such feed.")
    user = found.user
    ids = InboxItem.objects.filter(recipient=user).values_list("pk", flat=True)[:FEED_ENTRIES]
    items = list(emails.items_for_telling(ids).order_by("-updated_at", "-pk"))
    atom = Atom1Feed(
        title=f"{user.username}'s inbox",
        link=emails.absolute(reverse("inbox:inbox")),
        description="Comments, kudos and new chapters",
        feed_url=request.build_absolute_uri(),
        feed_guid=emails.absolute(f"/inbox/feed/{user.pk}"),
    )
    for item in _told(items, user, Way.FEED):
        if item.told is None:
            continue
        atom.add_item(
            title=item.told.subject,
            link=emails.absolute(item.told.url),
            description=item.told.excerpt,
            unique_id=emails.absolute(f"/inbox/items/{item.pk}"),
            updateddate=item.updated_at,
            pubdate=item.created_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- One-click unsubscribe -----------------------------------------------------------------------


@csrf_exempt  # Mail providers POST here without a session (RFC 8058); the signed token is the key.
def unsubscribe(request, token: str):
    """GET: a page asking to confirm; POST (a person's button, or a mail provider's one-click
    `List-Unsubscribe=One-Click`): stop that topic's emails. A forged token finds nothing."""
    found = emails.read_unsubscribe_token(token)
    if found is None:
        return render(request, "inbox/unsubscribe.html", {"invalid": True}, status=404)
    user_id, topic = found
    context = {"topic": Topic(topic).label, "token": token}
    if request.method == "POST":
        if not services.stop_emails(user_id=user_id, topic=topic):
            return render(request, "inbox/unsubscribe.html", {"invalid": True}, status=404)
        return render(request, "inbox/unsubscribe.html", {**context, "done": True})
    return render(request, "inbox/unsubscribe.html", context)
