"""The blocklist: tags a reader never wants to see (everywhere, or only within one fandom),
and "hide works I have read / gave kudos to", left out of every list of works they see.

A logged-in reader's blocklist is in the database (`BlockedTag`, `ShelfSettings`); creators
and works they hide are feedback's mutes and hidden works, which feedback leaves out itself. A
guest keeps the same in a signed cookie (tags, creators, works), capped in size; a cookie that
does not verify is ignored, as if there were none. A guest who sends it bypasses the shared page
cache (`register_personal_cookie`), so nobody else is ever shown their list.

Everything is excluded through subqueries, never a list of ids: 10,000 blocked tags are one
`NOT IN (SELECT …)`, whatever the database's limit on query parameters. Tags are matched
through works.FilterTagging (a work's tags, their canonicals and parents), so blocking a
canonical tag blocks its synonyms and subtags; a synonym is blocked as its canonical.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q

from ficshelf.feedback.models import Kudos
from ficshelf.tags.models import Tag, TagKind
from ficshelf.works.models import Creatorship, FilterTagging
from ficshelf.works.reading import is_reader

from .models import BlockedTag, Reading, ShelfSettings

BLOCKED_TAGS_MAX = 10_000
COOKIE = "ficshelf_blocklist"
COOKIE_SALT = "ficshelf.shelf.blocklist"
COOKIE_SECONDS = 365 * 24 * 60 * 60
# A cookie must stay under browsers' 4 KB: a guest's list is short (an account has no cap
# but BLOCKED_TAGS_MAX).
GUEST_TAGS_MAX = 100
GUEST_CREATORS_MAX = 50
GUEST_WORKS_MAX = 100


# --- What lists leave out ---------------------------------------------------------------------


def account_blocklist_q(user) -> Q:
    """The works `user`'s blocklist leaves out: subqueries only, no query of its own (the two
    "hide" choices are read inside theirs, joined to the settings row)."""
    blocks = BlockedTag.objects.filter(user=user)
    everywhere = FilterTagging.objects.filter(
        tag__in=blocks.filter(fandom__isnull=True).values("tag")
    ).values("work")
    # A work under the blocked tag (first FilterTagging) and under its fandom (second).
    in_fandom = blocks.filter(
        fandom__isnull=False, tag__filter_taggings__work__filter_taggings__tag=F("fandom")
    ).values("tag__filter_taggings__work")
    read = Reading.objects.filter(user=user, user__shelf_settings__hide_read=True).filter(
        Q(viewed_at__isnull=False) | Q(first_viewed_at__isnull=False)
    )
    kudosed = Kudos.objects.filter(user=user, user__shelf_settings__hide_kudosed=True)
    return (
        Q(pk__in=everywhere)
        | Q(pk__in=in_fandom)
        | Q(pk__in=read.values("work"))
        | Q(pk__in=kudosed.values("work"))
    )


def listing_exclusion(viewer, request) -> Q | None:
    """Registered with works.extensions: the blocklist of an account, or of a guest's
    cookie (None when the guest keeps none, so their lists stay the shared ones)."""
    if is_reader(viewer):
        return account_blocklist_q(viewer)
    if request is None:
        return None
    return read_cookie(request).q()


# --- A guest's blocklist, in a cookie ---------------------------------------------------------


@dataclass
class GuestBlocklist:
    # (tag id, fandom id or None) pairs; creators' account ids; work ids.
    tags: list[tuple[int, int | None]] = field(default_factory=list)
    creators: list[int] = field(default_factory=list)
    works: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.tags or self.creators or self.works)

    def q(self) -> Q | None:
        if not self:
            return None
        parts = []
        everywhere = [tag for tag, fandom in self.tags if fandom is None]
        if everywhere:
            parts.append(Q(pk__in=FilterTagging.objects.filter(tag__in=everywhere).values("work")))
        by_fandom: dict[int, list[int]] = {}
        for tag, fandom in self.tags:
            if fandom is not None:
                by_fandom.setdefault(fandom, []).append(tag)
        for fandom, tags in by_fandom.items():
            parts.append(
                Q(pk__in=FilterTagging.objects.filter(tag__in=tags).values("work"))
                & Q(pk__in=FilterTagging.objects.filter(tag=fandom).values("work"))
            )
        if self.creators:
            parts.append(
                Q(pk__in=Creatorship.objects.filter(pseud__user__in=self.creators).values("work"))
            )
        if self.works:
            parts.append(Q(pk__in=self.works))
        combined = parts[0]
        for part in parts[1:]:
            combined |= part
        return combined


def _ids(value, limit: int) -> list[int]:
    if not isinstance(value, list):
        return []
    found = []
    for item in value:
        if isinstance(item, int) and not isinstance(item, bool) and item > 0:
            if item not in found:
                found.append(item)
    return found[:limit]


def _pairs(value) -> list[tuple[int, int | None]]:
    if not isinstance(value, list):
        return []
    found = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2):
            continue
        tag, fandom = _ids([item[0]], 1), _ids([item[1]], 1) if item[1] is not None else [None]
        if tag and fandom and (tag[0], fandom[0]) not in found:
            found.append((tag[0], fandom[0]))
    return found[:GUEST_TAGS_MAX]


def read_cookie(request) -> GuestBlocklist:
    """The guest's blocklist; empty when there is no cookie or it does not verify."""
    if request is None:
        return GuestBlocklist()
    cached = getattr(request, "_shelf_guest_blocklist", None)
    if cached is not None:
        return cached
    raw = request.COOKIES.get(COOKIE)
    data = None
    if raw:
        try:
            data = signing.loads(raw, salt=COOKIE_SALT)
        except signing.BadSignature:
            data = None
    found = GuestBlocklist()
    if isinstance(data, dict):
        found = GuestBlocklist(
            tags=_pairs(data.get("t")),
            creators=_ids(data.get("u"), GUEST_CREATORS_MAX),
            works=_ids(data.get("w"), GUEST_WORKS_MAX),
        )
    request._shelf_guest_blocklist = found
    return found


