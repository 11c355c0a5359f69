"""Factories that build real objects through the services, as a person would."""

import itertools

from ficshelf.accounts.services import sign_up
from ficshelf.works.services import ChapterContent, WorkMetadata, create_work

PASSWORD = "correct-horse-battery-staple"
_numbers = itertools.count(1)


def make_user(username: str | None = None, *, password: str = PASSWORD):
    username = username or f"writer{next(_numbers)}"
    return sign_up(username=username, email=f"{username}@example.org", password=password)


def make_metadata(**overrides) -> WorkMetadata:
    values = {
        "title": "A Work",
        "fandoms": ["Law & Order: Special Victims Unit"],
        "rating": "teen",
        "warnings": ["No Archive Warnings Apply"],
    }
    values.update(overrides)
    return WorkMetadata(**values)


def make_work(user=None, *, chapters: int = 1, post: bool = True, text: str | None = None, **meta):
    """A work by `user` (a new account if None) with `chapters` chapters."""
    user = user or make_user()
    work = create_work(
        creators=[user.default_pseud],
        metadata=make_metadata(**meta),
        chapter=ChapterContent(text=text or "<p>The first chapter's text.</p>"),
        post=post,
    )
    from ficshelf.works.services import add_chapter

    for number in range(2, chapters + 1):
        add_chapter(
            work=work,
            editor=user,
            content=ChapterContent(text=f"<p>Chapter {number} text.</p>", title=f"Part {number}"),
        )
    work.refresh_from_db()
    return work


def make_account(username: str, **extra):
    """An account without a password hash (fast): tests log it in with force_login."""
    from ficshelf.accounts.models import User

    return User.objects.create_user(username=username, email=f"{username}@example.org", **extra)


def add_co_creator(work, *, by, user):
    """Invite `user` onto `work` as `by` would from the work's form, and accept as `user`."""
    from ficshelf.works.models import CreatorInvitation
    from ficshelf.works.services import accept_creator_invitation, set_creators

    credited = [c.pseud for c in work.creatorships.all()]
    set_creators(work=work, editor=by, pseuds=[*credited, user.default_pseud])
    invitation = CreatorInvitation.objects.get(work=work, pseud__user=user)
    accept_creator_invitation(invitation=invitation, user=user)
    work.refresh_from_db()
    return work


def make_wrangler(username: str = "wrangler"):
    """An account in the "Tag wranglers" group (made here too: a flushed database lacks it)."""
    from django.contrib.auth.models import Group, Permission

    from ficshelf.tags.services import WRANGLER_GROUP

    group, _ = Group.objects.get_or_create(name=WRANGLER_GROUP)
    group.permissions.add(Permission.objects.get(codename="wrangle_tag"))
    user = make_account(username)
    user.groups.add(group)
    return user
