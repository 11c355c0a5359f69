"""Signing up without saying which email addresses have accounts.

A new account is made inactive and its owner is sent a link to activate it. When the address
already belongs to an account, nothing is made: that account is sent an email saying someone
tried to sign up with its address (and how to reset the password), and the person signing up
sees the same "check your email" page either way. The password is hashed either way too, so the
answer takes as long. A user name is public (it is the profile's address), so a taken one is
said plainly by the form. An account that was never activated holds its name and address only
until someone signs up with that address again: then it is replaced, so nobody can squat on
another person's address (only the address's owner can activate either one).

Who may sign up is FICSHELF_SIGNUP_MODE (setting SIGNUP_MODE): "open"; "invite", where the form
also takes a single-use invitation code (made by admins, sent from the queue of invite
requests, or made by accounts an admin gave an allowance); "approval", where the account is made
inactive and an admin approves it (then the activation link goes out) or rejects it (then it is
deleted); "closed". Every mode answers a taken address exactly as a new one: an invitation
used with such an address is used up, and a request for it is never queued.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode

from . import throttling
from .models import AccountRequest, Invitation, InvitationAllowance, InviteRequest, User

OPEN, INVITE, APPROVAL, CLOSED = "open", "invite", "approval", "closed"
# 144 random bits: unguessable, and short enough to type.
CODE_BYTES = 18
HINT_LENGTH = 4
MAX_INVITATIONS_AT_ONCE = 100

INVALID_CODE = "This invitation code is not valid. Check that you copied all of it."
USED_CODE = "This invitation has already been used."
EXPIRED_CODE = "This invitation has expired. Please ask for a new one."


def mode() -> str:
    """The sign-up mode in force (read on every request, so tests and settings may change it)."""
    return getattr(settings, "SIGNUP_MODE", OPEN)


def is_signup_admin(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def _require_admin(user) -> None:
    if not is_signup_admin(user):
        raise PermissionDenied("Only the archive's admins can do that.")


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """A link that works until the account is activated (or its password changes)."""

    key_salt = "ficshelf.accounts.signups.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp) -> str:
        return f"{user.pk}{user.password}{user.is_active}{timestamp}{user.email}"


activation_tokens = ActivationTokenGenerator()


def is_pending(user: User) -> bool:
    """Signed up, never activated (an account the admin deactivated has logged in before, and
    the orphan account has no usable password)."""
    return not user.is_active and user.last_login is None and user.has_usable_password()


@dataclass(frozen=True)
class SignUp:
    # The new (inactive) account, or None when the address already had one.
    user: User | None


@transaction.atomic
def register(
    *,
    username: str,
    email: str,
    password: str,
    invitation_code: str | None = None,
    needs_approval: bool = False,
) -> SignUp:
    """Make an inactive account, or nothing when the address has an account already. The
    password must already be validated; a taken user name raises IntegrityError (and nothing
    is kept, the invitation unused). With `invitation_code`, the invitation is used up first,
    whatever the address: InvitationRefused when it cannot be. With `needs_approval`, the new
    account waits for an admin (AccountRequest)."""
    invitation = _claim(invitation_code) if invitation_code is not None else None
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None and not is_pending(existing):
        make_password(password)  # the same work as a real sign-up: no timing difference
        return SignUp(None)
    if existing is not None:
        existing.delete()
    user = User.objects.create_user(
        username=username, email=email, password=password, is_active=False
    )
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(used_by=user)
    if needs_approval:
        AccountRequest.objects.create(user=user)
    return SignUp(user)


@transaction.atomic
def activate(*, user: User) -> User:
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    return user


def activation_path(user: User) -> str:
    return reverse(
        "accounts:activate",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": activation_tokens.make_token(user),
        },
    )


def _send(address: str, template: str, context: dict) -> None:
    if not throttling.email_to_address(address).allowed:
        return  # three an hour to one address at most; nobody is told
    context = {"site_name": settings.SITE_NAME, **context}
    subject, _, body = render_to_string(template, context).strip().partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", None, [address])


def send_activation(request, user: User) -> None:
    link = request.build_absolute_uri(activation_path(user))
    _send(user.email, "accounts/emails/activate.txt", {"user": user, "link": link})


def send_emails(request, signup: SignUp, *, email: str) -> None:
    """The activation link to a new account (or, waiting for approval, word that the request
    came), or the warning to the address's own account."""
    if signup.user is not None:
        if awaits_approval(signup.user):
            _send(email, "accounts/emails/request_received.txt", {"user": signup.user})
        else:
            send_activation(request, signup.user)
        return
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        return
    reset = request.build_absolute_uri(reverse("accounts:password_reset"))
    _send(existing.email, "accounts/emails/signup_attempt.txt", {"user": existing, "reset": reset})


# --- Invitations ------------------------------------------------------------------------------


class InvitationRefused(Exception):
    """An invitation code that cannot be used; the message is for the person signing up."""


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    code: str  # shown once: only its hash is stored


def _new_invitation(*, created_by, expires_at: datetime | None, sent_to: str = "") -> NewInvitation:
    code = secrets.token_urlsafe(CODE_BYTES)
    invitation = Invitation.objects.create(
        code_hash=_code_hash(code),
        hint=code[:HINT_LENGTH],
        created_by=created_by,
        expires_at=expires_at,
        sent_to=sent_to,
    )
    return NewInvitation(invitation, code)


