"""Deleting an account, as on AO3: first everything is offered for download (the account's
JSON export and each of its works as EPUB, HTML and JSON, in one zip), then its works are
either deleted or orphaned, then the account goes (with what is only its own: pseuds,
bookmarks, history, settings, sessions).

Orphaning moves the account's creatorships to the shared "orphan_account" pseud (made on
demand, works.services.orphan_pseud) when it was the work's only creator; a co-created work
just loses this creator and keeps the others. Deleting takes down the works the account made
alone; co-created works stay with their other creators either way. Drafts are never orphaned
(nobody could finish them): one made alone is deleted. It all happens in one transaction.
This module is in `archive`, the top layer, because it uses works and downloads alike.
"""

import json
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from ficshelf.accounts.exports import export_data
from ficshelf.accounts.models import AccountSession, User
from ficshelf.downloads import books
from ficshelf.downloads.views import download_name
from ficshelf.works.models import Work
from ficshelf.works.services import ORPHAN_ACCOUNT, delete_work, leave_work


class WorksChoice(models.TextChoices):
    ORPHAN = "orphan", "Orphan them: they stay up, credited to orphan_account"
    DELETE = "delete", "Delete them"


class DeletionRefused(Exception):
    """The account cannot be deleted this way (the orphan account itself)."""


@dataclass(frozen=True)
class Deleted:
    works_deleted: int
    works_orphaned: int
    works_left: int  # co-created works that keep their other creators


def works_of(user: User) -> models.QuerySet:
    """Every work the account is credited on, drafts too."""
    return (
        Work.objects.filter(creatorships__pseud__user=user).distinct().order_by("created_at", "pk")
    )


def _has_other_creators(work: Work, user: User) -> bool:
    return (
        work.creatorships.exclude(pseud__user=user)
        .exclude(pseud__user__username=ORPHAN_ACCOUNT)
        .exists()
    )


@transaction.atomic
def delete_account(*, user: User, works: str) -> Deleted:
    """Delete or orphan the account's works, end its sessions, and delete the account."""
    if user.username == ORPHAN_ACCOUNT:
        raise DeletionRefused("The orphan account cannot be deleted.")
    if works not in WorksChoice.values:
        raise ValueError(f"Unknown choice for the works: {works!r}")
    deleted = orphaned = left = 0
    for work in works_of(user):
        if _has_other_creators(work, user):
            leave_work(work=work, user=user)
            left += 1
        elif works == WorksChoice.ORPHAN and work.posted:
            leave_work(work=work, user=user)  # the last creator: orphan_account is credited
            orphaned += 1
        else:
            delete_work(work=work, editor=user)
            deleted += 1
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for key in AccountSession.objects.filter(user=user).values_list("session_key", flat=True):
        store.delete(key)
    user.delete()  # cascades: pseuds, bookmarks, history, settings, session rows
    return Deleted(deleted, orphaned, left)


def _work_json(work: Work) -> dict:
    """A work as its creator wrote it, drafts and unposted chapters included."""
    return {
        "id": work.pk,
        "title": work.title,
        "posted": work.posted,
        "creators": [str(pseud) for pseud in work.creator_pseuds()],
        "rating": work.rating,
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "created_at": work.created_at,
        "chapters": [
            {
                "position": chapter.position,
                "title": chapter.title,
                "posted": chapter.posted,
                "summary": chapter.summary,
                "notes": chapter.notes,
                "end_notes": chapter.end_notes,
                "text": chapter.text,
                "text_format": chapter.text_format,
                "text_source": chapter.text_source,
            }
            for chapter in work.chapters.order_by("position")
        ],
    }


def _dumps(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def export_zip(user: User):
    """Everything, in one zip (a temporary file, rewound): the account's JSON export, and each
    work as JSON (every chapter, drafts too) and, when it has posted chapters, EPUB and HTML."""
    archive_file = tempfile.TemporaryFile()
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"ficshelf-{user.username}.json", _dumps(export_data(user)))
        for work in works_of(user):
            stem = f"works/{work.pk}-{download_name(work)}"
            archive.writestr(f"{stem}.json", _dumps(_work_json(work)))
            if work.chapters.filter(posted=True).exists():
                archive.writestr(f"{stem}.epub", books.build_epub(work))
                archive.writestr(f"{stem}.html", books.build_html(work))
    archive_file.seek(0)
    return archive_file
