"""Blocks, mutes and hidden works: what a reader never wants to hear from or see again."""

from django.db.models import Q

from ..models import Block, HiddenWork, Mute


def blocks_feedback(work, user) -> bool:
    """Whether any creator of `work` blocked `user` (who may then leave no comment, reply or
    kudos there, and sees no comment form)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Block.objects.filter(blocked=user, blocker__pseuds__creatorships__work=work).exists()


def muted_user_ids(viewer) -> set[int]:
    """The accounts whose comments `viewer` muted (empty for guests)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return set()
    return set(Mute.objects.filter(muter=viewer).values_list("muted_id", flat=True))


def hidden_works_q(viewer) -> Q | None:
    """Works this reader hid, and works by creators they muted; None if there are none."""
    hidden = HiddenWork.objects.filter(user=viewer).values("work")
    muted = Mute.objects.filter(muter=viewer).values("muted")
    return Q(pk__in=hidden) | Q(creatorships__pseud__user__in=muted)