def write_cookie(response, blocklist: GuestBlocklist) -> None:
    """Keep `blocklist` in the guest's cookie; an empty one removes it, so the guest is
    given the shared cached pages again."""
    if not blocklist:
        response.delete_cookie(COOKIE, samesite="Lax")
        return
    value = signing.dumps(
        {
            "t": [[tag, fandom] for tag, fandom in blocklist.tags],
            "u": blocklist.creators,
            "w": blocklist.works,
        },
        salt=COOKIE_SALT,
        compress=True,
    )
    response.set_cookie(
        COOKIE,
        value,
        max_age=COOKIE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


# --- Changing the blocklist -------------------------------------------------------------------


def _canonical(tag: Tag) -> Tag:
    # A synonym's works are filed under its canonical too (FilterTagging): block that.
    return tag.merger if tag.merger_id else tag


def _checked_pair(tag: Tag, fandom: Tag | None) -> tuple[Tag, Tag | None]:
    tag = _canonical(tag)
    if fandom is not None:
        fandom = _canonical(fandom)
        if fandom.kind != TagKind.FANDOM:
            raise ValidationError(f"“{fandom.name}” is not a fandom.", code="not_fandom")
        if fandom.pk == tag.pk:
            raise ValidationError(
                "To block a fandom, block it everywhere (leave “only in fandom” empty).",
                code="same_tag",
            )
    return tag, fandom


def block_tag(*, user, tag: Tag, fandom: Tag | None = None) -> BlockedTag:
    """`user` no longer sees works under `tag` (within `fandom`, when given); again: nothing
    changes. Within BLOCKED_TAGS_MAX, counted under a lock on the account's row."""
    if not is_reader(user):
        raise ValidationError("Log in to keep a blocklist in your account.", code="guest")
    tag, fandom = _checked_pair(tag, fandom)
    with transaction.atomic():
        get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)
        existing = BlockedTag.objects.filter(user=user, tag=tag, fandom=fandom).first()
        if existing is not None:
            return existing
        if BlockedTag.objects.filter(user=user).count() >= BLOCKED_TAGS_MAX:
            raise ValidationError(
                f"You can block at most {BLOCKED_TAGS_MAX:,} tags. Unblock one first.",
                code="limit",
            )
        return BlockedTag.objects.create(user=user, tag=tag, fandom=fandom)


