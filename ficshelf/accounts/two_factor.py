"""Optional two-factor login with django-otp: an authenticator app (TOTP) and backup codes.

Set up: an unconfirmed TOTP device is made, its secret shown (as text, an otpauth:// link and a
QR code), and confirmed by one code from the app; ten single-use backup codes are made then.
Logging in to an account with a confirmed device takes the password, then a code: between the
two the session holds only the account's id (for five minutes), nobody is logged in yet.
Turning it off (with the password) deletes every device.
"""

import base64
import time

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django_otp import devices_for_user, match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

BACKUP_CODES = 10
PENDING_KEY = "ficshelf_two_factor"
PENDING_SECONDS = 300


def is_on(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def setup_device(user: User) -> TOTPDevice:
    """The account's unconfirmed authenticator, made on first visit (kept until confirmed, so
    a reload shows the same secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// link as an inline SVG QR code (markup we make: no script, no style)."""
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).to_string()
    svg = svg.decode().replace(
        "<svg ", '<svg role="img" aria-label="QR code of the set-up link" class="qr" ', 1
    )
    return mark_safe(svg)  # noqa: S308 - made by qrcode from our own link, not user input


@transaction.atomic
def confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with one code from it; returns the new backup codes, or None
    when the code is wrong."""
    if device.user_id != user.pk or device.confirmed:
        return None
    if not device.verify_token(code.replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return new_backup_codes(user=user)


@transaction.atomic
def new_backup_codes(*, user: User) -> list[str]:
    """Ten fresh single-use codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def turn_off(*, user: User) -> None:
    for device in devices_for_user(user, confirmed=None):
        device.delete()


# --- Logging in: the password first, then a code ---------------------------------------------


def begin(request, user: User, *, next_url: str) -> None:
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"),
        "next": next_url,
        "at": time.time(),
    }


def pending(request) -> tuple[User, dict] | None:
    """The account whose password was just given, if it was given less than five minutes ago."""
    data = request.session.get(PENDING_KEY)
    if not data or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    return (user, data) if user else None


def verify(user: User, code: str):
    """The device the code is from (an authenticator or a backup code, used up), or None."""
    code = "".join(code.split())
    return match_token(user, code) if code else None


def finish(request) -> None:
    request.session.pop(PENDING_KEY, None)
