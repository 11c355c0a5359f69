"""A chapter's revision history: every save keeps the text it replaced; creators compare and
restore; restoring is itself a save (the current text is kept, inline comments re-anchor)."""

import pytest

from ficshelf.feedback.anchors import Anchor
from ficshelf.feedback.models import AnchorState, Comment
from ficshelf.feedback.services.comments import post_comment
from ficshelf.userstuff.paragraphs import paragraphs_of
from ficshelf.works import history, services
from ficshelf.works.models import Chapter, ChapterVersion
from ficshelf.works.services import ChapterContent
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def _edit(chapter: Chapter, user, text: str, **more) -> Chapter:
    chapter = Chapter.objects.select_related("work").get(pk=chapter.pk)
    return services.edit_chapter(
        chapter=chapter, editor=user, content=ChapterContent(text=text, **more)
    )


def _versions_url(chapter: Chapter, *rest) -> str:
    return "/".join([f"/works/{chapter.work_id}/chapters/{chapter.pk}/versions", *map(str, rest)])


def test_each_save_keeps_the_text_it_replaced(author):
    work = make_work(author, text="<p>First draft.</p>")
    chapter = work.chapters.get()
    first_ids = [p.id for p in paragraphs_of(chapter.text)]
    _edit(chapter, author, "<p>Second draft.</p>", title="Now titled")
    _edit(chapter, author, "<p>Third draft.</p>", title="Now titled")
    kept = list(chapter.versions.order_by("number"))
    assert [v.number for v in kept] == [1, 2]
    assert "First draft." in kept[0].text and kept[0].title == ""
    assert "Second draft." in kept[1].text and kept[1].title == "Now titled"
    # Stored as it was, paragraph ids and all.
    assert [p.id for p in paragraphs_of(kept[0].text)] == first_ids
    assert kept[0].replaced_by == author and kept[1].saved_by == author
    assert kept[0].word_count == 2


def test_a_save_that_changes_nothing_keeps_no_version(author):
    chapter = make_work(author, text="<p>Same.</p>").chapters.get()
    _edit(chapter, author, "<p>Same.</p>")
    assert not chapter.versions.exists()


def test_only_the_newest_versions_are_kept(author, monkeypatch):
    monkeypatch.setattr(history, "VERSIONS_KEPT", 3)
    chapter = make_work(author, text="<p>Draft 0.</p>").chapters.get()
    for number in range(1, 6):
        _edit(chapter, author, f"<p>Draft {number}.</p>")
    assert list(chapter.versions.values_list("number", flat=True)) == [5, 4, 3]
    assert "Draft 4." in chapter.versions.get(number=5).text


def test_the_list_shows_date_who_words_and_a_comparison(author_client, author):
    chapter = make_work(author, text="<p>One.</p><p>Two.</p>").chapters.get()
    _edit(chapter, author, "<p>One.</p><p>Two, longer now.</p><p>Three.</p>")
    page = author_client.get(_versions_url(chapter)).content.decode()
    assert "Version 1" in page
    assert "1 changed, 0 removed, 1 added" in page
    assert "Restore version 1" in page


def test_a_version_page_shows_the_comparison_escaped(author_client, author):
    chapter = make_work(
        author, text="<p>if a &lt; b then &lt;i&gt;run&lt;/i&gt;</p>"
    ).chapters.get()
    _edit(chapter, author, "<p>if a &gt; b then stop</p>")
    response = author_client.get(_versions_url(chapter, 1))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<del>&lt;</del>" in page and "<ins>&gt;</ins>" in page
    assert "<del>&lt;i&gt;run&lt;/i&gt;</del>" in page
    assert "<i>run</i>" not in page


def test_only_creators_see_the_history(client, author):
    chapter = make_work(author, text="<p>Private drafts.</p>").chapters.get()
    _edit(chapter, author, "<p>Public now.</p>")
    assert client.get(_versions_url(chapter)).status_code == 302  # to the log-in page
    client.force_login(make_user("stranger"))
    assert client.get(_versions_url(chapter)).status_code == 404
    assert client.get(_versions_url(chapter, 1)).status_code == 404
    refused = client.post(_versions_url(chapter, 1, "restore"))
    assert refused.status_code == 404
    assert "Public now." in Chapter.objects.get(pk=chapter.pk).text


