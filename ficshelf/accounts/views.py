"""Signing up, logging in, profiles and pseuds. Views parse a form, call a service, render or
redirect."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from . import services
from .extensions import profile_sections
from .forms import (
    LogInForm,
    PasswordChangeForm,
    PasswordResetForm,
    PseudForm,
    SetPasswordForm,
    SignUpForm,
)
from .models import Pseud, User


def _account(username: str) -> User:
    return get_object_or_404(User, username__iexact=username)


def _own_account(request, username: str) -> User:
    """The account at `username` if it is the viewer's own, else 403."""
    user = _account(username)
    if user.pk != request.user.pk:
        raise PermissionDenied("Only the account's owner can do that.")
    return user


def _pseud(username: str, name: str) -> Pseud:
    return get_object_or_404(
        Pseud.objects.select_related("user"), user__username__iexact=username, name__iexact=name
    )


# --- Signing up and logging in ------------------------------------------------------------


def signup(request):
    if request.user.is_authenticated:
        messages.info(request, "You already have an account and are logged in.")
        return redirect(request.user)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_up(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except IntegrityError:
            # Someone took the name or address between the form's check and the write.
            form.add_error(None, "That user name or email address was just taken. Try again.")
        else:
            login(request, user)
            messages.success(request, f"Welcome to {settings.SITE_NAME}, {user.username}!")
            return redirect(user)
    return render(request, "accounts/signup.html", {"form": form})


class LogInView(auth_views.LoginView):
    authentication_form = LogInForm

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Successfully logged in.")
        return response


class LogOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have been logged out.")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self) -> dict:
        return {"site_name": settings.SITE_NAME}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


# --- Profiles -------------------------------------------------------------------------------


def profile(request, username: str):
    user = _account(username)
    return render(
        request,
        "accounts/profile.html",
        {
            "owner": user,
            "pseuds": user.pseuds.all(),
            "sections": profile_sections(owner=user, pseud=None, viewer=request.user),
            "is_owner": user.pk == request.user.pk,
        },
    )


# --- Pseuds ---------------------------------------------------------------------------------


def pseuds(request, username: str):
    user = _account(username)
    return render(
        request,
        "accounts/pseuds.html",
        {"owner": user, "pseuds": user.pseuds.all(), "is_owner": user.pk == request.user.pk},
    )


@login_required
def new_pseud(request, username: str):
    user = _own_account(request, username)
    form = PseudForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            pseud = services.add_pseud(
                user=user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except IntegrityError:
            form.add_error("name", "You already have a pseud with that name.")
        else:
            messages.success(request, f"Pseud “{pseud.name}” was created.")
            return redirect(pseud)
    return render(request, "accounts/pseud_form.html", {"owner": user, "form": form})


def pseud(request, username: str, pseud: str):
    pseud = _pseud(username, pseud)
    return render(
        request,
        "accounts/pseud.html",
        {
            "owner": pseud.user,
            "pseud": pseud,
            "sections": profile_sections(owner=pseud.user, pseud=pseud, viewer=request.user),
            "is_owner": pseud.user_id == request.user.pk,
        },
    )


@login_required
@require_POST
def make_default_pseud(request, username: str, pseud: str):
    user = _own_account(request, username)
    pseud = _pseud(user.username, pseud)
    services.make_default_pseud(pseud=pseud)
    messages.success(request, f"“{pseud.name}” is now your default pseud.")
    return redirect("accounts:pseuds", username=user.username)
