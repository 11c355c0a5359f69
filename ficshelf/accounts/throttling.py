"""How often someone may try to log in, ask for a password reset or sign up (ratelimits).

Logging in is counted on failures only, per account name tried and per address: over either
limit the attempt is refused before the password is looked at (429 with Retry-After), so a
guesser learns nothing more, however fast they try. A successful login forgets the account's
failures. Reset and sign-up emails are counted on every request: per address (so nobody can
flood one inbox, whether or not it has an account, and the answer is the same either way) and
per IP (which is told plainly, with a 429). The numbers are in docs/running.md.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings

from .models import User
from .ratelimits import ALLOWED, Decision, Limit, clear, guest_actor, hit, peek

# AO3's numbers for logging in: 5 failures every 20 seconds for one account.
LOGIN_FAILURES_PER_ACCOUNT = Limit(5, 20)
LOGIN_FAILURES_PER_IP = Limit(20, 300)
# Emails sent to one address (reset links, "someone tried to sign up with your address").
EMAILS_PER_ADDRESS = Limit(3, 3600)
RESET_REQUESTS_PER_IP = Limit(10, 3600)
SIGNUPS_PER_IP = Limit(10, 3600)


def _named_actor(kind: str, value: str) -> str:
    """A keyed hash of an account name or email address: the cache never holds either."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"ratelimit-{kind}:{value}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{kind}:{digest[:32]}"


def _ip(request) -> str:
    # REMOTE_ADDR is the reader's own behind a trusted proxy (archive.proxies).
    return guest_actor(request.META.get("REMOTE_ADDR", ""))


def _account_name(given: str) -> str:
    """The account an attempt names, so that its user name and email count together. A name
    no account has counts on its own, exactly as a real one does."""
    given = given.strip().casefold()
    if "@" in given:
        stored = User.objects.filter(email__iexact=given).values_list("username", flat=True)
        given = (stored.first() or given).casefold()
    return _named_actor("login-account", given)


def _worst(*decisions: Decision) -> Decision:
    refused = [decision for decision in decisions if not decision.allowed]
    if not refused:
        return ALLOWED
    return max(refused, key=lambda decision: decision.retry_after)


@dataclass(frozen=True)
class LoginAttempt:
    """One login attempt's two counters."""

    ip_actor: str
    account_actor: str

    @classmethod
    def of(cls, request, given_name: str) -> "LoginAttempt":
        return cls(_ip(request), _account_name(given_name or ""))

    def check(self) -> Decision:
        """Whether the attempt may go on to the password check (nothing is counted)."""
        return _worst(
            peek("login-ip", self.ip_actor, LOGIN_FAILURES_PER_IP),
            peek("login-account", self.account_actor, LOGIN_FAILURES_PER_ACCOUNT),
        )

    def failed(self) -> None:
        hit("login-ip", self.ip_actor, LOGIN_FAILURES_PER_IP)
        hit("login-account", self.account_actor, LOGIN_FAILURES_PER_ACCOUNT)

    def succeeded(self) -> None:
        clear("login-account", self.account_actor, LOGIN_FAILURES_PER_ACCOUNT)


def reset_request_by_ip(request) -> Decision:
    return hit("reset-ip", _ip(request), RESET_REQUESTS_PER_IP)


def signup_by_ip(request) -> Decision:
    return hit("signup-ip", _ip(request), SIGNUPS_PER_IP)


def email_to_address(address: str) -> Decision:
    """Count one email to `address`; refused ones are not sent, and nobody is told."""
    actor = _named_actor("email", address.strip().casefold())
    return hit("email-address", actor, EMAILS_PER_ADDRESS)


def throttled_message(retry_after: int) -> str:
    if retry_after < 90:
        wait = f"{retry_after} second{'s' if retry_after != 1 else ''}"
    else:
        minutes = -(-retry_after // 60)
        wait = f"{minutes} minutes"
    return f"Too many attempts. Please wait {wait} and try again."
