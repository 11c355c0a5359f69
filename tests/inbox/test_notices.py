"""Who hears of what: subscribers of new chapters and works, creators of comments, kudos and
comments to approve, commenters of replies; and never of their own doing, of someone they muted
or blocked, or of a work they may no longer read."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ficshelf.accounts.models import User
from ficshelf.feedback.services.blocking import block_user, mute_user
from ficshelf.feedback.services.comments import approve_comment, post_comment
from ficshelf.feedback.services.kudos import give_kudos
from ficshelf.inbox import tasks
from ficshelf.inbox.models import (
    DailyDigest,
    Delivery,
    InboxItem,
    ItemKind,
    Subscription,
    SubscriptionKind,
)
from ficshelf.inbox.services import set_email_choices, subscribe_to_creator, subscribe_to_work
from ficshelf.works.models import Work
from ficshelf.works.services import ChapterContent, add_chapter, delete_chapter
from tests.factories import make_account, make_user, make_work
from tests.inbox.conftest import run_on_commit_now

pytestmark = pytest.mark.django_db


def _post_chapter(work, author, text="<p>The chase goes on.</p>", title="The Roof"):
    return add_chapter(work=work, editor=author, content=ChapterContent(text=text, title=title))


def test_a_subscriber_gets_an_inbox_item_and_an_email_when_chapter_2_is_posted(
    author, reader, committed, mailoutbox
):
    work = make_work(author, title="Said and Dead")
    subscribe_to_work(user=reader, work=work)
    with committed():
        chapter = _post_chapter(work, author)
    item = InboxItem.objects.get(recipient=reader)
    assert (item.kind, item.chapter, item.read) == (ItemKind.CHAPTER, chapter, False)
    (email,) = mailoutbox
    assert email.to == [reader.email]
    assert "Said and Dead: Chapter 2: The Roof is posted" in email.subject
    assert f"/works/{work.pk}/chapters/{chapter.pk}" in email.body
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert InboxItem.objects.get(pk=item.pk).emailed_at is not None


def test_the_author_hears_nothing_of_their_own_chapter(author, committed, mailoutbox):
    co = make_user("co")
    work = make_work(author)
    subscribe_to_work(user=co, work=work)
    subscribe_to_creator(user=co, creator=author)
    with committed():
        _post_chapter(work, author)
    # One item for the one posting, though the reader follows both the work and its author.
    assert InboxItem.objects.filter(recipient=co).count() == 1
    assert not InboxItem.objects.filter(recipient=author).exists()
    assert len(mailoutbox) == 1


def test_a_creators_subscribers_hear_of_a_new_work(author, reader, committed, mailoutbox):
    subscribe_to_creator(user=reader, creator=author)
    with committed():
        work = make_work(author, title="Brand New")
    item = InboxItem.objects.get(recipient=reader)
    assert (item.kind, item.work) == (ItemKind.WORK, work)
    assert mailoutbox[0].subject.endswith(f"New work by {author.username}: Brand New")


def test_a_draft_work_tells_no_one_until_it_is_posted(author, reader, committed, mailoutbox):
    subscribe_to_creator(user=reader, creator=author)
    with committed():
        make_work(author, post=False)
    assert not InboxItem.objects.exists()
    assert mailoutbox == []


def test_a_subscriber_who_muted_the_author_hears_nothing(author, reader, committed, mailoutbox):
    work = make_work(author)
    subscribe_to_work(user=reader, work=work)
    mute_user(muter=reader, muted=author)
    with committed():
        _post_chapter(work, author)
    assert not InboxItem.objects.exists()
    assert mailoutbox == []


# --- Between queueing and sending ---------------------------------------------------------------


def test_a_chapter_deleted_before_the_fan_out_tells_no_one(author, reader, held_tasks, mailoutbox):
    work = _quiet_work(author, held_tasks)
    subscribe_to_work(user=reader, work=work)
    chapter = _post_chapter(work, author, text="<p>A secret twist.</p>")
    run_on_commit_now()
    delete_chapter(chapter=chapter, editor=author)
    held_tasks.run()
    assert not InboxItem.objects.exists()
    assert mailoutbox == []


def test_a_chapter_deleted_after_its_items_were_made_sends_no_email(
    author, reader, held_tasks, mailoutbox
):
    work = _quiet_work(author, held_tasks)
    subscribe_to_work(user=reader, work=work)
    chapter = _post_chapter(work, author)
    run_on_commit_now()
    held_tasks.run_one("fan_out_posting")
    assert InboxItem.objects.filter(recipient=reader).count() == 1
    assert [r.task.name for r in held_tasks.mine()] == ["send_item_emails"]
    delete_chapter(chapter=chapter, editor=author)
    held_tasks.run()
    assert mailoutbox == []
    assert not InboxItem.objects.exists()


def test_a_work_made_a_draft_before_sending_is_not_emailed_nor_shown(
    author, reader, held_tasks, mailoutbox, client
):
    work = _quiet_work(author, held_tasks, title="Gone Quiet")
    subscribe_to_work(user=reader, work=work)
    _post_chapter(work, author, title="Hidden Turn")
    run_on_commit_now()
    held_tasks.run_one("fan_out_posting")
    # Taken down since (as a moderator's takedown would): the policy now says no.
    Work.objects.filter(pk=work.pk).update(posted=False)
    held_tasks.run()
    assert mailoutbox == []
    client.force_login(reader)
    page = client.get("/inbox").content.decode()
    assert "This is no longer available to you." in page
    assert "Gone Quiet" not in page and "Hidden Turn" not in page


def _quiet_work(author, held_tasks, **meta):
    """A posted work whose own posting's tasks are done with (it had no subscribers yet)."""
    work = make_work(author, **meta)
    run_on_commit_now()
    held_tasks.backend.clear()
    return work


