"""Comments on chapters and works: threads, replies, edits, deletions, who may comment where,
and how the reading pages and a comment's own page show them."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ficshelf.feedback.models import COMMENT_MAX, THREAD_DEPTH_SHOWN, Comment, CommentStatus
from ficshelf.feedback.services.blocking import block_user, mute_user
from ficshelf.feedback.services.comments import (
    delete_comment,
    edit_comment,
    freeze_thread,
    post_comment,
)
from ficshelf.feedback.threads import THREADS_PER_PAGE
from ficshelf.works.models import Chapter, Work
from tests.factories import make_account, make_work
from tests.feedback.commenting import (
    chapter_comments_url,
    comment_on,
    first_chapter,
    form_data,
    guest_data,
)
from tests.works.pages import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def writer():
    return make_account("writer")


@pytest.fixture
def fan():
    return make_account("fan")


@pytest.fixture
def work(writer):
    return make_work(writer, chapters=2, title="Night Shift")


def _counts(work):
    work = Work.objects.get(pk=work.pk)
    return work.comments_count, Chapter.objects.get(pk=first_chapter(work).pk).comments_count


# --- Posting ----------------------------------------------------------------------------------


def test_a_readers_comment_is_published_counted_and_starts_its_own_thread(work, fan):
    version = work.content_version
    comment = comment_on(work, fan, "Loved it.")
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.thread_id == comment.pk and comment.depth == 0
    assert comment.pseud == fan.default_pseud
    assert comment.text == "<p>Loved it.</p>"
    assert _counts(work) == (1, 1)
    assert Work.objects.get(pk=work.pk).content_version > version


def test_a_reply_joins_its_parents_thread_one_level_deeper(work, fan, writer):
    first = comment_on(work, fan)
    reply = comment_on(work, writer, "Thank you!", parent=first)
    deeper = comment_on(work, fan, "You're welcome.", parent=reply)
    assert (reply.thread_id, reply.depth) == (first.pk, 1)
    assert (deeper.thread_id, deeper.depth, deeper.parent_id) == (first.pk, 2, reply.pk)
    assert _counts(work) == (3, 3)


def test_a_comment_on_the_whole_work_counts_on_the_work_only(work, fan):
    post_comment(work=work, chapter=None, commenter=fan, text="The whole thing!")
    assert _counts(work) == (1, 0)


@pytest.mark.parametrize("text", ["", "   \n\n  ", "<script>alert(1)</script>"])
def test_an_empty_comment_is_refused_and_nothing_is_saved(work, fan, text):
    with pytest.raises(ValidationError) as refused:
        comment_on(work, fan, text, text_format="html")
    assert "Please write something" in str(refused.value)
    assert not Comment.objects.exists()
    assert _counts(work) == (0, 0)


def test_a_comment_may_be_as_long_as_the_limit_and_no_longer(work, fan):
    # A browser sends each line end as CRLF; the limit counts what the reader typed.
    at_limit = ("x" * 98 + "\r\n") * (COMMENT_MAX // 99) + "x" * (COMMENT_MAX % 99)
    assert comment_on(work, fan, at_limit).pk
    with pytest.raises(ValidationError) as refused:
        comment_on(work, fan, "x" * (COMMENT_MAX + 1))
    assert f"at most {COMMENT_MAX:,} characters" in str(refused.value)
    assert Comment.objects.count() == 1


def test_a_guest_comments_with_a_name_and_a_valid_email_that_is_never_shown(work, client):
    comment = comment_on(work, None, guest_name="Nightowl", guest_email="owl@example.org")
    assert comment.by_guest and comment.commenter_name == "Nightowl"
    page = client.get(first_chapter(work).get_absolute_url()).content.decode()
    assert "Nightowl" in page and "owl@example.org" not in page
    for name, email in [("", "owl@example.org"), ("Owl", ""), ("Owl", "not-an-email")]:
        with pytest.raises(ValidationError):
            comment_on(work, None, guest_name=name, guest_email=email)
    assert Comment.objects.count() == 1


def test_a_guest_cannot_comment_on_a_work_for_registered_readers_only(writer, fan):
    work = make_work(writer, comment_permission="registered")
    with pytest.raises(PermissionDenied, match="registered readers"):
        comment_on(work, None)
    assert comment_on(work, fan).pk


def test_nobody_comments_where_comments_are_turned_off(writer, fan):
    work = make_work(writer, comment_permission="off")
    for who in (fan, writer, None):
        with pytest.raises(PermissionDenied, match="turned off"):
            comment_on(work, who)


def test_nobody_comments_on_a_draft_not_even_its_creator(writer, fan):
    draft = make_work(writer, post=False)
    for who in (writer, fan, None):
        with pytest.raises(PermissionDenied):
            comment_on(draft, who)
    assert not Comment.objects.exists()


def test_a_draft_chapter_of_a_posted_work_takes_no_comments(work, writer):
    from ficshelf.works.services import ChapterContent, add_chapter

    draft = add_chapter(
        work=work, editor=writer, content=ChapterContent(text="<p>Soon.</p>"), post=False
    )
    with pytest.raises(PermissionDenied, match="once this is posted"):
        comment_on(work, writer, chapter=draft)


def test_a_guest_cannot_comment_on_a_restricted_work_but_a_reader_can(writer, fan):
    work = make_work(writer, restricted=True)
    with pytest.raises(PermissionDenied, match="Log in"):
        comment_on(work, None)
    assert comment_on(work, fan).pk


def test_a_blocked_reader_cannot_comment_or_reply(work, writer, fan):
    thread = comment_on(work, writer)
    block_user(blocker=writer, blocked=fan)
    with pytest.raises(PermissionDenied, match="blocked"):
        comment_on(work, fan)
    with pytest.raises(PermissionDenied, match="blocked"):
        comment_on(work, fan, parent=thread)


def test_a_reply_to_a_comment_on_another_work_is_refused(work, fan, writer):
    elsewhere = comment_on(make_work(writer, title="Another"), fan)
    with pytest.raises(ValidationError, match="reply to a comment on this page"):
        comment_on(work, fan, parent=elsewhere, chapter=first_chapter(work))
    second = work.chapters.order_by("position")[1]
    on_first = comment_on(work, fan)
    with pytest.raises(ValidationError):
        post_comment(work=work, chapter=second, commenter=fan, text="x", parent=on_first)
    assert Comment.objects.count() == 2


def test_a_deleted_comment_and_a_frozen_thread_take_no_replies(work, fan, writer):
    thread = comment_on(work, fan)
    reply = comment_on(work, writer, parent=thread)
    comment_on(work, fan, parent=reply)
    delete_comment(comment=reply, deleter=writer)  # has a reply: stays as a placeholder
    with pytest.raises(ValidationError, match="deleted"):
        comment_on(work, fan, parent=Comment.objects.get(pk=reply.pk))
    freeze_thread(comment=thread, editor=writer)
    with pytest.raises(ValidationError, match="frozen"):
        comment_on(work, fan, parent=thread)
    assert Comment.objects.count() == 3


def test_a_reader_comments_only_as_one_of_their_own_pseuds(work, fan, writer):
    with pytest.raises(ValidationError, match="own pseuds"):
        comment_on(work, fan, pseud=writer.default_pseud)


# --- Editing and deleting ----------------------------------------------------------------------


def test_the_commenter_edits_their_comment_which_shows_as_edited(work, fan, writer, client):
    comment = comment_on(work, fan, "Typo here.")
    with pytest.raises(PermissionDenied):
        edit_comment(comment=comment, editor=writer, text="Not mine to change.")
    edit_comment(comment=comment, editor=fan, text="No typo here.")
    comment.refresh_from_db()
    assert comment.text == "<p>No typo here.</p>" and comment.edited_at is not None
    page = parse(client.get(first_chapter(work).get_absolute_url()).content)
    shown = page.one(f"li#comment_{comment.pk}")
    assert "No typo here." in shown.text and "Edited" in shown.one("p.edited").text


def test_editing_through_the_page_keeps_plain_text_paragraphs(work, fan, client):
    comment = comment_on(work, fan, "First paragraph.\n\nSecond one.")
    client.force_login(fan)
    form = client.get(f"/comments/{comment.pk}/edit").content.decode()
    assert "First paragraph.\n\nSecond one." in form
    response = client.post(
        f"/comments/{comment.pk}/edit", {"text": "Only one now.", "text_format": "plain"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.text == "<p>Only one now.</p>"


def test_deleting_a_comment_without_replies_removes_it_and_its_count(work, fan):
    comment = comment_on(work, fan)
    delete_comment(comment=comment, deleter=fan)
    assert not Comment.objects.exists()
    assert _counts(work) == (0, 0)


def test_a_deleted_comment_with_replies_leaves_a_placeholder_in_its_thread(work, fan, writer):
    thread = comment_on(work, fan, "Something rude.")
    reply = comment_on(work, writer, "Please be kind.", parent=thread)
    delete_comment(comment=thread, deleter=fan)
    thread.refresh_from_db()
    assert thread.status == CommentStatus.DELETED and thread.text == ""
    assert _counts(work) == (1, 1)
    page = parse(Client().get(first_chapter(work).get_absolute_url()).content)
    assert "(Previous comment deleted.)" in page.one(f"li#comment_{thread.pk}").text
    assert "Please be kind." in page.one(f"li#comment_{reply.pk}").text
    assert "Something rude." not in page.text
    # When its last reply goes, the placeholder goes too.
    delete_comment(comment=reply, deleter=writer)
    assert not Comment.objects.exists()


def test_a_creator_deletes_any_comment_on_their_work_and_nobody_else_can(work, fan, writer):
    comment = comment_on(work, fan)
    with pytest.raises(PermissionDenied):
        delete_comment(comment=comment, deleter=make_account("stranger"))
    delete_comment(comment=comment, deleter=writer)
    assert not Comment.objects.exists()


def test_deleting_through_the_page_asks_first(work, fan, client):
    comment = comment_on(work, fan, "Gone soon.")
    client.force_login(fan)
    assert "Delete this comment?" in client.get(f"/comments/{comment.pk}/delete").content.decode()
    assert client.post(f"/comments/{comment.pk}/delete").status_code == 302
    assert not Comment.objects.exists()
    client.force_login(make_account("stranger"))
    other = comment_on(work, fan)
    assert client.post(f"/comments/{other.pk}/delete").status_code == 403


# --- Pages ----------------------------------------------------------------------------------


def test_the_chapter_page_shows_its_comments_and_a_form_after_the_text(work, fan, client):
    comment_on(work, fan, "So tense!")
    page = parse(client.get(first_chapter(work).get_absolute_url()).content)
    section = page.one("#chapter-1 div.comments")
    assert "So tense!" in section.one("ol.thread li.comment blockquote.userstuff").text
    form = section.one("form.comment-form")
    assert form.attrs["action"] == chapter_comments_url(work)
    assert {e.attrs.get("name") for e in form.select("input")} >= {"guest_name", "guest_email"}
    assert "Mark as critique" in form.text


def test_a_guests_form_has_no_csrf_token_and_a_readers_has_one(work, fan, client):
    url = first_chapter(work).get_absolute_url()
    assert "csrfmiddlewaretoken" not in client.get(url).content.decode()
    client.force_login(fan)
    page = client.get(url).content.decode()
    assert "csrfmiddlewaretoken" in page and 'name="guest_email"' not in page


def test_the_entire_work_shows_comments_after_each_chapter_and_after_the_work(work, fan, client):
    second = work.chapters.order_by("position")[1]
    comment_on(work, fan, "On the first.")
    comment_on(work, fan, "On the second.", chapter=second)
    post_comment(work=work, chapter=None, commenter=fan, text="On all of it.")
    page = parse(client.get(f"/works/{work.pk}?view_full_work=true").content)
    assert "On the first." in page.one("#chapter-1 div.comments").text
    assert "On the second." in page.one("#chapter-2 div.comments").text
    whole = page.one(f"#comments_w{work.pk}")
    assert "On all of it." in whole.text and "On the first." not in whole.text
    assert whole.one("form.comment-form").attrs["action"] == f"/works/{work.pk}/comments"


def test_a_reader_posts_with_the_plain_form_and_lands_on_the_comment(work, fan, client):
    client.force_login(fan)
    response = client.post(chapter_comments_url(work), form_data(text="Posted plainly."))
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url == f"/comments/{comment.pk}#comment_{comment.pk}"
    page = client.get(response.url).content.decode()
    assert "Posted plainly." in page and "Your comment was posted." in page


def test_a_reply_posted_with_htmx_comes_back_as_a_fragment_for_its_thread(work, fan, writer):
    thread = comment_on(work, fan, "Will there be more?")
    client = Client()
    client.force_login(writer)
    form = client.get(f"/comments/{thread.pk}/reply", headers={"HX-Request": "true"})
    assert form.status_code == 200 and b"<html" not in form.content
    assert f'name="parent_id" value="{thread.pk}"'.encode() in form.content
    response = client.post(
        chapter_comments_url(work),
        form_data(text="Yes, soon!", parent_id=thread.pk),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    reply = Comment.objects.get(parent=thread)
    assert f'hx-swap-oob="beforeend:#replies_{thread.pk}"' in fragment
    assert f'id="comment_{reply.pk}"' in fragment and "Yes, soon!" in fragment
    assert "Your comment was posted." in fragment


def test_a_new_comment_posted_with_htmx_comes_back_with_a_fresh_form(work, fan):
    client = Client()
    response = client.post(
        chapter_comments_url(work), guest_data(text="Hi!"), headers={"HX-Request": "true"}
    )
    fragment = response.content.decode()
    chapter = first_chapter(work)
    assert f'hx-swap-oob="beforeend:#threads_c{chapter.pk}"' in fragment
    assert 'class="comment-form"' in fragment and "Hi!" in fragment


def test_a_reply_without_javascript_has_its_own_page(work, fan, writer, client):
    thread = comment_on(work, fan, "Question?")
    client.force_login(writer)
    page = client.get(f"/comments/{thread.pk}/reply").content.decode()
    assert "Question?" in page and "Post reply" in page
    response = client.post(
        chapter_comments_url(work), form_data(text="Answer.", parent_id=thread.pk)
    )
    reply = Comment.objects.get(parent=thread)
    assert response.url == f"/comments/{thread.pk}#comment_{reply.pk}"


def test_a_forged_parent_from_another_work_is_refused_with_a_message(work, fan, writer, client):
    elsewhere = comment_on(make_work(writer, title="Other"), fan)
    client.force_login(fan)
    response = client.post(chapter_comments_url(work), form_data(parent_id=elsewhere.pk))
    assert response.status_code == 400
    assert "reply to a comment on this page" in response.content.decode()
    assert Comment.objects.count() == 1


def test_an_empty_or_over_long_comment_is_shown_again_with_a_message(work, fan, client):
    client.force_login(fan)
    empty = client.post(chapter_comments_url(work), form_data(text="  "))
    assert empty.status_code == 400 and "Please write something" in empty.content.decode()
    long = client.post(chapter_comments_url(work), form_data(text="y" * (COMMENT_MAX + 5)))
    assert long.status_code == 400 and "10,005 characters long" in long.content.decode()
    assert not Comment.objects.exists()


def test_the_reasons_there_is_no_form_are_said(writer, fan, client):
    off = make_work(writer, comment_permission="off", title="Quiet")
    page = client.get(first_chapter(off).get_absolute_url()).content.decode()
    assert "Comments are turned off on this work." in page and "comment-form" not in page
    registered = make_work(writer, comment_permission="registered", title="Members")
    page = parse(client.get(first_chapter(registered).get_absolute_url()).content)
    closed = page.one("p.comments-closed")
    assert "Only registered readers" in closed.text and closed.one("a").text == "Log in"
    block_user(blocker=writer, blocked=fan)
    client.force_login(fan)
    page = client.get(first_chapter(registered).get_absolute_url()).content.decode()
    assert "blocked you" in page and "comment-form" not in page


def test_a_guest_can_neither_see_nor_post_comments_on_a_restricted_work(writer, fan, client):
    work = make_work(writer, restricted=True)
    comment = comment_on(work, fan, "Members only.")
    assert client.get(chapter_comments_url(work)).status_code == 403
    assert client.get(f"/comments/{comment.pk}").status_code == 403
    response = client.post(chapter_comments_url(work), guest_data())
    assert response.status_code == 403
    assert b"Members only." not in client.get(f"/comments/{comment.pk}").content
    assert Comment.objects.count() == 1


def test_the_comments_of_a_draft_are_not_found_by_others(writer, client):
    draft = make_work(writer, post=False)
    assert client.get(chapter_comments_url(draft)).status_code == 404
    client.force_login(make_account("stranger"))
    assert client.post(chapter_comments_url(draft), form_data()).status_code == 404


def test_a_guests_cached_page_shows_a_new_comment_on_the_next_fetch(work, fan):
    guest = Client()
    url = first_chapter(work).get_absolute_url()
    assert b"Fresh news" not in guest.get(url).content
    assert guest.get(url).status_code == 200  # from the cache now
    comment_on(work, fan, "Fresh news")
    assert b"Fresh news" in guest.get(url).content
    thread = Comment.objects.get()
    edit_comment(comment=thread, editor=fan, text="Edited news")
    assert b"Edited news" in guest.get(url).content
    delete_comment(comment=thread, deleter=fan)
    assert b"Edited news" not in guest.get(url).content


def test_threads_deeper_than_shown_continue_on_their_own_page(work, fan, writer, client):
    parent = thread = comment_on(work, fan, "Level 0")
    chain = [thread]
    for level in range(1, THREAD_DEPTH_SHOWN + 2):
        parent = comment_on(work, writer if level % 2 else fan, f"Level {level}", parent=parent)
        chain.append(parent)
    page = parse(client.get(first_chapter(work).get_absolute_url()).content)
    deepest_shown = chain[THREAD_DEPTH_SHOWN - 1]
    assert page.select(f"li#comment_{deepest_shown.pk}")
    assert not page.select(f"li#comment_{chain[THREAD_DEPTH_SHOWN].pk}")
    link = page.one(f"li#comment_{deepest_shown.pk} > p.continue-thread a")
    assert link.attrs["href"] == f"/comments/{deepest_shown.pk}"
    deeper = client.get(link.attrs["href"]).content.decode()
    assert f"Level {THREAD_DEPTH_SHOWN}" in deeper and f"Level {THREAD_DEPTH_SHOWN + 1}" in deeper


def test_busy_chapters_show_a_page_of_threads_and_link_to_the_next(work, fan, client):
    for number in range(THREADS_PER_PAGE + 1):
        comment_on(work, fan, f"Thread number {number}.")
    page = parse(client.get(first_chapter(work).get_absolute_url()).content)
    section = page.one("#chapter-1 div.comments")
    assert len(section.select(f"ol#threads_c{first_chapter(work).pk} > li.comment")) == 20
    more = section.one("p.more-comments a").attrs["href"]
    assert more == chapter_comments_url(work) + "?page=2"
    second = client.get(more).content.decode()
    assert f"Thread number {THREADS_PER_PAGE}." in second and "Thread number 0." not in second
    assert "Page 2 of 2" in second


def test_critique_is_filtered_on_the_works_comments_and_welcomed_where_asked(writer, fan, client):
    work = make_work(writer, critique_welcome=True)
    comment_on(work, fan, "The pacing drags in the middle.", is_critique=True)
    comment_on(work, fan, "Yay!")
    page = client.get(first_chapter(work).get_absolute_url()).content.decode()
    assert "The author welcomes critique" in page
    critique = parse(client.get(f"/works/{work.pk}/comments?critique=1").content)
    assert "The pacing drags" in critique.text and "Yay!" not in critique.text
    assert critique.one("li.comment.critique span.label.critique").text == "Critique"
    everything = client.get(f"/works/{work.pk}/comments").content.decode()
    assert "Yay!" in everything and "The pacing drags" in everything


def test_a_muted_readers_comments_are_hidden_from_the_muter_only(work, fan, writer, client):
    loud = make_account("loud")
    comment_on(work, loud, "SHOUTING")
    mute_user(muter=fan, muted=loud)
    client.force_login(fan)
    assert b"SHOUTING" not in client.get(first_chapter(work).get_absolute_url()).content
    client.force_login(writer)
    assert b"SHOUTING" in client.get(first_chapter(work).get_absolute_url()).content


def test_a_comments_permanent_link_shows_it_with_its_replies(work, fan, writer, client):
    thread = comment_on(work, fan, "Start.")
    reply = comment_on(work, writer, "Reply.", parent=thread)
    assert thread.get_absolute_url() == f"/comments/{thread.pk}"
    page = parse(client.get(thread.get_absolute_url()).content)
    assert "Reply." in page.one(f"li#comment_{thread.pk} li#comment_{reply.pk}").text
    on_reply = client.get(reply.get_absolute_url()).content.decode()
    assert f'href="/comments/{thread.pk}#comment_{reply.pk}"' in on_reply
    assert client.get("/comments/999999").status_code == 404


# --- Query counts -------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["guest", "reader", "creator"])
def test_a_reading_page_makes_as_many_queries_for_one_comment_as_for_many(viewer):
    counts = []
    for name, threads in [("few", 1), ("many", 25)]:
        author = make_account(f"{name}author")
        work = make_work(author, chapters=3, title=name)
        commenter = make_account(f"{name}fan")
        for number in range(threads):
            thread = comment_on(work, commenter if number % 2 else None, f"T{number}")
            comment_on(work, author, "Thanks", parent=thread)
        client = Client()
        if viewer != "guest":
            client.force_login(author if viewer == "creator" else make_account(f"{name}r"))
        counts.append(
            (
                _queries(client, first_chapter(work).get_absolute_url()),
                _queries(client, f"/works/{work.pk}?view_full_work=true"),
                _queries(client, chapter_comments_url(work)),
                _queries(client, f"/comments/{thread.pk}"),
            )
        )
    assert counts[0] == counts[1]
