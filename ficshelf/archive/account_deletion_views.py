"""/users/<name>/delete: the owner downloads everything, then deletes the account, choosing
what happens to the works (archive.account_deletion)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ficshelf.accounts import throttling
from ficshelf.accounts.models import User

from . import account_deletion
from .account_deletion import WorksChoice


class DeleteAccountForm(forms.Form):
    works = forms.ChoiceField(
        label="Your works",
        choices=WorksChoice.choices,
        initial=WorksChoice.ORPHAN,
        widget=forms.RadioSelect,
        help_text="Works you made with co-creators stay up with them either way.",
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    understood = forms.BooleanField(
        label="I have downloaded what I want to keep. Deleting cannot be undone.",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return password


def _owner(request, username: str) -> User:
    """The viewer's own account; anyone else is told there is no such page."""
    user = get_object_or_404(User, username__iexact=username)
    if user.pk != request.user.pk:
        raise Http404("No such page.")
    return user


@login_required
@never_cache
def delete_account(request, username: str):
    user = _owner(request, username)
    works = list(account_deletion.works_of(user))
    form = DeleteAccountForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        # The password is checked here: throttled as a login is (accounts.throttling).
        attempt = throttling.LoginAttempt.of(request, user.username)
        decision = attempt.check()
        if not decision.allowed:
            form = DeleteAccountForm(user=user)
            form.throttled = throttling.throttled_message(decision.retry_after)
            status = 429
        elif form.is_valid():
            try:
                done = account_deletion.delete_account(user=user, works=form.cleaned_data["works"])
            except account_deletion.DeletionRefused as refused:
                form.add_error(None, str(refused))
            else:
                logout(request)
                messages.success(
                    request,
                    f"Your account was deleted ({done.works_deleted} works deleted, "
                    f"{done.works_orphaned} orphaned, {done.works_left} left with their "
                    "co-creators).",
                )
                return redirect("archive:home")
        else:
            if "password" in form.errors:
                attempt.failed()
            status = 400
    response = render(
        request,
        "archive/delete_account.html",
        {"owner": user, "works": works, "form": form},
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(decision.retry_after)
    return response


@login_required
@require_POST
def download_everything(request, username: str):
    """The account's JSON export and every work as EPUB, HTML and JSON, in one zip."""
    user = _owner(request, username)
    return FileResponse(
        account_deletion.export_zip(user),
        as_attachment=True,
        filename=f"ficshelf-{user.username}-everything.zip",
        content_type="application/zip",
    )