# --- Many subscribers ---------------------------------------------------------------------------


def _subscribers(work, count: int, start: int = 0) -> list[User]:
    users = User.objects.bulk_create(
        User(username=f"fan{n}", email=f"fan{n}@example.org", password="!")
        for n in range(start, start + count)
    )
    users = list(User.objects.filter(username__in=[u.username for u in users]))
    Subscription.objects.bulk_create(
        Subscription(subscriber=u, kind=SubscriptionKind.WORK, work=work) for u in users
    )
    return users


def test_posting_to_thousands_of_subscribers_costs_the_post_no_more_queries(
    author, held_tasks, mailoutbox
):
    work = _quiet_work(author, held_tasks)
    _subscribers(work, 3)
    with CaptureQueriesContext(connection) as few:
        _post_chapter(work, author)
        run_on_commit_now()
    held_tasks.backend.clear()
    InboxItem.objects.all().delete()
    _subscribers(work, 2_497, start=3)
    with CaptureQueriesContext(connection) as many:
        _post_chapter(work, author, title="Third")
        run_on_commit_now()
    assert len(many) == len(few)
    # The post enqueued one fan-out of the inbox's; the fan-out then reaches everyone.
    assert [r.task.name for r in held_tasks.mine()] == ["fan_out_posting"]
    with CaptureQueriesContext(connection) as fan_out:
        held_tasks.run_one("fan_out_posting")
    assert InboxItem.objects.filter(kind=ItemKind.CHAPTER).count() == 2_500
    # Batches, not a query per subscriber.
    assert len(fan_out) < 60
    assert len(held_tasks.mine()) == 25
    held_tasks.run()
    assert len(mailoutbox) == 2_500


# --- A failing mail server ------------------------------------------------------------------------


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError("The mail server is down.")

    def close(self):
        pass

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        raise ConnectionRefusedError("The mail server is down.")


