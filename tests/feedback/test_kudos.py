"""Kudos on a work and on each of its chapters: once per account or guest per target, never
from a creator, a blocked reader, on a draft or on what the giver may not read."""

import threading

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ficshelf.feedback.models import Kudos
from ficshelf.feedback.services.blocking import block_user
from ficshelf.feedback.services.kudos import give_kudos, guest_key_for
from ficshelf.works.models import Chapter, Work
from ficshelf.works.services import ChapterContent, add_chapter
from tests.factories import make_account, make_work
from tests.works.pages import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def work(author):
    return make_work(author, chapters=2, title="Night Shift")


def _chapters(work) -> list[Chapter]:
    return list(work.chapters.order_by("position"))


def _fresh(work) -> Work:
    return Work.objects.get(pk=work.pk)


def _kudos_url(work, chapter=None) -> str:
    if chapter is None:
        return f"/works/{work.pk}/kudos"
    return f"/works/{work.pk}/chapters/{chapter.pk}/kudos"


def _refused(code: str, **kwargs) -> None:
    with pytest.raises(ValidationError) as refused:
        give_kudos(**kwargs)
    assert refused.value.code == code


# --- The service ------------------------------------------------------------------------------


def test_kudos_on_the_work_and_on_a_chapter_are_counted_apart(work, reader):
    first, second = _chapters(work)
    give_kudos(work=work, giver=reader)
    give_kudos(work=work, chapter=first, giver=reader)
    assert _fresh(work).kudos_count == 1
    assert Chapter.objects.get(pk=first.pk).kudos_count == 1
    assert Chapter.objects.get(pk=second.pk).kudos_count == 0
    assert Kudos.objects.filter(work=work, user=reader).count() == 2


def test_kudos_move_the_works_version_so_cached_pages_are_never_stale(work, reader):
    before = _fresh(work).content_version
    give_kudos(work=work, giver=reader)
    assert _fresh(work).content_version == before + 1


def test_an_account_cannot_leave_kudos_twice_on_one_target(work, reader):
    first, _ = _chapters(work)
    give_kudos(work=work, giver=reader)
    give_kudos(work=work, chapter=first, giver=reader)
    _refused("twice", work=work, giver=reader)
    _refused("twice", work=work, chapter=first, giver=reader)
    assert _fresh(work).kudos_count == 1
    assert Chapter.objects.get(pk=first.pk).kudos_count == 1


def test_a_guest_cannot_leave_kudos_twice_on_one_target(work):
    key = guest_key_for(ip="203.0.113.9", session_key="a-session")
    give_kudos(work=work, giver=None, guest_key=key)
    _refused("twice", work=work, giver=None, guest_key=key)
    other = guest_key_for(ip="203.0.113.9", session_key="another-session")
    give_kudos(work=work, giver=None, guest_key=other)
    assert _fresh(work).kudos_count == 2


def test_a_guest_key_keeps_no_ip_address():
    key = guest_key_for(ip="203.0.113.9", session_key="a-session")
    assert len(key) == 64 and "203.0.113.9" not in key
    assert key == guest_key_for(ip="203.0.113.9", session_key="a-session")
    assert key != guest_key_for(ip="203.0.113.10", session_key="a-session")


def test_a_creator_cannot_leave_kudos_on_their_own_work(work, author):
    _refused("own_work", work=work, giver=author)
    _refused("own_work", work=work, chapter=_chapters(work)[0], giver=author)
    assert _fresh(work).kudos_count == 0


def test_a_reader_the_creator_blocked_cannot_leave_kudos(work, author, reader):
    block_user(blocker=author, blocked=reader)
    _refused("blocked", work=work, giver=reader)
    _refused("blocked", work=work, chapter=_chapters(work)[0], giver=reader)
    assert not Kudos.objects.exists()


def test_kudos_on_a_chapter_of_another_work_are_refused(work, author, reader):
    other = make_work(author, title="Other")
    _refused("wrong_chapter", work=work, chapter=other.chapters.get(), giver=reader)
    assert not Kudos.objects.exists()


def test_nobody_leaves_kudos_on_a_draft(author, reader):
    draft = make_work(author, post=False)
    _refused("unreadable", work=draft, giver=reader)
    key = guest_key_for(ip="203.0.113.9", session_key="s")
    _refused("unreadable", work=draft, giver=None, guest_key=key)


def test_nobody_leaves_kudos_on_a_draft_chapter(work, author, reader):
    draft_chapter = add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>Soon.</p>"), post=False
    )
    _refused("unreadable", work=work, chapter=draft_chapter, giver=reader)