def test_restoring_a_version_is_a_new_save_that_keeps_the_current_text(author_client, author):
    chapter = make_work(author, text="<p>The good ending.</p>").chapters.get()
    _edit(chapter, author, "<p>A worse ending.</p>")
    chapter.refresh_from_db()
    response = author_client.post(
        _versions_url(chapter, 1, "restore"), {"base_revision": chapter.revision}
    )
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert "The good ending." in chapter.text
    assert chapter.revision == 3
    assert list(chapter.versions.values_list("number", flat=True)) == [2, 1]
    assert "A worse ending." in chapter.versions.get(number=2).text


def test_restoring_from_a_stale_page_is_refused(author_client, author):
    chapter = make_work(author, text="<p>One.</p>").chapters.get()
    _edit(chapter, author, "<p>Two.</p>")
    stale = Chapter.objects.get(pk=chapter.pk).revision
    _edit(chapter, author, "<p>Three.</p>")
    response = author_client.post(_versions_url(chapter, 1, "restore"), {"base_revision": stale})
    assert response.status_code == 302 and response["Location"].endswith("/versions")
    assert "Three." in Chapter.objects.get(pk=chapter.pk).text


def test_a_plain_text_version_comes_back_as_plain_text(author):
    chapter = make_work(author).chapters.get()
    _edit(chapter, author, "Typed *plainly*.\n\nTwo paragraphs.", text_format="plain")
    _edit(chapter, author, "<p>Now HTML.</p>")
    chapter = Chapter.objects.select_related("work").get(pk=chapter.pk)
    services.restore_chapter_version(chapter=chapter, editor=author, number=2)
    chapter.refresh_from_db()
    assert chapter.text_format == "plain"
    assert chapter.text_source == "Typed *plainly*.\n\nTwo paragraphs."


def test_restoring_keeps_inline_comments_anchored(author):
    reader = make_user("reader")
    work = make_work(author, text="<p>Alpha paragraph here.</p><p>Beta paragraph here.</p>")
    chapter = work.chapters.get()
    beta = paragraphs_of(chapter.text)[1]
    comment = post_comment(
        work=work,
        chapter=chapter,
        commenter=reader,
        text="Lovely line.",
        anchor=Anchor(int(beta.id), quote="Beta paragraph", start=0, end=14),
    )
    _edit(chapter, author, "<p>Alpha paragraph here.</p>")  # Beta cut
    comment.refresh_from_db()
    assert comment.anchor_state == AnchorState.EARLIER_VERSION

    chapter = Chapter.objects.select_related("work").get(pk=chapter.pk)
    services.restore_chapter_version(chapter=chapter, editor=author, number=1)
    comment = Comment.objects.get(pk=comment.pk)
    chapter.refresh_from_db()
    back = [p for p in paragraphs_of(chapter.text) if p.text.startswith("Beta")]
    assert back and comment.current_paragraph_id == int(back[0].id)
    assert comment.anchor_state != AnchorState.EARLIER_VERSION


def test_versions_go_with_their_chapter(author):
    work = make_work(author, chapters=2)
    chapter = work.chapters.get(position=2)
    _edit(chapter, author, "<p>Changed.</p>")
    services.delete_chapter(chapter=chapter, editor=author)
    assert not ChapterVersion.objects.exists()


def test_a_creator_who_leaves_the_work_is_no_longer_named_in_its_history(author):
    from tests.factories import add_co_creator

    partner = make_user("partner")
    work = add_co_creator(make_work(author, text="<p>One.</p>"), by=author, user=partner)
    chapter = work.chapters.get()
    _edit(chapter, partner, "<p>Two.</p>")
    _edit(chapter, author, "<p>Three.</p>")
    services.leave_work(work=work, user=partner)
    assert not ChapterVersion.objects.filter(saved_by=partner).exists()
    assert not ChapterVersion.objects.filter(replaced_by=partner).exists()
    assert ChapterVersion.objects.filter(replaced_by=author).count() == 1