def test_a_failing_mail_server_never_fails_the_post_and_the_email_is_retried_later(
    author, reader, held_tasks, settings, mailoutbox, caplog
):
    work = _quiet_work(author, held_tasks)
    subscribe_to_work(user=reader, work=work)
    settings.EMAIL_BACKEND = "tests.inbox.test_notices.BrokenBackend"
    _post_chapter(work, author)
    run_on_commit_now()
    held_tasks.run_one("fan_out_posting")
    held_tasks.run_one("send_item_emails")
    retry = held_tasks.mine()
    # Logged and enqueued again for later: the item waits, not emailed.
    assert "Could not send inbox email" in caplog.text
    assert InboxItem.objects.get(recipient=reader).emailed_at is None
    (later,) = retry
    assert later.task.run_after > timezone.now()
    assert later.kwargs["attempt"] == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    held_tasks.run()
    assert len(mailoutbox) == 1
    assert InboxItem.objects.get(recipient=reader).emailed_at is not None


def test_retries_stop_after_a_few_attempts(author, reader, held_tasks, settings, caplog):
    work = _quiet_work(author, held_tasks)
    subscribe_to_work(user=reader, work=work)
    settings.EMAIL_BACKEND = "tests.inbox.test_notices.BrokenBackend"
    _post_chapter(work, author)
    run_on_commit_now()
    held_tasks.run_one("fan_out_posting")
    for _ in range(tasks.MAX_ATTEMPTS):
        held_tasks.run_one("send_item_emails")
    assert held_tasks.mine() == []
    assert "Giving up" in caplog.text


# --- Comments, replies, moderation ----------------------------------------------------------------


def test_a_comment_tells_the_works_creators_and_a_reply_the_commenter(
    author, reader, committed, mailoutbox
):
    work = make_work(author, title="Talked About")
    chapter = work.chapters.get()
    with committed():
        comment = post_comment(work=work, chapter=chapter, commenter=reader, text="Loved it.")
    item = InboxItem.objects.get(recipient=author)
    assert (item.kind, item.comment) == (ItemKind.COMMENT, comment)
    assert f"{reader.username} commented on Talked About" in mailoutbox[0].subject
    assert "Loved it." in mailoutbox[0].body
    with committed():
        post_comment(
            work=work, chapter=chapter, commenter=author, parent=comment, text="Thank you!"
        )
    reply = InboxItem.objects.get(recipient=reader)
    assert reply.kind == ItemKind.REPLY
    # The author's own reply tells the author nothing.
    assert InboxItem.objects.filter(recipient=author).count() == 1
    assert "replied to your comment" in mailoutbox[1].subject


def test_a_guest_comment_tells_the_creators(author, committed):
    work = make_work(author)
    with committed():
        post_comment(
            work=work,
            chapter=None,
            commenter=None,
            text="Hi from a guest",
            guest_name="Passer-by",
            guest_email="p@example.org",
        )
    assert InboxItem.objects.get(recipient=author).kind == ItemKind.COMMENT


def test_a_commenter_who_blocked_the_replier_hears_nothing_of_the_reply(
    author, reader, committed, mailoutbox
):
    troll = make_user("troll")
    work = make_work(author)
    chapter = work.chapters.get()
    comment = post_comment(work=work, chapter=chapter, commenter=reader, text="First!")
    block_user(blocker=reader, blocked=troll)
    with committed():
        post_comment(work=work, chapter=chapter, commenter=troll, parent=comment, text="No.")
    assert not InboxItem.objects.filter(recipient=reader).exists()
    # The work's creator still hears of the comment on their work.
    assert InboxItem.objects.filter(recipient=author, actor=troll).exists()


def test_a_creator_who_muted_the_commenter_hears_nothing(author, reader, committed, mailoutbox):
    work = make_work(author)
    mute_user(muter=author, muted=reader)
    with committed():
        post_comment(work=work, chapter=work.chapters.get(), commenter=reader, text="Hello")
    assert not InboxItem.objects.exists()
    assert mailoutbox == []


