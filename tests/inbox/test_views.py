"""The inbox's pages: the items and what one does with them, the header's count, replying from
the inbox, email choices, the private feed and the one-click unsubscribe links."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ficshelf.feedback.services.blocking import block_user
from ficshelf.feedback.services.comments import freeze_thread, post_comment
from ficshelf.inbox.emails import unsubscribe_token
from ficshelf.inbox.models import Delivery, InboxItem, InboxSettings, ItemKind, Topic
from ficshelf.inbox.services import settings_of, subscribe_to_work
from ficshelf.works.models import Work
from ficshelf.works.services import ChapterContent, add_chapter
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def commented(author, reader, committed):
    """A work by `author` with a comment by `reader`, in the author's inbox."""
    work = make_work(author, title="Much Discussed")
    with committed():
        comment = post_comment(
            work=work, chapter=work.chapters.get(), commenter=reader, text="What a cliffhanger!"
        )
    return work, comment, InboxItem.objects.get(recipient=author)


def test_the_inbox_shows_items_newest_first_and_filters_by_kind(
    author, reader, commented, committed, author_client
):
    work, _, _ = commented
    with committed():
        subscribe_to_work(user=author, work=make_work(reader, title="Reader's Own"))
        add_chapter(
            work=Work.objects.get(title="Reader's Own"),
            editor=reader,
            content=ChapterContent(text="<p>More.</p>"),
        )
    page = author_client.get("/inbox").content.decode()
    assert page.index("Reader&#x27;s Own") < page.index(f"{reader.username} commented on")
    assert "What a cliffhanger!" in page
    only_comments = author_client.get("/inbox?kind=comment").content.decode()
    assert "commented on Much Discussed" in only_comments
    assert "Reader&#x27;s Own" not in only_comments


def test_the_header_counts_unread_items_in_one_query(author, commented, author_client):
    with CaptureQueriesContext(connection) as queries:
        page = author_client.get("/works/").content.decode()
    assert "Inbox (1)" in page
    counts = [q["sql"] for q in queries if "inbox_inboxitem" in q["sql"]]
    assert len(counts) == 1 and "COUNT" in counts[0].upper()


def test_a_guest_page_has_no_inbox_link(client, db):
    assert "Inbox (" not in client.get("/works/").content.decode()


def test_items_are_marked_read_unread_and_deleted(author, commented, author_client):
    _, _, item = commented
    author_client.post(f"/inbox/items/{item.pk}", {"action": "read"})
    assert InboxItem.objects.get(pk=item.pk).read
    assert "Inbox (0)" in author_client.get("/inbox").content.decode()
    author_client.post(f"/inbox/items/{item.pk}", {"action": "unread"})
    assert not InboxItem.objects.get(pk=item.pk).read
    author_client.post("/inbox/read_all")
    assert InboxItem.objects.get(pk=item.pk).read
    response = author_client.post(f"/inbox/items/{item.pk}", {"action": "burn"}, follow=True)
    assert "Please choose what to do with it." in response.content.decode()
    author_client.post(f"/inbox/items/{item.pk}", {"action": "delete"})
    assert not InboxItem.objects.exists()


def test_nobody_touches_another_accounts_items(commented, client):
    _, _, item = commented
    client.force_login(make_user("nosy"))
    assert client.post(f"/inbox/items/{item.pk}", {"action": "delete"}).status_code == 404
    assert client.post(f"/inbox/items/{item.pk}/reply", {"text": "Hi"}).status_code == 404
    assert InboxItem.objects.filter(pk=item.pk).exists()


def test_a_creator_replies_to_a_comment_from_the_inbox(author, reader, commented, author_client):
    _, comment, item = commented
    response = author_client.post(
        f"/inbox/items/{item.pk}/reply", {"text": "Chapter 2 soon!"}, follow=True
    )
    assert "Your reply was posted." in response.content.decode()
    reply = comment.replies.get()
    assert (reply.user, reply.text) == (author, "<p>Chapter 2 soon!</p>")
    assert InboxItem.objects.get(pk=item.pk).read


def test_a_reply_the_comment_rules_refuse_shows_why(author, reader, commented, client, committed):
    _, comment, _ = commented
    with committed():
        post_comment(
            work=comment.work, chapter=comment.chapter, commenter=author, parent=comment, text="Ta"
        )
    item = InboxItem.objects.get(recipient=reader, kind=ItemKind.REPLY)
    freeze_thread(comment=comment, editor=author)
    client.force_login(reader)
    response = client.post(f"/inbox/items/{item.pk}/reply", {"text": "Again"}, follow=True)
    assert "This thread is frozen: it takes no new replies." in response.content.decode()
    empty = client.post(f"/inbox/items/{item.pk}/reply", {"text": ""}, follow=True)
    assert "Please write something in your reply." in empty.content.decode()


