"""The blocklist: tags a reader never wants to see (everywhere, or only within one fandom),
and "hide works I have read / gave kudos to", left out of every list of works they see.

A logged-in reader's blocklist is in the database (`BlockedTag`, `ShelfSettings`); creators
and works they hide are feedback's mutes and hidden works, left out here with the rest: one
read per request says which kinds an account has, so one with none pays a list nothing. A
guest keeps the same in a signed cookie (tags, creators, works), capped in size; a cookie that
does not verify is ignored, as if there were none. A guest who sends it bypasses the shared page
cache (`register_personal_cookie`), so nobody else is ever shown their list.

Everything is excluded through subqueries, never a list of ids: 10,000 blocked tags are one
`NOT IN (SELECT …)`, whatever the database's limit on query parameters. An account's kinds are
one `NOT IN` of their UNION ALL: PostgreSQL probes one hashed set, and counts what it hid by a
semi-join, where an OR of subqueries made it test each one on every row. Tags are matched
through works.FilterTagging (a work's tags, their canonicals and parents), so blocking a
canonical tag blocks its synonyms and subtags; a synonym is blocked as its canonical.
"""

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q

from ficshelf.feedback.models import HiddenWork, Kudos, Mute
from ficshelf.tags.models import Tag, TagKind
from ficshelf.works.models import Creatorship, FilterTagging
from ficshelf.works.reading import is_reader

from . import reading_settings
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


@dataclass(frozen=True)
class AccountBlocklist:
    """Which kinds of exclusion an account has at all: a list pays only for those it has, and
    an account with none pays nothing (no exclusion, no "hidden by your filters" count)."""

    user_id: int
    tags_everywhere: bool = False
    tags_in_fandom: bool = False
    hide_read: bool = False
    hide_kudosed: bool = False
    hidden_works: bool = False
    muted: bool = False

    def __bool__(self) -> bool:
        return any(
            (
                self.tags_everywhere,
                self.tags_in_fandom,
                self.hide_read,
                self.hide_kudosed,
                self.hidden_works,
                self.muted,
            )
        )


# The account's shelf settings (reading settings and hiding) and whether it has each kind of
# exclusion, in one statement. Written out: built by the ORM, its four EXISTS cost far more
# to compile than to run (measured on SQLite, machine loaded: ~34 ms against ~0.1 ms).
_SETTINGS_READ = (*reading_settings.FIELDS, "history_paused", "hide_read", "hide_kudosed")


@functools.cache
def _account_sql() -> str:
    q = connection.ops.quote_name

    def table(model) -> str:
        return q(model._meta.db_table)

    def column(model, name: str) -> str:
        return q(model._meta.get_field(name).column)

    user_id = f"u.{q('id')}"

    def exists(model, owner: str, more: str = "") -> str:
        where = f"x.{column(model, owner)} = {user_id}{more}"
        return f"EXISTS (SELECT 1 FROM {table(model)} x WHERE {where})"  # noqa: S608

    fandom = column(BlockedTag, "fandom")
    settings_columns = ", ".join(
        f"s.{column(ShelfSettings, name)} AS {q('setting_' + name)}" for name in _SETTINGS_READ
    )
    return (
        f"SELECT {user_id}, s.{q('id')} AS settings_row, {settings_columns}, "  # noqa: S608
        f"{exists(BlockedTag, 'user', f' AND x.{fandom} IS NULL')} AS has_tags_everywhere, "
        f"{exists(BlockedTag, 'user', f' AND x.{fandom} IS NOT NULL')} AS has_tags_in_fandom, "
        f"{exists(HiddenWork, 'user')} AS has_hidden_works, "
        f"{exists(Mute, 'muter')} AS has_muted "
        f"FROM {table(get_user_model())} u "
        f"LEFT JOIN {table(ShelfSettings)} s ON s.{column(ShelfSettings, 'user')} = {user_id} "
        f"WHERE {user_id} = %s"
    )


