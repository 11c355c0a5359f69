"""Kudos on a work, or on one chapter of it: once per account, or per guest, per target.

The counters: `Work.kudos_count` counts the kudos left on the work itself (what a blurb and the
work's stats show, as AO3's one kudos per work does), and `Chapter.kudos_count` that chapter's
own. A reader who leaves kudos on every chapter and on the work so counts once on the work, not
once per chapter. Both move with F() under the work's row lock, never by re-saving a row.

A guest is recognised by `guest_key`, a keyed hash of their IP address and session
(`guest_key_for`): the address itself is never stored.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.crypto import salted_hmac

from ficshelf.accounts.suspension import refuse_if_suspended
from ficshelf.works import reading
from ficshelf.works.models import Chapter, Work
from ficshelf.works.reading import Way
from ficshelf.works.versions import bump_work

from .. import signals
from ..models import Kudos
from .blocking import blocks_feedback

_GUEST_KEY_SALT = "ficshelf.feedback.kudos.guest"

OWN_WORK = "You can't leave kudos on your own work."
BLOCKED = "Sorry, you have been blocked by one of this work's creators."
TWICE = "You have already left kudos here. :)"
UNREADABLE = "There is no such work."
WRONG_CHAPTER = "That chapter is not part of this work."


def guest_key_for(*, ip: str, session_key: str) -> str:
    """A guest's kudos key: an HMAC-SHA256 of their address and session under a key derived
    from SECRET_KEY, so neither can be read back from it (64 hex characters)."""
    if not session_key:
        raise ValueError("A guest needs a session to leave kudos.")
    return salted_hmac(_GUEST_KEY_SALT, f"{ip}\n{session_key}", algorithm="sha256").hexdigest()


def _is_account(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def give_kudos(*, work: Work, chapter: Chapter | None = None, giver, guest_key: str = "") -> Kudos:
    """`giver` (an account, or a guest when None or anonymous, with their `guest_key`) leaves
    kudos on `work`, or on `chapter` of it when given.

    Refused with a ValidationError: a creator of the work (code "own_work"), someone one of its
    creators blocked ("blocked"), a draft or a work the giver may not read ("unreadable"), a
    chapter of another work ("wrong_chapter"), and kudos already left on that target ("twice").
    """
    account = giver if _is_account(giver) else None
    refuse_if_suspended(account)
    if account is None and not guest_key:
        raise ValueError("A guest's kudos needs their guest key.")
    with transaction.atomic():
        # Fresh values under the lock: a work made a draft or restricted a moment ago counts.
        locked = Work.objects.select_for_update().get(pk=work.pk)
        if chapter is not None:
            chapter = Chapter.objects.only("pk", "work_id", "posted").filter(pk=chapter.pk).first()
            if chapter is None or chapter.work_id != locked.pk:
                raise ValidationError(WRONG_CHAPTER, code="wrong_chapter")
        if account is not None and reading.is_creator(account, locked):
            raise ValidationError(OWN_WORK, code="own_work")
        if not reading.may(account, locked, Way.OPEN, chapter=chapter):
            raise ValidationError(UNREADABLE, code="unreadable")
        if blocks_feedback(locked, account):
            raise ValidationError(BLOCKED, code="blocked")
        target = {"work": locked, "chapter": chapter}
        giver_fields = {"user": account} if account is not None else {"guest_key": guest_key}
        if Kudos.objects.filter(**target, **giver_fields).exists():
            raise ValidationError(TWICE, code="twice")
        try:
            # A savepoint: the unique constraints still catch what the check above cannot see
            # (a row written by something that skipped the lock), and the transaction goes on.
            with transaction.atomic():
                kudos = Kudos.objects.create(**target, **giver_fields)
        except IntegrityError:
            raise ValidationError(TWICE, code="twice") from None
        if chapter is not None:
            Chapter.objects.filter(pk=chapter.pk).update(kudos_count=F("kudos_count") + 1)
        else:
            Work.objects.filter(pk=locked.pk).update(kudos_count=F("kudos_count") + 1)
        bump_work(locked.pk)
        signals.kudos_given.send(sender=Kudos, kudos_id=kudos.pk, work_id=locked.pk)
    return kudos
