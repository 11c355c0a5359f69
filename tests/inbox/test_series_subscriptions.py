"""Subscribing to a series: the button on the series page, the subscriptions list, what is
refused, and who hears of what: works added to the series (when posted) and new chapters of its
works, one item each however many subscriptions lead to it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from ficshelf.feedback.services.blocking import mute_user
from ficshelf.inbox.models import InboxItem, ItemKind, Subscription, SubscriptionKind
from ficshelf.inbox.services import (
    NO_SUCH_SERIES,
    OWN_SERIES,
    subscribe_to_creator,
    subscribe_to_series,
    subscribe_to_work,
    unsubscribe,
)
from ficshelf.series.services import add_work_to_series, create_series, start_series_with
from ficshelf.works.models import Work
from ficshelf.works.services import ChapterContent, add_chapter, post_work
from tests.factories import make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def saga(author):
    return start_series_with(work=make_work(author, title="Part One"), user=author, title="Saga")


def test_a_reader_subscribes_to_a_series_once_and_unsubscribes(reader, saga):
    first = subscribe_to_series(user=reader, series=saga)
    assert first.kind == SubscriptionKind.SERIES and first.series == saga
    assert subscribe_to_series(user=reader, series=saga) == first
    assert Subscription.objects.filter(subscriber=reader).count() == 1
    assert unsubscribe(user=reader, series=saga) is True
    assert unsubscribe(user=reader, series=saga) is False


@pytest.mark.parametrize(
    "case, message",
    [("drafts", NO_SUCH_SERIES), ("own", OWN_SERIES), ("guest", "Log in to subscribe.")],
)
def test_subscribing_is_refused_for_a_drafts_only_series_ones_own_and_a_guest(
    author, reader, case, message
):
    series = start_series_with(
        work=make_work(author, post=case != "drafts"), user=author, title="S"
    )
    user = {"drafts": reader, "own": author, "guest": AnonymousUser()}[case]
    with pytest.raises(ValidationError) as refusal:
        subscribe_to_series(user=user, series=series)
    assert refusal.value.messages == [message]
    assert not Subscription.objects.exists()


def test_the_subscribe_button_on_the_series_page(client, author, reader, saga):
    assert "Subscribe" not in client.get(f"/series/{saga.pk}").content.decode()  # a guest
    client.force_login(author)
    assert "Subscribe" not in client.get(f"/series/{saga.pk}").content.decode()  # its creator
    client.force_login(reader)
    page = client.get(f"/series/{saga.pk}").content.decode()
    assert ">Subscribe<span" in page
    response = client.post(
        f"/inbox/subscriptions/series/{saga.pk}", {"next": f"/series/{saga.pk}"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/series/{saga.pk}"
    page = response.content.decode()
    assert "You are subscribed to Saga" in page and ">Unsubscribe<span" in page
    response = client.post(f"/inbox/subscriptions/series/{saga.pk}/remove", follow=True)
    assert "You have unsubscribed from Saga." in response.content.decode()
    assert not Subscription.objects.exists()


def test_subscribing_through_the_form_to_a_series_one_may_not_see_is_refused(
    client, author, reader
):
    hidden = start_series_with(work=make_work(author, post=False), user=author, title="Hidden")
    client.force_login(reader)
    response = client.post(f"/inbox/subscriptions/series/{hidden.pk}", follow=True)
    assert NO_SUCH_SERIES in response.content.decode()
    assert client.post("/inbox/subscriptions/series/999999").status_code == 404
    assert client.get(f"/inbox/subscriptions/series/{hidden.pk}").status_code == 405
    assert not Subscription.objects.exists()


def test_the_subscriptions_page_lists_series(client, author, reader, saga):
    subscribe_to_series(user=reader, series=saga)
    client.force_login(reader)
    page = client.get("/inbox/subscriptions").content.decode()
    assert f'<a href="/series/{saga.pk}">Saga</a>' in page
    assert 'Unsubscribe<span class="landmark"> from Saga' in page
    # A series whose works all became drafts since is not named, but can be left.
    Work.objects.update(posted=False)
    page = client.get("/inbox/subscriptions").content.decode()
    assert "A series that is no longer available" in page and "Saga" not in page
    response = client.post(
        f"/inbox/subscriptions/series/{saga.pk}/remove",
        {"next": "/inbox/subscriptions"},
        follow=True,
    )
    assert "You have unsubscribed from that series." in response.content.decode()


def test_a_posted_work_added_to_the_series_tells_its_subscribers(
    author, reader, saga, committed, mailoutbox
):
    subscribe_to_series(user=reader, series=saga)
    work = make_work(author, title="Part Two")
    with committed():
        add_work_to_series(series=saga, work=work, user=author)
    item = InboxItem.objects.get(recipient=reader)
    assert (item.kind, item.work) == (ItemKind.WORK, work)
    assert mailoutbox[0].subject.endswith(f"New work by {author.username}: Part Two")
    assert not InboxItem.objects.filter(recipient=author).exists()


def test_a_draft_added_tells_no_one_until_it_is_posted(author, reader, saga, committed):
    subscribe_to_series(user=reader, series=saga)
    draft = make_work(author, title="Part Two", post=False)
    with committed():
        add_work_to_series(series=saga, work=draft, user=author)
    assert not InboxItem.objects.exists()
    with committed():
        post_work(work=draft, editor=author)
    item = InboxItem.objects.get(recipient=reader)
    assert (item.kind, item.work_id) == (ItemKind.WORK, draft.pk)


def test_a_new_chapter_of_a_work_in_the_series_tells_its_subscribers(
    author, reader, saga, committed
):
    subscribe_to_series(user=reader, series=saga)
    work = saga.works.get()
    with committed():
        chapter = add_chapter(work=work, editor=author, content=ChapterContent(text="<p>2</p>"))
    item = InboxItem.objects.get(recipient=reader)
    assert (item.kind, item.chapter) == (ItemKind.CHAPTER, chapter)


def test_one_item_for_a_subscriber_of_the_work_its_creator_and_two_of_its_series(
    author, reader, saga, committed
):
    work = saga.works.get()
    other = create_series(creator=author, title="Other")
    add_work_to_series(series=other, work=work, user=author)
    for subscribe in (
        lambda: subscribe_to_series(user=reader, series=saga),
        lambda: subscribe_to_series(user=reader, series=other),
        lambda: subscribe_to_work(user=reader, work=work),
        lambda: subscribe_to_creator(user=reader, creator=author),
    ):
        subscribe()
    with committed():
        add_chapter(work=work, editor=author, content=ChapterContent(text="<p>2</p>"))
    assert InboxItem.objects.filter(recipient=reader).count() == 1


def test_a_work_heard_of_already_is_not_told_again_when_added_to_a_series(
    author, reader, saga, committed
):
    subscribe_to_creator(user=reader, creator=author)
    subscribe_to_series(user=reader, series=saga)
    with committed():
        work = make_work(author, title="Part Two")
    with committed():
        add_work_to_series(series=saga, work=work, user=author)
    assert InboxItem.objects.filter(recipient=reader, work=work).count() == 1


def test_a_series_subscriber_who_muted_the_author_hears_nothing(author, reader, saga, committed):
    subscribe_to_series(user=reader, series=saga)
    mute_user(muter=reader, muted=author)
    with committed():
        add_work_to_series(series=saga, work=make_work(author), user=author)
    assert not InboxItem.objects.exists()


def test_a_series_subscription_names_its_series_and_only_it(reader, saga):
    from django.db import IntegrityError, transaction

    for wrong in (
        {"kind": SubscriptionKind.SERIES},
        {"kind": SubscriptionKind.SERIES, "series": saga, "work": saga.works.get()},
        {"kind": SubscriptionKind.WORK, "series": saga},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Subscription.objects.create(subscriber=reader, **wrong)
    Subscription.objects.create(subscriber=reader, kind=SubscriptionKind.SERIES, series=saga)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(subscriber=reader, kind=SubscriptionKind.SERIES, series=saga)


def test_a_series_subscription_ends_with_the_series(author, reader, saga):
    from ficshelf.series.services import delete_series

    subscribe_to_series(user=reader, series=saga)
    delete_series(series=saga, user=author)
    assert not Subscription.objects.exists()