def test_a_guest_cannot_leave_kudos_on_a_restricted_work(author, reader):
    restricted = make_work(author, restricted=True)
    key = guest_key_for(ip="203.0.113.9", session_key="s")
    _refused("unreadable", work=restricted, giver=None, guest_key=key)
    give_kudos(work=restricted, giver=reader)
    assert _fresh(restricted).kudos_count == 1


# --- Two readers at once ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_kudos_wait_for_each_other_and_both_count():
    """Two readers on two connections: the second waits for the first's lock on the work
    instead of racing it, and the count is right."""
    author = make_account("author")
    alice, bob = make_account("alice"), make_account("bob")
    work = make_work(author)
    inside, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold(sender, instance, created, **kwargs):
        if threading.current_thread().name == "first":
            inside.set()
            release.wait(10)

    def run(giver):
        def body():
            try:
                give_kudos(work=Work.objects.get(pk=work.pk), giver=giver)
            except BaseException as error:  # reported by the main thread
                errors.append(error)
            finally:
                connection.close()

        return body

    post_save.connect(hold, sender=Kudos)
    try:
        first = threading.Thread(target=run(alice), name="first")
        first.start()
        assert inside.wait(10)
        second = threading.Thread(target=run(bob), name="second")
        second.start()
        second.join(0.5)
        assert second.is_alive()  # waiting for the work's row lock
        release.set()
        first.join(20)
        second.join(20)
    finally:
        release.set()
        post_save.disconnect(hold, sender=Kudos)
    assert not errors, errors
    assert Work.objects.get(pk=work.pk).kudos_count == 2
    assert Kudos.objects.filter(work=work).count() == 2


# --- The pages --------------------------------------------------------------------------------


def test_a_reader_leaves_kudos_from_the_chapter_and_the_work_and_sees_them(client, work, reader):
    first, _ = _chapters(work)
    client.force_login(reader)
    response = client.post(_kudos_url(work, first), {"next": f"/works/{work.pk}"})
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}#kudos_chapter_{first.pk}"
    response = client.post(_kudos_url(work), {"next": f"/works/{work.pk}"}, follow=True)
    page = parse(response.content)
    assert "Thank you for leaving kudos!" in page.one("div.flash-messages").text
    chapter_section = page.one(f"#kudos_chapter_{first.pk}")
    assert "1 kudos" in chapter_section.text
    assert "You left kudos on this chapter." in chapter_section.text
    assert not chapter_section.select("button")
    work_section = page.one("#kudos")
    assert "You left kudos on this work." in work_section.text
    assert work_section.one("p.kudos").text == "reader left kudos on this work!"
    assert work_section.one("p.kudos a").attrs["href"] == "/users/reader"


def test_kudos_twice_from_the_page_says_so_and_changes_nothing(client, work, reader):
    client.force_login(reader)
    client.post(_kudos_url(work))
    response = client.post(_kudos_url(work), follow=True)
    assert response.status_code == 200
    assert "You have already left kudos here." in response.content.decode()
    assert _fresh(work).kudos_count == 1


def test_a_guest_leaves_kudos_once_and_is_counted_as_a_guest(client, work):
    response = client.post(_kudos_url(work))
    assert response.status_code == 302
    assert client.cookies.get("sessionid")  # the kudos view started the guest's session
    again = client.post(_kudos_url(work), follow=True)
    assert "You have already left kudos here." in again.content.decode()
    Client().post(_kudos_url(work))  # another guest, another session
    assert _fresh(work).kudos_count == 2
    keys = set(Kudos.objects.values_list("guest_key", flat=True))
    assert len(keys) == 2 and all(len(key) == 64 for key in keys)
    page = parse(Client().get(f"/works/{work.pk}").content)
    assert page.one("#kudos p.kudos").text == "2 guests left kudos on this work!"


def test_givers_are_listed_by_name_then_guests(client, author, work):
    for name in ("alice", "bob"):
        give_kudos(work=work, giver=make_account(name))
    give_kudos(work=work, giver=None, guest_key=guest_key_for(ip="1", session_key="g"))
    page = parse(client.get(f"/works/{work.pk}").content)
    assert page.one("#kudos p.kudos").text == "bob, alice and 1 guest left kudos on this work!"


def test_the_kudos_list_costs_the_same_queries_for_two_kudos_as_for_sixty(client, author, reader):
    client.force_login(reader)

    def queries_for(givers: int) -> int:
        work = make_work(author)
        for number in range(givers):
            give_kudos(work=work, giver=make_account(f"giver{givers}x{number}"))
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/works/{work.pk}")
        assert response.status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(60)
    page = parse(client.get(f"/works/{Work.objects.latest('pk').pk}").content)
    assert page.one("#kudos p.kudos").text.endswith(" and 10 more users left kudos on this work!")


