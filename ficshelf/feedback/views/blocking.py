"""Blocking and muting accounts, hiding works: the buttons, and each reader's own lists of them
(/users/<name>/blocked, /muted, /hidden_works, which only that reader can open).

The Block and Mute buttons are a section of other readers' profile pages
(accounts.extensions), registered when this module is imported from FeedbackConfig.ready().
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ficshelf.accounts.extensions import ProfileSection, register_profile_sections
from ficshelf.works.models import Work
from ficshelf.works.reading import Way

from ..models import Block, HiddenWork, Mute
from ..services import blocking


class AccountForm(forms.Form):
    """The account a Block, Mute, Unblock or Unmute button names, and the page to go back to."""

    username = forms.CharField(max_length=150)
    next = forms.CharField(required=False)

    def clean_username(self):
        name = self.cleaned_data["username"]
        account = get_user_model().objects.filter(username=name, is_active=True).first()
        if account is None:
            raise ValidationError(f"There is no account called {name}.", code="no_account")
        return account


def _own_lists(request, username: str) -> None:
    # Who someone blocked or muted is theirs alone: anyone else finds nothing here.
    if request.user.username != username:
        raise Http404("No such page.")


def _back(request, default: str) -> str:
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return default


def _account_action(request, username: str, act, done: str, list_name: str):
    """Parse the button's form, call `act(account)`, and go back with what happened."""
    _own_lists(request, username)
    default = reverse(list_name, kwargs={"username": username})
    form = AccountForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request, default))
    account = form.cleaned_data["username"]
    try:
        act(account)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done.format(name=account.username))
    return redirect(_back(request, default))


def _accounts_page(request, username: str, *, rows, kind: str):
    _own_lists(request, username)
    return render(
        request,
        "feedback/accounts_list.html",
        {
            "kind": kind,
            "accounts": [row for row in rows.select_related(kind)],
            "remove_url": reverse(f"feedback:un{kind}", kwargs={"username": username}),
        },
    )


@login_required
def blocked_users(request, username: str):
    """The accounts this reader blocked, each with an Unblock button; POST blocks one."""
    if request.method == "POST":
        return _account_action(
            request,
            username,
            lambda account: blocking.block_user(blocker=request.user, blocked=account),
            "You have blocked {name}: they can no longer comment on or leave kudos on your works.",
            "feedback:blocked",
        )
    rows = Block.objects.filter(blocker=request.user)
    return _accounts_page(request, username, rows=rows, kind="blocked")


@login_required
@require_POST
def unblock_user(request, username: str):
    return _account_action(
        request,
        username,
        lambda account: blocking.unblock_user(blocker=request.user, blocked=account),
        "You have unblocked {name}.",
        "feedback:blocked",
    )


@login_required
def muted_users(request, username: str):
    """The accounts this reader muted, each with an Unmute button; POST mutes one."""
    if request.method == "POST":
        return _account_action(
            request,
            username,
            lambda account: blocking.mute_user(muter=request.user, muted=account),
            "You have muted {name}: you will no longer see their comments or their works.",
            "feedback:muted",
        )
    rows = Mute.objects.filter(muter=request.user)
    return _accounts_page(request, username, rows=rows, kind="muted")


@login_required
@require_POST
def unmute_user(request, username: str):
    return _account_action(
        request,
        username,
        lambda account: blocking.unmute_user(muter=request.user, muted=account),
        "You have unmuted {name}.",
        "feedback:muted",
    )


# --- Hidden works -----------------------------------------------------------------------------


@login_required
def hidden_works(request, username: str):
    """The works this reader hid from their lists, each with a button to show it again."""
    _own_lists(request, username)
    # Only works the reader may still see: a hidden work made a draft since is not named.
    visible = Work.objects.visible_to(request.user, Way.LIST).values("pk")
    rows = HiddenWork.objects.filter(user=request.user, work__in=visible).select_related("work")
    return render(request, "feedback/hidden_works.html", {"hidden": list(rows)})


def _listed_work(request, work_id: int) -> Work:
    work = (
        Work.objects.visible_to(request.user, Way.LIST)
        .prefetch_related("creatorships__pseud")
        .filter(pk=work_id)
        .first()
    )
    if work is None:
        raise Http404("No such work.")
    return work


@login_required
@require_POST
def hide_work(request, work_id: int):
    work = _listed_work(request, work_id)
    try:
        blocking.hide_work(user=request.user, work=work)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "This work is hidden: it will no longer appear in your lists.")
    return redirect(_back(request, work.get_absolute_url()))


@login_required
@require_POST
def unhide_work(request, work_id: int):
    work = _listed_work(request, work_id)
    blocking.unhide_work(user=request.user, work=work)
    messages.success(request, "This work appears in your lists again.")
    return redirect(_back(request, work.get_absolute_url()))


# --- On profile pages -------------------------------------------------------------------------


def profile_actions(owner, pseud, viewer) -> list[ProfileSection]:
    """On another reader's profile: Block / Unblock and Mute / Unmute. On one's own: links to
    one's blocked and muted accounts and hidden works. Nothing for guests."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    if viewer.pk == owner.pk:
        if pseud is not None:
            return []
        return [ProfileSection("feedback/_profile_lists.html", {"owner": owner})]
    return [
        ProfileSection(
            "feedback/_profile_actions.html",
            {
                "owner": owner,
                "viewer": viewer,
                "blocked": Block.objects.filter(blocker=viewer, blocked=owner).exists(),
                "muted": Mute.objects.filter(muter=viewer, muted=owner).exists(),
            },
        )
    ]


register_profile_sections(profile_actions)
