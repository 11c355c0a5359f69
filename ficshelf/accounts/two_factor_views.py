"""Two-factor pages: the code asked after the password, and the owner's set-up page."""

import django_otp
from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ficshelf.userstuff.forms import PlainLabelsMixin

from . import throttling, two_factor
from .models import User


class CodeForm(PlainLabelsMixin, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6 digits your authenticator app shows, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordForm(PlainLabelsMixin, forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError("That is not your password.", code="wrong_password")
        return self.cleaned_data["password"]


def _throttled(response: HttpResponse, decision) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(decision.retry_after)
    return response


@never_cache
def login_code(request):
    """The second step of logging in, for accounts with two-factor on."""
    waiting = two_factor.pending(request)
    if waiting is None:
        messages.info(request, "Please log in again.")
        return redirect("accounts:login")
    user, data = waiting
    form = CodeForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        attempt = throttling.LoginAttempt.of(request, user.username)
        decision = attempt.check()
        if not decision.allowed:
            context = {
                "form": CodeForm(),
                "throttled": throttling.throttled_message(decision.retry_after),
            }
            return _throttled(render(request, "registration/login_code.html", context), decision)
        if form.is_valid():
            device = two_factor.verify(user, form.cleaned_data["code"])
            if device is not None:
                two_factor.finish(request)
                login(request, user, backend=data["backend"])
                django_otp.login(request, device)
                attempt.succeeded()
                messages.success(request, "Successfully logged in.")
                return redirect(data["next"])
            attempt.failed()
            form.add_error("code", "That code is not right. Try the newest one from your app.")
    return render(request, "registration/login_code.html", context)


def _owner(request, username: str) -> User:
    user = get_object_or_404(User, username__iexact=username)
    if user.pk != request.user.pk:
        raise Http404("No such page.")
    return user


@login_required
@never_cache
def setup(request, username: str):
    """Off: the secret, its QR code and a code to confirm. On: backup codes and turning off."""
    user = _owner(request, username)
    if two_factor.is_on(user):
        return render(
            request,
            "accounts/two_factor.html",
            {
                "owner": user,
                "on": True,
                "codes_left": two_factor.backup_codes_left(user),
                "password_form": PasswordForm(user=user),
            },
        )
    device = two_factor.setup_device(user)
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The 6 digits the app shows now for this archive."
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(user=user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            messages.success(request, "Two-factor login is on.")
            return render(
                request, "accounts/two_factor_codes.html", {"owner": user, "codes": codes}
            )
        form.add_error(
            "code", "That code is not right. Check the time on your phone, and try the newest code."
        )
    return render(
        request,
        "accounts/two_factor.html",
        {
            "owner": user,
            "on": False,
            "form": form,
            "secret": two_factor.secret_text(device),
            "otpauth": device.config_url,
            "qr": two_factor.qr_svg(device),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def new_backup_codes(request, username: str):
    user = _owner(request, username)
    if not two_factor.is_on(user):
        return redirect("accounts:two_factor", username=user.username)
    codes = two_factor.new_backup_codes(user=user)
    return render(request, "accounts/two_factor_codes.html", {"owner": user, "codes": codes})


@login_required
@require_POST
def turn_off(request, username: str):
    user = _owner(request, username)
    form = PasswordForm(request.POST, user=user)
    attempt = throttling.LoginAttempt.of(request, user.username)
    decision = attempt.check()
    if decision.allowed and form.is_valid():
        two_factor.turn_off(user=user)
        messages.success(request, "Two-factor login is off.")
        return redirect("accounts:two_factor", username=user.username)
    context = {
        "owner": user,
        "on": True,
        "codes_left": two_factor.backup_codes_left(user),
        "password_form": form if decision.allowed else PasswordForm(user=user),
    }
    if not decision.allowed:
        context["throttled"] = throttling.throttled_message(decision.retry_after)
        return _throttled(render(request, "accounts/two_factor.html", context), decision)
    attempt.failed()
    return render(request, "accounts/two_factor.html", context, status=400)