def test_a_guests_page_has_kudos_buttons_and_no_csrf_token(client, work):
    response = client.get(f"/works/{work.pk}?view_full_work=true")
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    page = parse(html)
    buttons = [button.text for button in page.select("form.kudos-form button")]
    assert buttons == ["Kudos for this chapter ♥"] * 2 + ["Kudos for this work ♥"]
    assert page.one("#kudos form input").attrs["value"] == f"/works/{work.pk}?view_full_work=true"


def test_a_logged_in_kudos_post_needs_its_csrf_token(work, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post(_kudos_url(work)).status_code == 403
    assert not Kudos.objects.exists()
    guest = Client(enforce_csrf_checks=True)
    assert guest.post(_kudos_url(work)).status_code == 302
    assert Kudos.objects.count() == 1


def test_the_creator_sees_the_counts_and_no_kudos_button(author_client, work):
    page = parse(author_client.get(f"/works/{work.pk}").content)
    assert page.one("#kudos")
    assert not page.select("form.kudos-form")


def test_a_blocked_reader_finds_no_kudos_button_and_is_refused(client, work, author, reader):
    block_user(blocker=author, blocked=reader)
    client.force_login(reader)
    page = parse(client.get(f"/works/{work.pk}").content)
    assert not page.select("form.kudos-form")
    response = client.post(_kudos_url(work), follow=True)
    assert "you have been blocked" in response.content.decode()
    assert not Kudos.objects.exists()


def test_kudos_urls_for_what_the_viewer_may_not_read_are_not_found(client, work, author, reader):
    draft = make_work(author, post=False)
    restricted = make_work(author, restricted=True)
    other = make_work(author)
    assert client.post(_kudos_url(draft)).status_code == 404
    assert client.post(_kudos_url(restricted)).status_code == 404
    assert client.post(_kudos_url(restricted, restricted.chapters.get())).status_code == 404
    assert client.post(_kudos_url(work, other.chapters.get())).status_code == 404
    assert client.post("/works/999999/kudos").status_code == 404
    assert client.get(_kudos_url(work)).status_code == 405
    client.force_login(reader)
    assert client.post(_kudos_url(draft)).status_code == 404
    assert client.post(_kudos_url(restricted)).status_code == 302
    assert not Kudos.objects.exclude(work=restricted).exists()


def test_an_unsafe_next_address_is_ignored(client, work):
    response = client.post(_kudos_url(work), {"next": "https://evil.example/"})
    assert response["Location"] == f"/works/{work.pk}#kudos"


def test_with_htmx_the_section_comes_back_in_place(client, work, reader):
    first, _ = _chapters(work)
    client.force_login(reader)
    response = client.post(_kudos_url(work, first), headers={"HX-Request": "true"})
    assert response.status_code == 200
    section = parse(response.content).one(f"#kudos_chapter_{first.pk}")
    assert "1 kudos" in section.text and "Thank you for leaving kudos!" in section.text
    response = client.post(_kudos_url(work), headers={"HX-Request": "true"})
    assert parse(response.content).one("#kudos p.kudos").text == "reader left kudos on this work!"


def test_with_htmx_a_guest_who_left_kudos_sees_no_button_in_the_answer(client, work):
    response = client.post(_kudos_url(work), headers={"HX-Request": "true"})
    section = parse(response.content).one("#kudos")
    assert "You left kudos on this work." in section.text and not section.select("form")
    assert "csrfmiddlewaretoken" not in response.content.decode()


# --- Guests' cached pages ---------------------------------------------------------------------


def test_a_guests_cached_page_shows_new_kudos_on_the_next_read(work):
    first, _ = _chapters(work)
    url = f"/works/{work.pk}"
    guest = Client()
    assert not parse(guest.get(url).content).select("dd.kudos")
    cached = guest.get(url)
    assert cached.status_code == 200 and not cached.templates  # from the page cache
    giver = Client()
    giver.post(_kudos_url(work))
    giver.post(_kudos_url(work, first))
    page = parse(guest.get(url).content)
    assert page.one("dd.kudos").text == "1"
    assert "1 kudos" in page.one(f"#kudos_chapter_{first.pk}").text
    assert page.one("#kudos p.kudos").text == "1 guest left kudos on this work!"
    chapter_page = parse(guest.get(f"/works/{work.pk}/chapters/{first.pk}").content)
    assert "1 kudos" in chapter_page.one(f"#kudos_chapter_{first.pk}").text
