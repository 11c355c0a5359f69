"""One-time tokens on the posting forms, so a double click or a retry after a timeout makes
one work or chapter, not two.

Every posting form carries a hidden `submission_id` (a UUID). The view claims it inside the
transaction that saves, by inserting a `Submission` row: the unique (user, token) constraint
decides, on PostgreSQL (the second insert waits for the first transaction, then fails) and on
SQLite (IMMEDIATE transactions run one writer at a time) alike, never a check-then-insert. A
request whose token was already used with the same content is a repeat: it is sent to what
the first one made. The same token with other content is a stale form (Back, then edited):
that is saved as new content, and an edit of it meets the usual conflict check.

A token guards against repeats that come within minutes (a double click, a retry, Back), so a
row is kept for `KEPT_FOR` and then pruned: the creator's own old rows each time they claim a
new token, and everyone's by `manage.py prune_submissions` (from cron, like post_due_chapters).
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Submission

KEPT_FOR = timedelta(days=7)

# Not part of what was written: the CSRF token changes per page, the rest is the form's.
_IGNORED = {"csrfmiddlewaretoken"}


def fingerprint(data) -> str:
    """A hash of a posted form's fields (a QueryDict), blind to line-ending differences."""
    items = sorted(
        (name, [value.replace("\r\n", "\n") for value in data.getlist(name)])
        for name in data
        if name not in _IGNORED
    )
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()


def parse_token(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


@dataclass
class Claim:
    """`row` is ours to fill in when the save succeeds; `earlier` is set when this request
    repeats one already saved (then nothing must be saved again)."""

    row: Submission | None = None
    earlier: Submission | None = None


def claim(*, user, token: uuid.UUID | None, kind: str, data) -> Claim:
    """Claim `token` inside the caller's transaction (it is released if that rolls back)."""
    if token is None:
        return Claim()
    print_ = fingerprint(data)
    try:
        with transaction.atomic():
            row = Submission.objects.create(user=user, token=token, kind=kind, fingerprint=print_)
    except IntegrityError:
        earlier = Submission.objects.filter(user=user, token=token).first()
        if earlier is not None and earlier.kind == kind and earlier.fingerprint == print_:
            return Claim(earlier=earlier)
        return Claim()
    # The creator's own rows only: their foreign key's index finds them, and what they post
    # keeps their rows few without a sweep of the whole table on the posting path.
    Submission.objects.filter(user=user, created_at__lt=timezone.now() - KEPT_FOR).delete()
    return Claim(row=row)


def record(claim_: Claim, *, work=None, chapter=None) -> None:
    """Note what the claimed submission made, for a repeat to be sent to."""
    if claim_.row is None:
        return
    claim_.row.work = work
    claim_.row.chapter = chapter
    claim_.row.save(update_fields=["work", "chapter"])


def used(*, user, token: uuid.UUID | None) -> bool:
    return token is not None and Submission.objects.filter(user=user, token=token).exists()


def prune(*, before: datetime | None = None) -> int:
    """Delete every submission older than `before` (default: `KEPT_FOR` ago); how many went."""
    before = timezone.now() - KEPT_FOR if before is None else before
    deleted, _ = Submission.objects.filter(created_at__lt=before).delete()
    return deleted