def test_a_blocked_commenter_cannot_reply_from_the_inbox(
    author, reader, commented, client, committed
):
    _, comment, _ = commented
    with committed():
        post_comment(
            work=comment.work, chapter=comment.chapter, commenter=author, parent=comment, text="Ta"
        )
    item = InboxItem.objects.get(recipient=reader, kind=ItemKind.REPLY)
    block_user(blocker=author, blocked=reader)
    client.force_login(reader)
    response = client.post(f"/inbox/items/{item.pk}/reply", {"text": "But"}, follow=True)
    assert "its creator has blocked you" in response.content.decode()


# --- Email choices --------------------------------------------------------------------------------


def test_email_choices_have_defaults_and_are_saved(reader, client):
    client.force_login(reader)
    page = client.get("/inbox/settings").content.decode()
    assert "Kudos on your works" in page
    choices = {topic: Delivery.NEVER for topic in Topic.values}
    choices["kudos"] = Delivery.AT_ONCE
    response = client.post("/inbox/settings", choices, follow=True)
    assert "Your email choices are saved." in response.content.decode()
    found = InboxSettings.objects.get(user=reader)
    assert (found.kudos, found.comments) == (Delivery.AT_ONCE, Delivery.NEVER)
    bad = client.post("/inbox/settings", {**choices, "kudos": "hourly"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()


# --- One-click unsubscribe ------------------------------------------------------------------------


def test_an_unsubscribe_link_asks_then_stops_that_topic_without_logging_in(reader, client):
    token = unsubscribe_token(reader.pk, Topic.SUBSCRIPTIONS)
    page = client.get(f"/inbox/unsubscribe/{token}")
    assert "Stop emails about" in page.content.decode()
    assert settings_of(reader).subscriptions == Delivery.AT_ONCE  # a GET changes nothing
    done = client.post(f"/inbox/unsubscribe/{token}")
    assert "you will get no more email" in done.content.decode()
    assert settings_of(reader).subscriptions == Delivery.NEVER
    assert settings_of(reader).comments == Delivery.AT_ONCE


def test_a_mail_providers_one_click_post_unsubscribes(reader):
    from django.test import Client

    token = unsubscribe_token(reader.pk, Topic.KUDOS)
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        f"/inbox/unsubscribe/{token}",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert settings_of(reader).kudos == Delivery.NEVER


@pytest.mark.parametrize("forge", ["tampered", "other salt", "junk"])
def test_forged_unsubscribe_tokens_are_refused(reader, client, forge):
    from django.core import signing

    token = unsubscribe_token(reader.pk, Topic.COMMENTS)
    forged = {
        "tampered": token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "other salt": signing.dumps({"u": reader.pk, "t": "comments"}, salt="elsewhere"),
        "junk": "not-a-token",
    }[forge]
    response = client.post(f"/inbox/unsubscribe/{forged}")
    assert response.status_code == 404
    assert "This unsubscribe link is not valid." in response.content.decode()
    assert settings_of(reader).comments == Delivery.AT_ONCE


def test_every_email_links_to_its_unsubscribe_page(author, reader, commented, mailoutbox, client):
    (email,) = mailoutbox
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert link in email.body
    client.post("/" + path)
    assert settings_of(author).comments == Delivery.NEVER


# --- The private feed -----------------------------------------------------------------------------


def test_the_private_feed_is_atom_at_a_secret_address_that_can_be_reset(
    author, reader, commented, committed, author_client, client
):
    # Restricted works are never fed: a feed reader does not log in.
    hidden = make_work(reader, title="Members Only", restricted=True)
    subscribe_to_work(user=author, work=hidden)
    with committed():
        add_chapter(work=hidden, editor=reader, content=ChapterContent(text="<p>Secret.</p>"))
    token = settings_of(author).feed_token
    response = client.get(f"/inbox/feed/{token}")
    assert response["Content-Type"].startswith("application/atom+xml")
    # feedparser is not installed here: the feed is checked as Atom XML with the standard library.
    root = ET.fromstring(response.content)  # noqa: S314  (our own feed, in a test)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles == [f"{reader.username} commented on Much Discussed"]
    assert "What a cliffhanger!" in entries[0].find(f"{ATOM}summary").text
    assert b"Members Only" not in response.content and b"Secret" not in response.content
    author_client.post("/inbox/settings/feed")
    assert client.get(f"/inbox/feed/{token}").status_code == 404
    assert client.get(f"/inbox/feed/{settings_of(author).feed_token}").status_code == 200


def test_an_unknown_feed_address_finds_nothing(client, db):
    assert client.get("/inbox/feed/guessed").status_code == 404
