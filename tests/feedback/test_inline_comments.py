"""Inline comments on a paragraph or a passage: the paragraph's page, the chapter's markers,
the reader's setting, and what happens to them when the author edits the chapter."""

import re
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ficshelf.feedback.anchors import Anchor
from ficshelf.feedback.forms import form_stamp
from ficshelf.feedback.inline import decorate
from ficshelf.feedback.models import AnchorState, Comment
from ficshelf.feedback.receivers import reanchor_inline_comments
from ficshelf.feedback.services.comments import post_comment
from ficshelf.userstuff.paragraphs import paragraphs_of
from ficshelf.works.services import ChapterContent, edit_chapter
from tests.factories import make_account, make_user, make_work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

FIRST = "The gunshots rang loud and clear in the mid November air, biting and cold."
SECOND = "They scattered in an instant, abandoning their diner in favor of the alley."
THIRD = "Her hand found his wrist again. Be careful, she said."
TEXT = f"<p>{FIRST}</p><p>{SECOND}</p><p>{THIRD}</p>"


@pytest.fixture
def writer(db):
    return make_user("writer")


@pytest.fixture
def work(writer):
    return make_work(writer, text=TEXT, title="Traitor")


def _chapter(work):
    return work.chapters.get()


def _paragraph_ids(chapter) -> list[int]:
    chapter.refresh_from_db()
    return [int(p.id) for p in paragraphs_of(chapter.text)]


def _url(work, paragraph_id: int) -> str:
    return f"/works/{work.pk}/chapters/{_chapter(work).pk}/paragraphs/{paragraph_id}/comments"


def _comment(
    client, work, paragraph_id: int, *, quote="", start=None, end=None, guest=True, **extra
):
    data = {
        "paragraph_id": paragraph_id,
        "quote": quote,
        "selected_quote": quote,
        "quote_start": "" if start is None else start,
        "quote_end": "" if end is None else end,
        "text": extra.pop("text", "Lovely line."),
        "text_format": "plain",
        # Rendered long enough ago to pass the minimum fill time.
        "rendered": form_stamp(time.time() - 60),
        **extra,
    }
    if guest:
        data.setdefault("guest_name", "Passing reader")
        data.setdefault("guest_email", "passing@example.org")
    return client.post(_url(work, paragraph_id), data)


def _inline(work, paragraph_id: int, commenter, text="Noted."):
    """An inline comment on a whole paragraph, through the comments service."""
    return post_comment(
        work=work,
        chapter=_chapter(work),
        commenter=commenter,
        text=text,
        anchor=Anchor(paragraph_id),
    )


def _markers(html: str) -> dict[str, str]:
    """{paragraph id: the count its marker shows} on a chapter's page."""
    return dict(
        re.findall(
            r'id="c\d+-p(\d+)"><a class="inline-comment-marker"[^>]*data-count="(\d+)"', html
        )
    )


# --- Posting through the paragraph's page -------------------------------------------------


def test_a_guest_comments_on_a_passage_and_sees_it_on_the_paragraphs_page(client, work):
    first = _paragraph_ids(_chapter(work))[0]
    start = FIRST.index("mid November")

    response = _comment(client, work, first, quote="mid November air", start=start, end=start + 16)

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{_url(work, first)}#comment_{comment.pk}"
    assert (comment.paragraph_id, comment.current_paragraph_id) == (first, first)
    assert (comment.quote, comment.quote_start, comment.quote_end) == (
        "mid November air",
        start,
        start + 16,
    )
    assert comment.anchor_state == AnchorState.ON_PARAGRAPH
    assert comment.anchored_revision == _chapter(work).revision
    page = client.get(_url(work, first)).content.decode()
    assert "Lovely line." in page and "mid November air" in page and FIRST in page


