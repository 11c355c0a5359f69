"""The demo author and the seed story, so `make run` shows a real archive
(`manage.py load_demo`, in the archive app, which adds the demo readers' feedback too).

Safe to run again and again: the account and the story are made once.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ficshelf.accounts.models import User
from ficshelf.accounts.services import sign_up
from ficshelf.works.models import Work

from .services import WorkChoices, find_import, import_work

DEMO_USERNAME = "demo"
DEMO_EMAIL = "demo@example.org"
SEED_CHOICES = WorkChoices(
    fandoms=["Law & Order: Special Victims Unit"],
    rating="mature",
    warnings=["Graphic Depictions Of Violence"],
    characters=["Olivia Benson", "Elliot Stabler", "Alex Cabot"],
)


def default_seed_path() -> Path:
    return Path(
        getattr(settings, "SEED_PATH", None)
        or settings.BASE_DIR.parent / "shared/seed/000_a100ff2d1837b2ec.txt"
    )


def credentials_path() -> Path:
    return Path(settings.VAR_DIR) / "demo-credentials.txt"


def saved_password() -> str | None:
    path = credentials_path()
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "password" and value.strip():
            return value.strip()
    return None


def save_password(password: str) -> None:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created private, so the password is never readable by others even for a moment.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(f"user: {DEMO_USERNAME}\npassword: {password}\n")
    path.chmod(0o600)


@transaction.atomic
def demo_author() -> tuple[User, str]:
    """The demo account and its password, creating the account or a new password as needed."""
    user = User.objects.filter(username=DEMO_USERNAME).first()
    password = saved_password()
    if user is not None and password and user.check_password(password):
        return user, password
    if user is None:
        # A fresh database keeps the saved password, so the printed login stays the same.
        password = password or secrets.token_urlsafe(12)
        user = sign_up(username=DEMO_USERNAME, email=DEMO_EMAIL, password=password)
    else:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save(update_fields=["password"])
    save_password(password)
    return user, password


class SeedMissing(Exception):
    """There is no seed story at the path given."""


def import_seed(user: User, path: Path) -> tuple[Work, list[str]]:
    """The seed story as `user`'s work, imported once (the same file again finds it), and the
    importer's warnings. Raises SeedMissing, or ImportRefused for a file it cannot take."""
    if not path.is_file():
        raise SeedMissing(f"There is no seed story at {path}.")
    data = path.read_bytes()
    existing = find_import(importer=user, file_bytes=data)
    if existing:
        return existing.work, []
    result = import_work(file_bytes=data, filename=path.name, importer=user, defaults=SEED_CHOICES)
    return result.work, list(result.warnings)
