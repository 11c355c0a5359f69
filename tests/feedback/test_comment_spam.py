"""Spam and hostile input on comment forms: rate limits (429 with Retry-After), the honeypot,
the minimum fill time, guests' link limit, CSRF for accounts, and comment HTML that comes out
as clean as chapter text does."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ficshelf.feedback.forms import form_stamp
from ficshelf.feedback.models import Comment
from tests.factories import make_account, make_work
from tests.feedback.commenting import chapter_comments_url, comment_on, form_data, guest_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def writer():
    return make_account("writer")


@pytest.fixture
def work(writer):
    return make_work(writer)


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _seasoned(name: str):
    """An account older than a week with a posted work."""
    user = make_account(name)
    type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=30))
    user.refresh_from_db()
    make_work(user, title=f"{name}'s work")
    return user


# --- Rate limits -------------------------------------------------------------------------------


def test_a_new_account_posts_three_comments_in_fifteen_minutes_then_waits(work):
    client = _logged_in(make_account("newcomer"))
    for number in range(3):
        response = client.post(chapter_comments_url(work), form_data(text=f"Comment {number}"))
        assert response.status_code == 302
    refused = client.post(chapter_comments_url(work), form_data(text="Comment 3"))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    page = refused.content.decode()
    assert "You have posted 3 comments in the last 15 minutes" in page
    assert "Comment 3" in page  # the text is still in the form
    assert Comment.objects.count() == 3


def test_a_guest_is_limited_to_two_comments_by_their_address(work):
    guest = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        assert guest.post(chapter_comments_url(work), guest_data()).status_code == 302
    refused = guest.post(chapter_comments_url(work), guest_data())
    assert refused.status_code == 429 and refused.has_header("Retry-After")
    # Another address is another guest.
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert other.post(chapter_comments_url(work), guest_data()).status_code == 302


def test_the_limit_answers_htmx_with_the_form_and_429(work):
    client = _logged_in(make_account("quick"))
    for _ in range(3):
        client.post(chapter_comments_url(work), form_data())
    refused = client.post(chapter_comments_url(work), form_data(), headers={"HX-Request": "true"})
    assert refused.status_code == 429 and refused.has_header("Retry-After")
    assert b'class="comment-form"' in refused.content and b"<html" not in refused.content


def test_an_established_account_may_post_more(work):
    client = _logged_in(_seasoned("regular"))
    for number in range(5):
        assert client.post(chapter_comments_url(work), form_data()).status_code == 302, number


def test_a_creator_answering_on_their_own_work_is_not_limited(work, writer):
    thread = comment_on(work, make_account("fan"))
    client = _logged_in(writer)
    for _ in range(5):
        response = client.post(chapter_comments_url(work), form_data(parent_id=thread.pk))
        assert response.status_code == 302


def test_an_invalid_form_does_not_use_up_the_limit(work):
    client = _logged_in(make_account("typo"))
    for _ in range(5):
        assert client.post(chapter_comments_url(work), form_data(text="")).status_code == 400
    assert client.post(chapter_comments_url(work), form_data()).status_code == 302


# --- Honeypot, fill time, links ------------------------------------------------------------


def test_a_form_with_the_honeypot_filled_in_is_refused(work):
    response = Client().post(chapter_comments_url(work), guest_data(subject="Cheap pills"))
    assert response.status_code == 400
    assert b"sent by a program" in response.content
    assert not Comment.objects.exists()


def test_the_honeypot_is_hidden_by_the_stylesheet_not_an_inline_style(work):
    page = Client().get(work.get_absolute_url()).content.decode()
    assert 'class="comment-trap" aria-hidden="true"' in page
    assert 'name="subject"' in page and "style=" not in page


def test_a_form_sent_back_too_fast_is_refused_and_can_be_sent_again(work):
    data = guest_data(rendered=form_stamp(time.time() - 1))
    response = Client().post(chapter_comments_url(work), data)
    assert response.status_code == 400 and b"That was very quick!" in response.content
    assert not Comment.objects.exists()
    # The form comes back with the same stamp: sent again a little later, it goes through.
    assert data["rendered"] in response.content.decode()
    later = guest_data(rendered=form_stamp(time.time() - 5))
    assert Client().post(chapter_comments_url(work), later).status_code == 302


@pytest.mark.parametrize("stamp", [None, "", "forged:stamp", form_stamp(time.time() - 8 * 86400)])
def test_a_form_without_a_good_stamp_is_refused(work, stamp):
    response = Client().post(chapter_comments_url(work), guest_data(rendered=stamp))
    assert response.status_code == 400 and b"out of date" in response.content
    assert not Comment.objects.exists()


def test_a_guest_may_include_two_links_but_not_three(work):
    two = "See https://example.org/a and www.example.org/b"
    assert (
        Client(REMOTE_ADDR="198.51.100.1")
        .post(chapter_comments_url(work), guest_data(text=two))
        .status_code
        == 302
    )
    three = two + " and http://example.net/c"
    response = Client(REMOTE_ADDR="198.51.100.2").post(
        chapter_comments_url(work), guest_data(text=three)
    )
    assert response.status_code == 400 and b"at most 2 links" in response.content
    assert Comment.objects.count() == 1


def test_a_reader_may_include_more_links(work):
    text = " ".join(f"https://example.org/{n}" for n in range(5))
    response = _logged_in(make_account("linker")).post(
        chapter_comments_url(work), form_data(text=text)
    )
    assert response.status_code == 302


# --- CSRF ------------------------------------------------------------------------------------


def test_a_logged_in_post_without_a_csrf_token_is_refused_and_a_guests_is_not(work):
    reader = Client(enforce_csrf_checks=True)
    reader.force_login(make_account("victim"))
    assert reader.post(chapter_comments_url(work), form_data()).status_code == 403
    guest = Client(enforce_csrf_checks=True)
    assert guest.post(chapter_comments_url(work), guest_data()).status_code == 302
    assert Comment.objects.get().by_guest


# --- Hostile HTML ------------------------------------------------------------------------------

HOSTILE = [
    ('<p>Hi<script>alert("x")</script></p>', ["<script", "alert("]),
    ('<p><img src="x.png" onerror="alert(1)">Hi</p>', ["onerror"]),
    ('<p><a href="javascript:alert(1)">Click</a></p>', ["javascript:"]),
    ('<p onclick="steal()" style="position:fixed">Hi</p>', ["onclick", "style="]),
    ('<iframe src="https://evil.example"></iframe><p>Hi</p>', ["<iframe"]),
    ('<p><a href="data:text/html,<script>alert(1)</script>">x</a>Hi</p>', ["data:", "<script"]),
    ("<svg><script>alert(1)</script></svg><p>Hi</p>", ["<svg", "<script"]),
    ('<form action="https://evil.example"><input name="password"></form><p>Hi</p>', ["<form"]),
]


@pytest.mark.parametrize(("text", "forbidden"), HOSTILE)
def test_hostile_comment_html_comes_out_clean(work, text, forbidden):
    comment = comment_on(work, make_account("hostile"), text, text_format="html")
    stored = Comment.objects.get(pk=comment.pk).text
    page = Client().get(work.get_absolute_url()).content.decode()
    shown = page[page.index(f'id="comment_{comment.pk}"') :]
    shown = shown[: shown.index("</blockquote>")]
    for bad in forbidden:
        assert bad not in stored.lower() and bad not in shown.lower()
    assert "Hi" in stored or "Click" in stored or "x" in stored


def test_plain_text_comments_show_markup_as_text(work):
    comment = comment_on(work, make_account("plain"), '<script>alert("x")</script> <b>bold</b>')
    assert "<script" not in comment.text and "&lt;b&gt;bold&lt;/b&gt;" in comment.text


def test_a_guests_name_is_escaped_on_the_page(work):
    comment_on(work, None, "Hello", guest_name='<img src=x onerror="alert(1)">')
    page = Client().get(work.get_absolute_url()).content.decode()
    assert "&lt;img src=x onerror=" in page and "<img src=x" not in page