def test_a_comment_awaiting_approval_asks_the_creators_and_its_approval_tells_the_one_replied_to(
    author, reader, committed, mailoutbox
):
    work = make_work(author, moderated_comments=True)
    Work.objects.filter(pk=work.pk).update(moderated_comments=True)
    chapter = work.chapters.get()
    first = post_comment(work=work, chapter=chapter, commenter=author, text="Author's note")
    with committed():
        waiting = post_comment(
            work=work, chapter=chapter, commenter=reader, parent=first, text="A reply"
        )
    item = InboxItem.objects.get(recipient=author)
    assert (item.kind, item.comment) == (ItemKind.MODERATION, waiting)
    assert "awaits your approval" in mailoutbox[0].subject
    with committed():
        approve_comment(comment=waiting, approver=author)
    assert InboxItem.objects.filter(recipient=author, kind=ItemKind.REPLY).exists()


# --- Kudos and digests ------------------------------------------------------------------------


def test_kudos_gather_in_one_item_per_work_a_day_and_go_out_in_the_daily_digest(
    author, committed, mailoutbox
):
    work = make_work(author, title="Well Liked")
    with committed():
        for name in ("kudoser1", "kudoser2", "kudoser3"):
            give_kudos(work=work, giver=make_account(name))
        give_kudos(work=work, giver=None, guest_key="g" * 64)
    item = InboxItem.objects.get(recipient=author)
    assert (item.kind, item.count, item.day) == (ItemKind.KUDOS, 4, timezone.localdate())
    # Kudos default to the daily digest: nothing at once; one digest for the day.
    assert mailoutbox == []
    digest = DailyDigest.objects.get(user=author)
    assert tasks.send_digest.call(author.pk, digest.day.isoformat()) == 1
    (email,) = mailoutbox
    assert "4 people left kudos on Well Liked" in email.body
    assert "List-Unsubscribe" in email.extra_headers
    # A digest runs once however often its task does.
    assert tasks.send_digest.call(author.pk, digest.day.isoformat()) == 0
    assert len(mailoutbox) == 1


def test_a_daily_digest_is_enqueued_once_for_the_end_of_the_day(author, reader, held_tasks):
    set_email_choices(user=reader, choices={"subscriptions": Delivery.DAILY})
    work = _quiet_work(author, held_tasks)
    subscribe_to_work(user=reader, work=work)
    for title in ("Two", "Three"):
        _post_chapter(work, author, title=title)
        run_on_commit_now()
    held_tasks.run_one("fan_out_posting")
    held_tasks.run_one("fan_out_posting")
    digests = [r for r in held_tasks.mine() if r.task.name == "send_digest"]
    assert len(digests) == 1
    day = timezone.localdate()
    assert digests[0].task.run_after == timezone.make_aware(
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    )
    assert digests[0].args == [reader.pk, day.isoformat()]


def test_an_account_that_wants_no_email_gets_only_the_inbox_item(
    author, reader, committed, mailoutbox
):
    set_email_choices(user=reader, choices={"subscriptions": Delivery.NEVER})
    work = make_work(author)
    subscribe_to_work(user=reader, work=work)
    with committed():
        _post_chapter(work, author)
    assert InboxItem.objects.filter(recipient=reader).exists()
    assert mailoutbox == []


def test_a_task_run_twice_makes_no_second_item_nor_email(author, reader, committed, mailoutbox):
    work = make_work(author)
    subscribe_to_work(user=reader, work=work)
    with committed():
        chapter = _post_chapter(work, author)
    tasks.fan_out_posting.call(work.pk, [chapter.pk], False)
    tasks.send_item_emails.call(list(InboxItem.objects.values_list("pk", flat=True)))
    assert InboxItem.objects.count() == 1
    assert len(mailoutbox) == 1


def test_tasks_tolerate_rows_gone(db):
    assert tasks.fan_out_posting.call(999_999, [1], False) == 0
    assert tasks.note_comment.call(999_999) == 0
    assert tasks.note_kudos.call(999_999, "2024-01-01") == 0
    assert tasks.send_item_emails.call([999_999]) == 0
    assert tasks.send_digest.call(999_999, "2024-01-01") == 0
