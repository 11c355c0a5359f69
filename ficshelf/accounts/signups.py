"""Signing up without saying which email addresses have accounts.

A new account is made inactive and its owner is sent a link to activate it. When the address
already belongs to an account, nothing is made: that account is sent an email saying someone
tried to sign up with its address (and how to reset the password), and the person signing up
sees the same "check your email" page either way. The password is hashed either way too, so the
answer takes as long. A user name is public (it is the profile's address), so a taken one is
said plainly by the form. An account that was never activated holds its name and address only
until someone signs up with that address again: then it is replaced, so nobody can squat on
another person's address (only the address's owner can activate either one).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import throttling
from .models import User


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
def register(*, username: str, email: str, password: str) -> SignUp:
    """Make an inactive account, or nothing when the address has an account already. The
    password must already be validated; a taken user name raises IntegrityError."""
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None and not is_pending(existing):
        make_password(password)  # the same work as a real sign-up: no timing difference
        return SignUp(None)
    if existing is not None:
        existing.delete()
    user = User.objects.create_user(
        username=username, email=email, password=password, is_active=False
    )
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


def send_emails(request, signup: SignUp, *, email: str) -> None:
    """The activation link to a new account, or the warning to the address's own account."""
    if signup.user is not None:
        link = request.build_absolute_uri(activation_path(signup.user))
        _send(email, "accounts/emails/activate.txt", {"user": signup.user, "link": link})
        return
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        return
    reset = request.build_absolute_uri(reverse("accounts:password_reset"))
    _send(existing.email, "accounts/emails/signup_attempt.txt", {"user": existing, "reset": reset})