def read_account_blocklist(user, request=None) -> AccountBlocklist:
    """What `user`'s lists leave out, in one query, once per request. The same query reads the
    reading settings every page's <html> needs (`reading_settings.for_request`), so with a
    request it costs a page no query it would not have made anyway."""
    if request is not None:
        cached = getattr(request, "_shelf_account_blocklist", None)
        if cached is not None and cached.user_id == user.pk:
            return cached
    # raw(), so that the database router picks the connection as for any read.
    row = next(iter(get_user_model().objects.raw(_account_sql(), [user.pk])), None)
    if row is None:  # the account is gone: nothing to leave out
        return AccountBlocklist(user_id=user.pk)
    has_settings = row.settings_row is not None
    chosen = {
        name: ShelfSettings._meta.get_field(name).to_python(getattr(row, f"setting_{name}"))
        for name in _SETTINGS_READ
        if has_settings
    }
    found = AccountBlocklist(
        user_id=user.pk,
        tags_everywhere=bool(row.has_tags_everywhere),
        tags_in_fandom=bool(row.has_tags_in_fandom),
        hide_read=chosen.get("hide_read", False),
        hide_kudosed=chosen.get("hide_kudosed", False),
        hidden_works=bool(row.has_hidden_works),
        muted=bool(row.has_muted),
    )
    if request is not None:
        request._shelf_account_blocklist = found
        viewer_id = getattr(getattr(request, "user", None), "pk", None)
        if viewer_id == user.pk and getattr(request, "_ficshelf_appearance", None) is None:
            appearance = reading_settings.DEFAULT
            if has_settings:
                appearance = reading_settings.Appearance(
                    **{name: chosen[name] for name in reading_settings.FIELDS}
                )
            # The cache `reading_settings.for_request` keeps: base.html asks it next.
            reading_settings.remember(
                request, appearance, paused=chosen.get("history_paused", False)
            )
    return found


def account_blocklist_q(user, *, request=None) -> Q | None:
    """The works `user`'s blocklist leaves out, or None when it leaves out none. One query
    (`read_account_blocklist`) says which kinds the account has; the Q is one `pk IN` of the
    union of only those, so a list probes one set of ids, not one subquery per kind."""
    found = read_account_blocklist(user, request)
    if not found:
        return None
    parts = []
    blocks = BlockedTag.objects.filter(user=user)
    if found.tags_everywhere:
        parts.append(
            FilterTagging.objects.filter(
                tag__in=blocks.filter(fandom__isnull=True).values("tag")
            ).values("work")
        )
    if found.tags_in_fandom:
        # A work under the blocked tag (first FilterTagging) and under its fandom (second).
        parts.append(
            blocks.filter(
                fandom__isnull=False, tag__filter_taggings__work__filter_taggings__tag=F("fandom")
            ).values("tag__filter_taggings__work")
        )
    if found.hide_read:
        parts.append(
            Reading.objects.filter(user=user)
            .filter(Q(viewed_at__isnull=False) | Q(first_viewed_at__isnull=False))
            .values("work")
        )
    if found.hide_kudosed:
        parts.append(Kudos.objects.filter(user=user).values("work"))
    if found.hidden_works:
        parts.append(HiddenWork.objects.filter(user=user).values("work"))
    if found.muted:
        muted = Mute.objects.filter(muter=user).values("muted")
        parts.append(Creatorship.objects.filter(pseud__user__in=muted).values("work"))
    # No ordering: a part of a compound SELECT may not have one (BlockedTag's Meta does).
    parts = [part.order_by() for part in parts]
    ids = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)
    return Q(pk__in=ids)


def listing_exclusion(viewer, request) -> Q | None:
    """Registered with works.extensions: the blocklist of an account (its tags, hiding what it
    read or gave kudos to, its hidden works and muted creators), or of a guest's cookie; None
    when there is nothing to leave out, so the list pays nothing."""
    if is_reader(viewer):
        return account_blocklist_q(viewer, request=request)
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