def test_a_reader_comments_on_a_whole_paragraph_with_the_forms_csrf_token(work):
    reader = make_account("wholepara")
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    second = _paragraph_ids(_chapter(work))[1]
    page = client.get(_url(work, second))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token, "a reader's form carries a CSRF token"

    forged = _comment(client, work, second, guest=False)
    assert forged.status_code == 403
    posted = _comment(client, work, second, guest=False, csrfmiddlewaretoken=token.group(1))

    assert posted.status_code == 302
    comment = Comment.objects.get()
    assert comment.user == reader and comment.paragraph_id == second
    assert comment.quote_start is None and SECOND.startswith(comment.quote)


def test_a_guests_paragraph_page_has_no_csrf_token(client, work):
    page = client.get(_url(work, _paragraph_ids(_chapter(work))[0])).content.decode()
    assert "csrfmiddlewaretoken" not in page


def test_a_trimmed_quote_keeps_its_place_in_the_selection(client, work):
    first = _paragraph_ids(_chapter(work))[0]
    start = FIRST.index("mid November air")
    response = _comment(
        client,
        work,
        first,
        quote="November",
        selected_quote="mid November air",
        start=start,
        end=start + 16,
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.quote, comment.quote_start) == ("November", start + 4)


@pytest.mark.parametrize(
    ("case", "fields", "message"),
    [
        ("a paragraph id that never existed", {"paragraph": 999}, "not in this chapter"),
        ("a hidden paragraph id for another paragraph", {"paragraph_id": 2}, "another paragraph"),
        ("a quote not at its offsets", {"quote": "biting", "start": 0, "end": 6}, "not at that"),
        ("a quote from elsewhere", {"quote": "Be careful"}, "not in this paragraph"),
        ("a quote too long", {"quote": "x" * 1001}, "at most"),
    ],
)
def test_a_forged_anchor_is_refused_with_a_clear_message(client, work, case, fields, message):
    first = _paragraph_ids(_chapter(work))[0]
    paragraph = fields.pop("paragraph", first)
    url_paragraph = paragraph
    data = {"quote": fields.pop("quote", ""), "start": fields.pop("start", None)}
    data["end"] = fields.pop("end", None)
    response = client.post(
        _url(work, url_paragraph),
        {
            "paragraph_id": fields.get("paragraph_id", paragraph),
            "quote": data["quote"],
            "selected_quote": data["quote"],
            "quote_start": "" if data["start"] is None else data["start"],
            "quote_end": "" if data["end"] is None else data["end"],
            "text": "Forged.",
            "text_format": "plain",
            "rendered": form_stamp(time.time() - 60),
            "guest_name": "Forger",
            "guest_email": "forger@example.org",
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_a_stale_paragraph_is_refused_after_the_author_edits_it_away(client, work, writer):
    first = _paragraph_ids(_chapter(work))[0]
    edit_chapter(
        chapter=_chapter(work),
        editor=writer,
        content=ChapterContent(text=f"<p>Nothing like before at all.</p><p>{SECOND}</p>"),
    )
    response = _comment(client, work, first)
    assert response.status_code == 400
    assert "changed since you opened" in response.content.decode()
    assert client.get(_url(work, first)).status_code == 404


# --- Who may see the paragraph's page -------------------------------------------------------


def test_a_drafts_paragraphs_are_not_found_but_by_its_creators(client, writer):
    draft = make_work(writer, text=TEXT, post=False)
    url = _url(draft, _paragraph_ids(_chapter(draft))[0])
    assert client.get(url).status_code == 404
    assert _comment(client, draft, _paragraph_ids(_chapter(draft))[0]).status_code == 404
    client.force_login(make_account("nosy"))
    assert client.get(url).status_code == 404
    client.force_login(writer)
    assert client.get(url).status_code == 200


def test_a_guest_is_asked_to_log_in_for_a_restricted_works_paragraph(client, writer):
    restricted = make_work(writer, text=TEXT, restricted=True)
    first = _paragraph_ids(_chapter(restricted))[0]
    response = client.get(_url(restricted, first))
    assert response.status_code == 403 and "Log in" in response.content.decode()
    assert _comment(client, restricted, first).status_code == 403
    assert not Comment.objects.exists()
    client.force_login(make_account("member"))
    assert client.get(_url(restricted, first)).status_code == 200


def test_a_work_with_inline_comments_off_has_no_links_markers_or_form(client, writer):
    quiet = make_work(writer, text=TEXT, inline_comments=False)
    chapter_page = client.get(f"/works/{quiet.pk}").content.decode()
    assert "inline-comment-controls" not in chapter_page
    first = _paragraph_ids(_chapter(quiet))[0]
    assert client.get(_url(quiet, first)).status_code == 404
    assert _comment(client, quiet, first).status_code == 404
    assert not Comment.objects.exists()


def test_the_comments_service_refuses_an_anchor_on_a_work_with_inline_comments_off(writer):
    quiet = make_work(writer, text=TEXT, inline_comments=False)
    chapter = _chapter(quiet)
    with pytest.raises(ValidationError):
        post_comment(
            work=quiet,
            chapter=chapter,
            commenter=make_account("sneaky"),
            text="Inline anyway.",
            anchor=Anchor(_paragraph_ids(chapter)[0]),
        )
    assert not Comment.objects.exists()


# --- Markers on the chapter -------------------------------------------------------------------


def test_the_chapter_shows_each_paragraphs_link_and_a_marker_with_its_count(client, work):
    first, second, third = _paragraph_ids(_chapter(work))
    _comment(Client(), work, first)
    _inline(work, first, make_account("second_voice"))
    _inline(work, third, make_account("third_voice"))

    page = client.get(f"/works/{work.pk}").content.decode()

    assert _markers(page) == {str(first): "2", str(third): "1"}
    for paragraph_id in (first, second, third):
        assert f'href="{_url(work, paragraph_id)}"' in page


def test_a_guests_cached_chapter_shows_a_new_comments_marker_at_once(client, work):
    first = _paragraph_ids(_chapter(work))[0]
    before = client.get(f"/works/{work.pk}").content.decode()
    assert _markers(before) == {}
    assert client.get(f"/works/{work.pk}").content.decode() == before  # from the page cache

    _comment(Client(), work, first)

    assert _markers(client.get(f"/works/{work.pk}").content.decode()) == {str(first): "1"}


def test_a_reader_who_hides_markers_sees_none_and_others_still_do(client, work):
    first = _paragraph_ids(_chapter(work))[0]
    _comment(Client(), work, first)
    hider = make_account("hider")
    client.force_login(hider)
    chapter_url = f"/works/{work.pk}"
    assert "Hide inline comment markers" in client.get(chapter_url).content.decode()

    response = client.post("/reading_settings", {"next": chapter_url})
    assert response.status_code == 302 and response["Location"] == chapter_url

    page = client.get(chapter_url).content.decode()
    assert "inline-comment-controls" not in page
    assert "Show inline comment markers" in page
    assert _markers(Client().get(chapter_url).content.decode()) == {str(first): "1"}
    client.post("/reading_settings", {"next": chapter_url, "show_inline_markers": "on"})
    assert _markers(client.get(chapter_url).content.decode()) == {str(first): "1"}


def test_the_paragraph_page_opens_in_place_as_a_fragment(client, work):
    first = _paragraph_ids(_chapter(work))[0]
    response = client.get(f"{_url(work, first)}?in_place=1&quote=biting+and+cold&start=58&end=73")
    html = response.content.decode()
    assert html.lstrip().startswith("{#") is False and "<html" not in html
    assert 'name="selected_quote" value="biting and cold"' in html
    assert 'name="quote_start" value="58"' in html


def test_decorating_only_adds_the_controls_and_keeps_the_text_as_it_was():
    hostile = (
        '<p data-p="1">a &lt;script&gt;alert(1)&lt;/script&gt; <a href="https://x.org">b</a></p>'
        '<div data-p="2"><p data-p="3">inner</p> tail &amp; more</div>'
        '<ul><li data-p="4">Item<ul><li data-p="5">Sub</li></ul></li></ul><hr data-p="6">'
        '<p data-p="7">&nbsp;</p><a href="https://y.org"><p data-p="8">in a link</p></a>'
    )
    decorated = decorate(hostile, {1: 2}, work_id=1, chapter_id=1)
    controls = re.compile(r'<span class="inline-comment-controls" id="c1-p(\d+)">.*?</a></span>')
    assert controls.sub("", decorated) == hostile
    assert [int(i) for i in controls.findall(decorated)] == [1, 2, 3, 4, 5]
    assert "<script" not in decorated
    assert '<li data-p="4">Item<span class="inline-comment-controls"' in decorated
    # The controls hold no text of their own: tools reading the story get the story alone.
    assert re.sub(r"<[^>]+>", "", decorated) == re.sub(r"<[^>]+>", "", hostile)
    assert 'data-count="2" aria-label="2 comments on this paragraph"></a>' in decorated


# --- After the author edits --------------------------------------------------------------------


def test_inline_comments_follow_the_chapter_when_its_author_edits_it(client, work, writer):
    first, second, _ = _paragraph_ids(_chapter(work))
    start = FIRST.index("biting and cold")
    _comment(client, work, first, quote="biting and cold", start=start, end=start + 15)
    _comment(client, work, second, quote="abandoning their diner", start=30, end=52)
    moved, lost = Comment.objects.order_by("pk")

    # The first paragraph is split in two; the second is deleted.
    edit_chapter(
        chapter=_chapter(work),
        editor=writer,
        content=ChapterContent(
            text="<p>The gunshots rang loud and clear.</p>"
            "<p>In the mid November air, biting and cold.</p>"
            f"<p>{THIRD}</p>"
        ),
    )

    moved.refresh_from_db()
    lost.refresh_from_db()
    chapter = _chapter(work)
    halves = {p.text: int(p.id) for p in paragraphs_of(chapter.text)}
    second_half = halves["In the mid November air, biting and cold."]
    assert moved.anchor_state == AnchorState.MOVED
    assert moved.current_paragraph_id == second_half
    assert (moved.quote_start, moved.quote_end) == (25, 40)
    assert lost.anchor_state == AnchorState.EARLIER_VERSION and lost.current_paragraph_id is None
    assert moved.anchored_revision == lost.anchored_revision == chapter.revision

    page = client.get(f"/works/{work.pk}").content.decode()
    assert _markers(page) == {str(second_half): "1"}
    assert "1 inline comment on an earlier version of this chapter" in page
    earlier = client.get(f"/works/{work.pk}/chapters/{chapter.pk}/inline_comments/earlier")
    assert "abandoning their diner" in earlier.content.decode()
    assert "On an earlier version of the chapter" in earlier.content.decode()


def test_re_anchoring_a_chapter_without_inline_comments_costs_one_query(work):
    chapter = _chapter(work)
    with CaptureQueriesContext(connection) as queries:
        reanchor_inline_comments(None, chapter_id=chapter.pk, work_id=work.pk)
    assert len(queries) == 1


# --- Queries ---------------------------------------------------------------------------------


def _world(name: str, size: int):
    """A work whose chapter has `size` paragraphs, each with a comment by its author (whom no
    rate limit stops)."""
    author = make_account(name)
    text = "".join(f"<p>Paragraph {n} of {name}, with words.</p>" for n in range(size))
    work = make_work(author, text=text)
    for paragraph_id in _paragraph_ids(_chapter(work)):
        _inline(work, paragraph_id, author)
    return work


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["guest", "reader"])
def test_a_chapters_queries_do_not_grow_with_its_paragraphs_and_inline_comments(client, viewer):
    if viewer == "reader":
        client.force_login(make_account("counter"))
    counts = []
    for name, size in [("few", 1), ("many", 40)]:
        work = _world(name, size)
        measured = []
        for url in (f"/works/{work.pk}", f"/works/{work.pk}?view_full_work=true"):
            cache.clear()
            measured += [_queries(client, url), _queries(client, url)]
        counts.append(measured)
    assert counts[0] == counts[1]
