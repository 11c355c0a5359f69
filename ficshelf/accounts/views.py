"""Signing up, logging in, profiles and pseuds. Views parse a form, call a service, render or
redirect."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import otwarchive, services, sessions, signups, throttling, two_factor
from .exports import export_data as _export_data
from .extensions import profile_sections
from .forms import (
    CreateInvitationsForm,
    InviteFromQueueForm,
    InviteRequestForm,
    LogInForm,
    OwnInvitationForm,
    PasswordChangeForm,
    PasswordResetForm,
    PseudForm,
    SetPasswordForm,
    SignUpForm,
)
from .models import AccountRequest, AccountSession, Invitation, InviteRequest, Pseud, User


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


def _throttled(response, decision) -> HttpResponse:
    """A 429 that says when to come back, in the page and in Retry-After."""
    response.status_code = 429
    response["Retry-After"] = str(decision.retry_after)
    return response


def signup(request):
    """Sign up, then activate from the emailed link. An address that has an account already
    gets an email instead, and the page is the same (accounts.signups). FICSHELF_SIGNUP_MODE
    may ask for an invitation code, send the request to the admins first, or close sign-ups."""
    if request.user.is_authenticated:
        messages.info(request, "You already have an account and are logged in.")
        return redirect(request.user)
    mode = signups.mode()
    if mode == signups.CLOSED:
        return render(request, "accounts/signup_closed.html")
    invite = mode == signups.INVITE
    form = SignUpForm(
        request.POST or None,
        invitation_required=invite,
        initial={"invitation_code": request.GET.get("invitation", "")[:64]},
    )
    context = {"form": form, "signup_mode": mode}
    if request.method == "POST" and form.is_valid():
        # Counted once the form is right: a sign-up that would make an account or send mail.
        decision = throttling.signup_by_ip(request)
        if not decision.allowed:
            message = throttling.throttled_message(decision.retry_after)
            context = {
                "form": SignUpForm(invitation_required=invite),
                "signup_mode": mode,
                "throttled": message,
            }
            return _throttled(render(request, "accounts/signup.html", context), decision)
        email = form.cleaned_data["email"]
        try:
            signup = signups.register(
                username=form.cleaned_data["username"],
                email=email,
                password=form.cleaned_data["password1"],
                invitation_code=form.cleaned_data["invitation_code"] if invite else None,
                needs_approval=mode == signups.APPROVAL,
            )
        except signups.InvitationRefused as refused:  # used by another request just now
            form.add_error("invitation_code", str(refused))
        except IntegrityError:
            if User.objects.filter(username__iexact=form.cleaned_data["username"]).exists():
                form.add_error("username", "That user name is already taken.")
            else:  # the address was taken between the check and the write
                signup = signups.SignUp(None)
        if not form.errors:
            signups.send_emails(request, signup, email=email)
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", context)


def signup_done(request):
    return render(request, "accounts/signup_done.html", {"signup_mode": signups.mode()})


def activate(request, uidb64: str, token: str):
    """GET: a button (mail scanners follow links, so a GET changes nothing). POST: the account
    is activated and logged in."""
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    valid = (
        user is not None
        and signups.activation_tokens.check_token(user, token)
        and not signups.awaits_approval(user)
    )
    if request.method == "POST" and valid:
        signups.activate(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to {settings.SITE_NAME}, {user.username}!")
        return redirect(user)
    return render(request, "accounts/activate.html", {"valid": valid}, status=200 if valid else 400)


def _attempted_name(form) -> str:
    """The account name a login form was sent with, read without validating the form (which
    would check the password)."""
    return str(form.data.get(form.add_prefix("username"), ""))


class LogInView(auth_views.LoginView):
    """Django's login, throttled (accounts.throttling): failures are counted per account name
    and per address, and over the limit the password is not checked at all."""

    authentication_form = LogInForm

    # CSRF is checked here, as strictly, also from otwarchive's field (accounts.otwarchive).
    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        rejected = otwarchive.check_csrf(request)
        if rejected is not None:
            return rejected
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "data" in kwargs:  # tools that log in to AO3 send user[login] and user[password]
            kwargs["data"] = otwarchive.with_django_names(kwargs["data"])
        return kwargs

    def get_default_redirect_url(self):
        # Such a tool knows it is logged in by the log-out link on the page it lands on.
        if otwarchive.uses_otwarchive_names(self.request.POST):
            return reverse("accounts:login")
        return super().get_default_redirect_url()

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        attempt = throttling.LoginAttempt.of(request, _attempted_name(form))
        decision = attempt.check()
        if not decision.allowed:
            # A fresh form: rendering the sent one would validate it, checking the password.
            fresh = self.get_form_class()(request, initial={"username": _attempted_name(form)})
            context = self.get_context_data(
                form=fresh, throttled=throttling.throttled_message(decision.retry_after)
            )
            return _throttled(self.render_to_response(context), decision)
        if form.is_valid():
            user = form.get_user()
            if two_factor.is_on(user):
                # The account's failures are forgotten only once the code is right too.
                two_factor.begin(request, user, next_url=self.get_success_url())
                return redirect("accounts:login_code")
            attempt.succeeded()
            return self.form_valid(form)
        attempt.failed()
        return self.form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Successfully logged in.")
        return response


class LogOutView(auth_views.LogoutView):
    """POST logs out. GET (a typed or followed link, as on AO3) only asks, with the button."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/logout_confirm.html")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have been logged out.")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """A new password logs out every other session (they no longer match its hash; they are
    deleted from the store too) and keeps this one, under a new key."""

    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        old_key = self.request.session.session_key
        form.save()
        update_session_auth_hash(self.request, form.user)
        sessions.moved(old_key, self.request.session.session_key)
        sessions.revoke_others(user=form.user, current_key=self.request.session.session_key)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    """Throttled per address (three emails an hour, silently: the page is the same whether or
    not the address has an account) and per IP (a 429)."""

    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        decision = throttling.reset_request_by_ip(request)
        if not decision.allowed:
            context = self.get_context_data(
                form=self.get_form_class()(),
                throttled=throttling.throttled_message(decision.retry_after),
            )
            return _throttled(self.render_to_response(context), decision)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if throttling.email_to_address(form.cleaned_data["email"]).allowed:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())

    @property
    def extra_email_context(self) -> dict:
        return {"site_name": settings.SITE_NAME}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever knew the old password is logged out everywhere.
        sessions.revoke_others(user=form.user, current_key=None)
        return response


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


# --- The account's own data, exported ---------------------------------------------------------


@login_required
@never_cache
def export(request, username: str):
    """GET: what an export holds, and a button. POST (or GET with ?download=1): the whole
    account as a JSON file. The owner's only: anyone else is told there is no such page."""
    user = _account(username)
    if user.pk != request.user.pk:
        raise Http404("No such page.")
    if request.method == "POST" or request.GET.get("download") == "1":
        body = json.dumps(_export_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ficshelf-{user.username}.json"'
        return response
    return render(request, "accounts/export.html", {"owner": user})


# --- Sessions ---------------------------------------------------------------------------------


@login_required
@never_cache
def account_sessions(request, username: str):
    """The account's logged-in browsers: the owner's only (anyone else: no such page)."""
    user = _account(username)
    if user.pk != request.user.pk:
        raise Http404("No such page.")
    return render(
        request,
        "accounts/sessions.html",
        {
            "owner": user,
            "sessions": sessions.sessions_of(user),
            "current_key": request.session.session_key,
        },
    )


@login_required
@require_POST
def revoke_session(request, username: str, session_id: int):
    user = _own_account(request, username)
    row = get_object_or_404(AccountSession, pk=session_id, user=user)
    if row.session_key == request.session.session_key:
        messages.info(request, "To end this session, log out.")
    else:
        sessions.revoke(user=user, session=row)
        messages.success(request, "That session was logged out.")
    return redirect("accounts:sessions", username=user.username)


@login_required
@require_POST
def revoke_other_sessions(request, username: str):
    user = _own_account(request, username)
    count = sessions.revoke_others(user=user, current_key=request.session.session_key)
    messages.success(request, f"Logged out {count} other session{'s' if count != 1 else ''}.")
    return redirect("accounts:sessions", username=user.username)


# --- Invitations and approval (accounts.signups) ----------------------------------------------

ADMIN_LIST_LENGTH = 200


def _signup_admin(request) -> None:
    if not signups.is_signup_admin(request.user):
        raise PermissionDenied("Only the archive's admins can do that.")


def invite_request(request):
    """While sign-up is by invitation: leave an address in the queue. The answer is the same
    whether or not the address is queued already or has an account."""
    if signups.mode() != signups.INVITE:
        raise Http404("Sign-up does not take invitations.")
    form = InviteRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = throttling.signup_by_ip(request)
        if not decision.allowed:
            context = {
                "form": InviteRequestForm(),
                "throttled": throttling.throttled_message(decision.retry_after),
            }
            return _throttled(render(request, "accounts/invite_request.html", context), decision)
        signups.request_invitation(email=form.cleaned_data["email"])
        return redirect("accounts:invite_request_done")
    # No count of the queue here: it would move for a new address and not for one that has an
    # account, telling which is which.
    return render(request, "accounts/invite_request.html", {"form": form})


def invite_request_done(request):
    return render(request, "accounts/invite_request_done.html")


@login_required
@never_cache
def invite_queue(request):
    """The admins' queue of invite requests: send invitations to the oldest, or to one."""
    _signup_admin(request)
    form = InviteFromQueueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["request_id"]:
            ids = [form.cleaned_data["request_id"]]
        else:
            ids = list(
                InviteRequest.objects.filter(invitation__isnull=True)
                .order_by("created_at", "pk")
                .values_list("pk", flat=True)[: form.cleaned_data["count"]]
            )
        sent = signups.invite_from_queue(
            admin=request.user, request_ids=ids, expires_at=form.expires_at()
        )
        for invitation in sent:
            signups.send_invitation(request, invitation)
        messages.success(request, f"Sent {len(sent)} invitation{'s' if len(sent) != 1 else ''}.")
        return redirect("accounts:invite_queue")
    waiting = InviteRequest.objects.filter(invitation__isnull=True)
    sent = InviteRequest.objects.filter(invitation__isnull=False).select_related(
        "invitation__used_by"
    )
    context = {
        "form": form,
        "waiting": waiting[:ADMIN_LIST_LENGTH],
        "waiting_count": waiting.count(),
        "sent": sent.order_by("-sent_at")[:ADMIN_LIST_LENGTH],
        "signup_mode": signups.mode(),
    }
    return render(request, "accounts/invite_queue.html", context)


@login_required
@never_cache
def manage_invitations(request):
    """The admins' invitations: make some (their codes are shown this once), and see who made
    and who used which."""
    _signup_admin(request)
    form = CreateInvitationsForm(request.POST or None)
    created = []
    if request.method == "POST" and form.is_valid():
        created = signups.create_invitations(
            admin=request.user, count=form.cleaned_data["count"], expires_at=form.expires_at()
        )
        form = CreateInvitationsForm()
    invitations = Invitation.objects.select_related("created_by", "used_by")
    context = {
        "form": form,
        "created": [(new, signups.invitation_link(request, new.code)) for new in created],
        "invitations": invitations[:ADMIN_LIST_LENGTH],
        "signup_mode": signups.mode(),
    }
    return render(request, "accounts/manage_invitations.html", context)


@login_required
@never_cache
def own_invitations(request):
    """An account's own invitations, made from the allowance an admin gave it."""
    form = OwnInvitationForm(request.POST if request.method == "POST" else None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            new = signups.create_own_invitation(user=request.user, expires_at=form.expires_at())
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        else:
            created = (new, signups.invitation_link(request, new.code))
            form = OwnInvitationForm()
    context = {
        "form": form,
        "created": created,
        "remaining": signups.allowance_of(request.user),
        "invitations": Invitation.objects.filter(created_by=request.user).select_related("used_by")[
            :ADMIN_LIST_LENGTH
        ],
        "signup_mode": signups.mode(),
    }
    return render(request, "accounts/own_invitations.html", context)


@login_required
@never_cache
def account_requests(request):
    """The admins' queue of sign-ups waiting for approval, oldest first."""
    _signup_admin(request)
    waiting = AccountRequest.objects.filter(status=AccountRequest.Status.PENDING).select_related(
        "user"
    )
    context = {
        "waiting": waiting[:ADMIN_LIST_LENGTH],
        "waiting_count": waiting.count(),
        "signup_mode": signups.mode(),
    }
    return render(request, "accounts/account_requests.html", context)


def _waiting_request(account_request_id: int) -> AccountRequest:
    return get_object_or_404(
        AccountRequest.objects.select_related("user"),
        pk=account_request_id,
        status=AccountRequest.Status.PENDING,
    )


@login_required
@require_POST
def approve_account_request(request, account_request_id: int):
    _signup_admin(request)
    row = _waiting_request(account_request_id)
    try:
        user = signups.approve_account_request(admin=request.user, account_request=row)
    except AccountRequest.DoesNotExist:  # decided by another admin just now
        raise Http404("That request was decided already.") from None
    signups.send_activation(request, user)
    messages.success(request, f"Approved {user.username}: the activation link is on its way.")
    return redirect("accounts:account_requests")


@login_required
@require_POST
def reject_account_request(request, account_request_id: int):
    _signup_admin(request)
    row = _waiting_request(account_request_id)
    try:
        rejected = signups.reject_account_request(admin=request.user, account_request=row)
    except AccountRequest.DoesNotExist:
        raise Http404("That request was decided already.") from None
    signups.send_rejection(rejected)
    messages.success(request, f"Rejected {rejected.username}; they were told by email.")
    return redirect("accounts:account_requests")
