"""Demo readers for the demo work, so `make run` shows a dashboard with something on it: about
forty guests' hits over the past days and a few demo accounts' chapter reads. It is marked as
demo data: the guests' reader codes begin with "gdemo", and the accounts are demo_reader_1…
with a pseud description that says so. Nobody logs in as them (their passwords are thrown
away)."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ficshelf.accounts.models import Pseud, User
from ficshelf.accounts.services import sign_up
from ficshelf.works.models import Work

from . import services
from .models import Hit

DEMO_GUESTS = 40
DEMO_ACCOUNTS = 3
DEMO_DAYS = 7
DEMO_NOTE = "A demo reader: made by `make run` to fill the demo dashboard (demo data)."


def _demo_account(number: int) -> User:
    username = f"demo_reader_{number}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = sign_up(
            username=username, email=f"{username}@example.org", password=secrets.token_urlsafe()
        )
        Pseud.objects.filter(user=user).update(description=DEMO_NOTE)
    return user


@transaction.atomic
def add_demo_readers(work: Work) -> str:
    """Add the demo hits and reads once; says what was added ("" when they were there)."""
    if Hit.objects.filter(work=work, reader__startswith="gdemo").exists():
        return ""
    chapters = list(work.chapters.filter(posted=True).order_by("position"))
    if not work.posted or not chapters:
        return ""
    now = timezone.now()

    def moment(days_ago: int, minute: int, chapter) -> int:
        # Never before the chapter was posted, never in the future.
        at = max(now - timedelta(days=days_ago, minutes=-minute), chapter.published_at)
        return int(min(at, now).timestamp())

    views = []
    for number in range(DEMO_GUESTS):
        reader = f"gdemo{number:027x}"
        # Each later chapter keeps about two thirds of the readers of the one before.
        reached = [c for i, c in enumerate(chapters) if number < DEMO_GUESTS * (2 / 3) ** i]
        for chapter in reached:
            views.append(
                (work.pk, (chapter.pk,), False, reader, moment(number % DEMO_DAYS, number, chapter))
            )
    for number in range(1, DEMO_ACCOUNTS + 1):
        reader = f"u{_demo_account(number).pk}"
        for chapter in chapters:
            views.append(
                (work.pk, (chapter.pk,), False, reader, moment(DEMO_DAYS - number, 0, chapter))
            )
    hits = services.record_hits(entries=views)
    return f"{hits} demo hits by {DEMO_GUESTS} guests and {DEMO_ACCOUNTS} demo accounts"
