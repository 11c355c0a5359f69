"""Blocks, mutes and hidden works: what a reader never wants to hear from or see again.

- Blocking an account stops its comments, replies and kudos on the blocker's works and hides
  their comment forms from it; what it already left stays.
- Muting an account hides its comments from the muter, and its works from the muter's lists.
- Hiding a work leaves it out of every list of works its reader sees.

None of these changes a page a guest sees (they are a logged-in reader's own), so none moves a
work's version. Each has a limit, as on AO3 (`models.BLOCKS_MAX`, …), checked under a lock on the
account's row so two tabs cannot both pass it.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from ficshelf.works import reading
from ficshelf.works.models import Creatorship, Work
from ficshelf.works.reading import Way

from .. import models
from ..models import Block, HiddenWork, Mute


def _is_account(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


# --- Questions other parts of feedback ask ----------------------------------------------------


def blocks_feedback(work, user) -> bool:
    """Whether any creator of `work` blocked `user` (who may then leave no comment, reply or
    kudos there, and sees no comment form)."""
    if not _is_account(user):
        return False
    creators = Creatorship.objects.filter(work=work).values("pseud__user")
    return Block.objects.filter(blocked=user, blocker__in=creators).exists()


def muted_user_ids(viewer) -> set[int]:
    """The accounts whose comments `viewer` muted (empty for guests)."""
    if not _is_account(viewer):
        return set()
    return set(Mute.objects.filter(muter=viewer).values_list("muted_id", flat=True))


def hidden_works_q(viewer) -> Q | None:
    """Works this reader hid, and works by creators they muted (a Q for `exclude`, two
    subqueries and no query of its own); None for guests, whose lists are shared."""
    if not _is_account(viewer):
        return None
    hidden = HiddenWork.objects.filter(user=viewer).values("work")
    muted = Mute.objects.filter(muter=viewer).values("muted")
    by_muted = Creatorship.objects.filter(pseud__user__in=muted).values("work")
    return Q(pk__in=hidden) | Q(pk__in=by_muted)


# --- Blocking and muting ----------------------------------------------------------------------


def _lock_account(user):
    """The account's row, locked: its blocks, mutes and hidden works are counted under it."""
    return get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)


def _check_other(actor, other, verb: str) -> None:
    if not _is_account(actor):
        raise ValidationError(f"Log in to {verb} someone.", code="guest")
    if other.pk == actor.pk:
        raise ValidationError(f"You can't {verb} yourself.", code="oneself")


def _add_once(model, *, owner: dict, target: dict, limit: int, refusal: str):
    """The owner's row for `target`, made unless it exists, within the owner's `limit`. The
    caller holds the owner's account row locked, so the count cannot race."""
    existing = model.objects.filter(**owner, **target).first()
    if existing is not None:
        return existing
    if model.objects.filter(**owner).count() >= limit:
        raise ValidationError(refusal, code="limit")
    return model.objects.create(**owner, **target)


def block_user(*, blocker, blocked) -> Block:
    """`blocker` blocks `blocked` (again: nothing changes). Their old comments stay."""
    _check_other(blocker, blocked, "block")
    with transaction.atomic():
        _lock_account(blocker)
        return _add_once(
            Block,
            owner={"blocker": blocker},
            target={"blocked": blocked},
            limit=models.BLOCKS_MAX,
            refusal=f"You can block at most {models.BLOCKS_MAX:,} accounts. Unblock someone first.",
        )


def unblock_user(*, blocker, blocked) -> bool:
    """Whether there was a block to lift."""
    with transaction.atomic():
        deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return bool(deleted)


def mute_user(*, muter, muted) -> Mute:
    """`muter` mutes `muted` (again: nothing changes)."""
    _check_other(muter, muted, "mute")
    with transaction.atomic():
        _lock_account(muter)
        return _add_once(
            Mute,
            owner={"muter": muter},
            target={"muted": muted},
            limit=models.MUTES_MAX,
            refusal=f"You can mute at most {models.MUTES_MAX:,} accounts. Unmute someone first.",
        )


def unmute_user(*, muter, muted) -> bool:
    """Whether there was a mute to lift."""
    with transaction.atomic():
        deleted, _ = Mute.objects.filter(muter=muter, muted=muted).delete()
    return bool(deleted)


# --- Hiding works -----------------------------------------------------------------------------


def hide_work(*, user, work: Work) -> HiddenWork:
    """Leave `work` out of every list `user` sees (again: nothing changes). Only a work the
    reader may see can be hidden, and not their own."""
    if not _is_account(user):
        raise ValidationError("Log in to hide a work.", code="guest")
    if not reading.may(user, work, Way.LIST):
        raise ValidationError("There is no such work.", code="unreadable")
    if reading.is_creator(user, work):
        raise ValidationError("You can't hide your own work.", code="own_work")
    with transaction.atomic():
        _lock_account(user)
        return _add_once(
            HiddenWork,
            owner={"user": user},
            target={"work": work},
            limit=models.HIDDEN_WORKS_MAX,
            refusal=f"You can hide at most {models.HIDDEN_WORKS_MAX:,} works. "
            "Show one of them again first.",
        )


def unhide_work(*, user, work: Work) -> bool:
    """Whether the work was hidden."""
    with transaction.atomic():
        deleted, _ = HiddenWork.objects.filter(user=user, work=work).delete()
    return bool(deleted)