def find_invitation(code: str) -> Invitation:
    """The usable invitation with this code, else InvitationRefused. The database compares
    hashes, never the code itself, so a guess that is partly right learns nothing from timing."""
    code = (code or "").strip()
    invitation = (
        Invitation.objects.filter(code_hash=_code_hash(code)).first()
        if 0 < len(code) <= 64
        else None
    )
    if invitation is None:
        raise InvitationRefused(INVALID_CODE)
    if invitation.is_used:
        raise InvitationRefused(USED_CODE)
    if invitation.is_expired:
        raise InvitationRefused(EXPIRED_CODE)
    return invitation


def _claim(code: str) -> Invitation:
    """Use the invitation up: one conditional UPDATE, so of two sign-ups sent with one code
    (a double click, two tabs) exactly one gets it, on SQLite and PostgreSQL alike."""
    invitation = find_invitation(code)
    now = timezone.now()
    claimed = (
        Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True)
        .exclude(expires_at__lte=now)
        .update(used_at=now)
    )
    if not claimed:
        raise InvitationRefused(USED_CODE)
    return invitation


def invitation_link(request, code: str) -> str:
    return request.build_absolute_uri(
        f"{reverse('accounts:signup')}?{urlencode({'invitation': code})}"
    )


@transaction.atomic
def create_invitations(
    *, admin, count: int, expires_at: datetime | None = None
) -> list[NewInvitation]:
    """`count` new invitations (1 to MAX_INVITATIONS_AT_ONCE), made by an admin."""
    _require_admin(admin)
    if not 1 <= count <= MAX_INVITATIONS_AT_ONCE:
        raise ValueError(f"Make 1 to {MAX_INVITATIONS_AT_ONCE} invitations at once.")
    return [_new_invitation(created_by=admin, expires_at=expires_at) for _ in range(count)]


def allowance_of(user) -> int:
    row = InvitationAllowance.objects.filter(user=user).first()
    return row.remaining if row else 0


@transaction.atomic
def create_own_invitation(*, user, expires_at: datetime | None = None) -> NewInvitation:
    """An invitation an account makes from its allowance (PermissionDenied when none is left)."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied("Log in to make an invitation.")
    taken = InvitationAllowance.objects.filter(user=user, remaining__gt=0).update(
        remaining=F("remaining") - 1
    )
    if not taken:
        raise PermissionDenied("You have no invitations left to give.")
    return _new_invitation(created_by=user, expires_at=expires_at)


@transaction.atomic
def request_invitation(*, email: str) -> None:
    """Put an address in the queue (once; an address that has an account is never queued, and
    the answer is the same either way)."""
    email = User.objects.normalize_email(email.strip())
    if User.objects.filter(email__iexact=email).exists():
        return
    if InviteRequest.objects.filter(email__iexact=email).exists():
        return
    try:
        with transaction.atomic():
            InviteRequest.objects.create(email=email)
    except IntegrityError:
        pass  # queued by another request just now


@dataclass(frozen=True)
class SentInvitation:
    email: str
    code: str


@transaction.atomic
def invite_from_queue(
    *, admin, request_ids: list[int], expires_at: datetime | None = None
) -> list[SentInvitation]:
    """An invitation for each of these waiting requests (those already sent are skipped); the
    caller emails them (`send_invitation`) once this has committed."""
    _require_admin(admin)
    waiting = InviteRequest.objects.select_for_update().filter(
        pk__in=request_ids, invitation__isnull=True
    )
    now = timezone.now()
    sent = []
    for queued in waiting.order_by("created_at", "pk"):
        new = _new_invitation(created_by=admin, expires_at=expires_at, sent_to=queued.email)
        queued.invitation = new.invitation
        queued.sent_at = now
        queued.save(update_fields=["invitation", "sent_at"])
        sent.append(SentInvitation(queued.email, new.code))
    return sent


def send_invitation(request, invitation: SentInvitation) -> None:
    context = {"code": invitation.code, "link": invitation_link(request, invitation.code)}
    _send(invitation.email, "accounts/emails/invitation.txt", context)


# --- Approval ---------------------------------------------------------------------------------


def awaits_approval(user: User) -> bool:
    return AccountRequest.objects.filter(user=user, status=AccountRequest.Status.PENDING).exists()


def _pending_request(pk: int) -> AccountRequest:
    return (
        AccountRequest.objects.select_for_update()
        .select_related("user")
        .get(pk=pk, status=AccountRequest.Status.PENDING)
    )


@transaction.atomic
def approve_account_request(*, admin, account_request: AccountRequest) -> User:
    """The account may now be activated: the caller sends the link (`send_activation`).
    AccountRequest.DoesNotExist when it was decided already."""
    _require_admin(admin)
    row = _pending_request(account_request.pk)
    row.status = AccountRequest.Status.APPROVED
    row.decided_at = timezone.now()
    row.decided_by = admin
    row.save(update_fields=["status", "decided_at", "decided_by"])
    return row.user


@dataclass(frozen=True)
class Rejected:
    username: str
    email: str


@transaction.atomic
def reject_account_request(*, admin, account_request: AccountRequest) -> Rejected:
    """The waiting account is deleted (its name and address are free again); the caller tells
    the address (`send_rejection`)."""
    _require_admin(admin)
    row = _pending_request(account_request.pk)
    rejected = Rejected(row.user.username, row.user.email)
    row.user.delete()
    return rejected


def send_rejection(rejected: Rejected) -> None:
    _send(rejected.email, "accounts/emails/request_rejected.txt", {"username": rejected.username})