def unblock_tag(*, user, tag_id: int, fandom_id: int | None) -> bool:
    """Whether that tag was blocked (there, or everywhere when `fandom_id` is None)."""
    with transaction.atomic():
        deleted, _ = BlockedTag.objects.filter(
            user=user, tag_id=tag_id, fandom_id=fandom_id
        ).delete()
    return bool(deleted)


def set_hiding(*, user, hide_read: bool, hide_kudosed: bool) -> ShelfSettings:
    """Whether `user`'s lists leave out the works they have read, and those they gave kudos."""
    if not is_reader(user):
        raise ValidationError("Log in to hide the works you have read.", code="guest")
    with transaction.atomic():
        current, _ = ShelfSettings.objects.select_for_update().get_or_create(user=user)
        current.hide_read = hide_read
        current.hide_kudosed = hide_kudosed
        current.save(update_fields=["hide_read", "hide_kudosed"])
    return current


def guest_block_tag(blocklist: GuestBlocklist, *, tag: Tag, fandom: Tag | None = None):
    """The guest's blocklist with `tag` blocked (a new GuestBlocklist), within its cap."""
    tag, fandom = _checked_pair(tag, fandom)
    pair = (tag.pk, fandom.pk if fandom else None)
    if pair in blocklist.tags:
        return blocklist
    if len(blocklist.tags) >= GUEST_TAGS_MAX:
        raise ValidationError(
            f"A guest's blocklist holds at most {GUEST_TAGS_MAX} tags: log in to block more.",
            code="limit",
        )
    return GuestBlocklist([*blocklist.tags, pair], blocklist.creators, blocklist.works)


def guest_unblock_tag(blocklist: GuestBlocklist, *, tag_id: int, fandom_id: int | None):
    pair = (tag_id, fandom_id)
    return GuestBlocklist(
        [p for p in blocklist.tags if p != pair], blocklist.creators, blocklist.works
    )


def guest_hide_creator(blocklist: GuestBlocklist, *, user_id: int):
    if user_id in blocklist.creators:
        return blocklist
    if len(blocklist.creators) >= GUEST_CREATORS_MAX:
        raise ValidationError(
            f"A guest can hide at most {GUEST_CREATORS_MAX} creators: log in to hide more.",
            code="limit",
        )
    return GuestBlocklist(blocklist.tags, [*blocklist.creators, user_id], blocklist.works)


def guest_show_creator(blocklist: GuestBlocklist, *, user_id: int):
    return GuestBlocklist(
        blocklist.tags, [u for u in blocklist.creators if u != user_id], blocklist.works
    )


def guest_hide_work(blocklist: GuestBlocklist, *, work_id: int):
    if work_id in blocklist.works:
        return blocklist
    if len(blocklist.works) >= GUEST_WORKS_MAX:
        raise ValidationError(
            f"A guest can hide at most {GUEST_WORKS_MAX} works: log in to hide more.",
            code="limit",
        )
    return GuestBlocklist(blocklist.tags, blocklist.creators, [*blocklist.works, work_id])


def guest_show_work(blocklist: GuestBlocklist, *, work_id: int):
    return GuestBlocklist(
        blocklist.tags, blocklist.creators, [w for w in blocklist.works if w != work_id]
    )
