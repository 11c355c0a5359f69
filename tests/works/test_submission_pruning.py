"""The posting forms' one-time tokens are kept for a week, then pruned: by
`manage.py prune_submissions`, and a creator's own old ones whenever they post again; a repeat
within the week is still caught, and nothing they made goes with the tokens."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone

from ficshelf.works import submissions
from ficshelf.works.models import Submission
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def chapter_post(**overrides) -> dict:
    data = {
        "title": "",
        "summary": "",
        "notes": "",
        "end_notes": "",
        "text_format": "html",
        "text": "<p>She came back on a Tuesday.</p>",
        "submission_id": str(uuid.uuid4()),
        "post": "Post",
    }
    return data | overrides


def age(token: str, days: float) -> None:
    Submission.objects.filter(token=token).update(created_at=timezone.now() - timedelta(days=days))


def test_prune_submissions_deletes_tokens_older_than_a_week_only(author, author_client):
    work = make_work(author)
    old, recent = chapter_post(), chapter_post(text="<p>Another day.</p>")
    for data in (old, recent):
        assert author_client.post(f"/works/{work.pk}/chapters/new", data).status_code == 302
    age(old["submission_id"], 8)
    age(recent["submission_id"], 6)

    out = io.StringIO()
    call_command("prune_submissions", stdout=out)

    assert "Deleted 1 old form token." in out.getvalue()
    assert list(Submission.objects.values_list("token", flat=True)) == [
        uuid.UUID(recent["submission_id"])
    ]
    # What the tokens made stays: the work and its three chapters.
    assert work.chapters.count() == 3


def test_a_repeat_within_the_week_is_still_one_chapter_after_pruning(author, author_client):
    work = make_work(author)
    data = chapter_post()
    author_client.post(f"/works/{work.pk}/chapters/new", data)
    age(data["submission_id"], 6)
    call_command("prune_submissions", stdout=io.StringIO())
    repeat = author_client.post(f"/works/{work.pk}/chapters/new", data)
    assert repeat.status_code == 302
    assert work.chapters.count() == 2


def test_posting_again_prunes_the_creators_own_old_tokens_not_others(author, author_client):
    other = make_user("other")
    theirs = make_work(other)
    other_token = uuid.uuid4()
    with_other = submissions.claim(
        user=other, token=other_token, kind="new_chapter", data=QueryDict()
    )
    submissions.record(with_other, work=theirs)
    work = make_work(author)
    first = chapter_post()
    author_client.post(f"/works/{work.pk}/chapters/new", first)
    age(first["submission_id"], 10)
    Submission.objects.filter(token=other_token).update(
        created_at=timezone.now() - timedelta(days=10)
    )

    second = chapter_post(text="<p>The next morning.</p>")
    author_client.post(f"/works/{work.pk}/chapters/new", second)

    kept = set(Submission.objects.values_list("token", flat=True))
    assert kept == {uuid.UUID(second["submission_id"]), other_token}


def test_prune_submissions_takes_a_number_of_days(author):
    token = uuid.uuid4()
    submissions.claim(user=author, token=token, kind="new_work", data=QueryDict())
    age(str(token), 3)
    out = io.StringIO()
    call_command("prune_submissions", "--days", "5", stdout=out)
    assert Submission.objects.filter(token=token).exists()
    call_command("prune_submissions", "--days", "2", stdout=out)
    assert not Submission.objects.filter(token=token).exists()
    assert "Deleted 1 old form token." in out.getvalue()


def test_a_draft_survives_prune_submissions(author):
    draft = make_work(author, post=False, title="Slow burn")
    long_ago = timezone.now() - timedelta(days=400)
    token = uuid.uuid4()
    claim = submissions.claim(user=author, token=token, kind="new_work", data=QueryDict())
    submissions.record(claim, work=draft)
    age(str(token), 400)
    type(draft).objects.filter(pk=draft.pk).update(created_at=long_ago, updated_at=long_ago)

    call_command("prune_submissions", stdout=io.StringIO())

    assert not Submission.objects.exists()
    assert type(draft).objects.get(pk=draft.pk).title == "Slow burn"
