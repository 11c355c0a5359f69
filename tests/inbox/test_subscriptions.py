"""Subscribing to a work or a creator: the buttons on the work page and the profile, the list
of one's subscriptions, and what is refused."""

import pytest
from django.core.exceptions import ValidationError

from ficshelf.inbox.demo import add_demo_subscriptions
from ficshelf.inbox.models import InboxItem, Subscription
from ficshelf.inbox.services import (
    NO_SUCH_WORK,
    ONESELF,
    OWN_WORK,
    subscribe_to_creator,
    subscribe_to_work,
    unsubscribe,
)
from ficshelf.works.services import ChapterContent, add_chapter
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def test_a_reader_subscribes_once_and_unsubscribes(author, reader):
    work = make_work(author)
    first = subscribe_to_work(user=reader, work=work)
    assert subscribe_to_work(user=reader, work=work) == first
    assert Subscription.objects.filter(subscriber=reader).count() == 1
    assert unsubscribe(user=reader, work=work) is True
    assert unsubscribe(user=reader, work=work) is False


@pytest.mark.parametrize(
    "case, message",
    [("draft", NO_SUCH_WORK), ("own", OWN_WORK), ("guest", "Log in to subscribe.")],
)
def test_subscribing_is_refused_for_a_draft_ones_own_work_and_a_guest(
    author, reader, case, message
):
    from django.contrib.auth.models import AnonymousUser

    work = make_work(author, post=case != "draft")
    user = {"draft": reader, "own": author, "guest": AnonymousUser()}[case]
    with pytest.raises(ValidationError) as refusal:
        subscribe_to_work(user=user, work=work)
    assert refusal.value.messages == [message]
    assert not Subscription.objects.exists()


def test_nobody_subscribes_to_themselves(author):
    with pytest.raises(ValidationError) as refusal:
        subscribe_to_creator(user=author, creator=author)
    assert refusal.value.messages == [ONESELF]


def test_a_reader_subscribes_from_the_work_page_and_a_guest_sees_no_button(author, reader, client):
    work = make_work(author, title="Followed")
    guest_page = client.get(f"/works/{work.pk}").content.decode()
    assert "Subscribe" not in guest_page
    client.force_login(reader)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert ">Subscribe</button>" in page
    response = client.post(
        "/inbox/subscriptions", {"work": work.pk, "next": f"/works/{work.pk}"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/works/{work.pk}"
    assert "You are subscribed to Followed" in response.content.decode()
    assert ">Unsubscribe</button>" in response.content.decode()
    response = client.post("/inbox/subscriptions/remove", {"work": work.pk}, follow=True)
    assert "You have unsubscribed from Followed." in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_author_sees_no_subscribe_button_on_their_own_work(author, author_client):
    work = make_work(author)
    assert "Subscribe" not in author_client.get(f"/works/{work.pk}").content.decode()


def test_a_draft_cannot_be_subscribed_to_through_the_form(author, reader, client):
    draft = make_work(author, post=False)
    client.force_login(reader)
    response = client.post("/inbox/subscriptions", {"work": draft.pk}, follow=True)
    assert "There is no such work." in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_reader_subscribes_to_a_creator_from_their_profile(author, reader, client):
    client.force_login(reader)
    page = client.get(f"/users/{author.username}").content.decode()
    assert "Subscribe to" in page
    client.post("/inbox/subscriptions", {"creator": author.username})
    assert Subscription.objects.filter(subscriber=reader, creator=author).exists()
    page = client.get(f"/users/{author.username}").content.decode()
    assert "Unsubscribe from" in page
    # One's own profile links to one's inbox and subscriptions instead.
    own = client.get(f"/users/{reader.username}").content.decode()
    assert "Subscribe to" not in own and 'href="/inbox/subscriptions"' in own


def test_the_subscriptions_page_lists_works_and_creators_with_unsubscribe_buttons(
    author, reader, client
):
    work = make_work(author, title="Listed Work")
    subscribe_to_work(user=reader, work=work)
    subscribe_to_creator(user=reader, creator=author)
    client.force_login(reader)
    page = client.get("/inbox/subscriptions").content.decode()
    assert "Listed Work" in page and f">{author.username}<" in page
    assert page.count("Unsubscribe<span") == 2
    client.post("/inbox/subscriptions/remove", {"creator": author.username})
    assert list(Subscription.objects.values_list("work", flat=True)) == [work.pk]


def test_nobody_else_sees_ones_subscriptions(author, reader, client):
    subscribe_to_creator(user=reader, creator=author)
    client.force_login(author)
    assert reader.username not in client.get("/inbox/subscriptions").content.decode()


def test_the_demo_reader_follows_the_demo_work_and_hears_of_chapter_2(
    author, django_capture_on_commit_callbacks, mailoutbox
):
    work = make_work(author)
    assert add_demo_subscriptions(work) == ""  # no demo reader yet: nothing done
    demo_reader = make_user("demo_reader")
    assert "demo_reader subscribed to" in add_demo_subscriptions(work)
    assert add_demo_subscriptions(work) == ""
    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(work=work, editor=author, content=ChapterContent(text="<p>Two.</p>"))
    assert InboxItem.objects.filter(recipient=demo_reader).count() == 1
    assert [m.to for m in mailoutbox] == [[demo_reader.email]]


def test_a_work_made_a_draft_since_is_not_named_but_can_be_unsubscribed_from(
    author, reader, client
):
    from ficshelf.works.models import Work

    work = make_work(author, title="Taken Down")
    subscription = subscribe_to_work(user=reader, work=work)
    Work.objects.filter(pk=work.pk).update(posted=False)
    client.force_login(reader)
    page = client.get("/inbox/subscriptions").content.decode()
    assert "Taken Down" not in page and "no longer available" in page
    client.post("/inbox/subscriptions/remove", {"subscription": subscription.pk})
    assert not Subscription.objects.exists()
