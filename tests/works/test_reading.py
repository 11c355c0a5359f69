"""Reading works: the work page, chapters, the adult notice and restricted works."""

import pytest

from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def test_a_guest_reads_a_posted_work_with_otwarchive_markup(client):
    work = make_work(title="Quiet Hours", relationships=["Alex/Olivia"], chapters=2)
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h2 class="title heading">Quiet Hours</h2>' in page
    assert 'class="work meta group"' in page
    assert 'dd class="relationship tags"' in page
    assert 'div class="chapter" id="chapter-1"' in page
    assert "Next Chapter" in page
    assert "Chapter 2 text" not in page


def test_the_entire_work_view_shows_every_chapter(client):
    work = make_work(chapters=3)
    page = client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    for number in (1, 2, 3):
        assert f'id="chapter-{number}"' in page
    assert "Chapter 3 text." in page


def test_a_guest_cannot_see_a_draft(client):
    work = make_work(post=False)
    assert client.get(f"/works/{work.pk}").status_code == 404


def test_a_creator_sees_their_own_draft(client):
    author = make_user()
    work = make_work(author, post=False, title="Unfinished")
    client.force_login(author)
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 200
    assert "This work is a draft" in response.content.decode()


def test_a_guest_sees_the_adult_notice_before_a_mature_work(client):
    work = make_work(rating="mature", text="<p>Secret text.</p>")
    response = client.get(f"/works/{work.pk}")
    assert "This work could have adult content" in response.content.decode()
    assert "Secret text." not in response.content.decode()
    response = client.get(f"/works/{work.pk}?view_adult=true")
    assert "Secret text." in response.content.decode()
    # Once per session: the next page needs no second confirmation.
    assert "Secret text." in client.get(f"/works/{work.pk}").content.decode()


def test_a_guest_is_asked_to_log_in_before_a_restricted_work(client):
    work = make_work(restricted=True, text="<p>Members only.</p>")
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 403
    assert "Members only." not in response.content.decode()
    assert "Log in" in response.content.decode()
    client.force_login(make_user())
    assert "Members only." in client.get(f"/works/{work.pk}").content.decode()


# --- otwarchive's markup, which readers' tools parse ----------------------------------------


def _page(client, url):
    from tests.works.pages import parse

    response = client.get(url)
    assert response.status_code == 200
    return parse(response.content)


def test_the_work_meta_block_uses_otwarchive_classes(client):
    work = make_work(
        make_user("meta_writer"),
        title="Quiet Hours",
        rating="general",
        warnings=["No Archive Warnings Apply"],
        categories=["F/F"],
        fandoms=["Law & Order: Special Victims Unit"],
        relationships=["Alex Cabot/Olivia Benson", "Olivia Benson & Elliot Stabler"],
        characters=["Olivia Benson"],
        freeforms=["Slow Burn"],
        language="ja",
        text="<p>" + "word " * 1500 + "</p>",
    )
    meta = _page(client, f"/works/{work.pk}").one("dl.work.meta.group")
    assert meta.one("dd.rating.tags").text == "General Audiences"
    assert meta.one("dd.warning.tags").text == "No Archive Warnings Apply"
    assert meta.one("dd.category.tags").text == "F/F"
    fandom = meta.one("dd.fandom.tags a.tag")
    assert fandom.text == "Law & Order: Special Victims Unit"
    assert fandom.attrs["href"] == "/tags/Law%20*a*%20Order:%20Special%20Victims%20Unit/works"
    relationships = meta.select("dd.relationship.tags a.tag")
    assert [a.text for a in relationships] == [
        "Alex Cabot/Olivia Benson",
        "Olivia Benson & Elliot Stabler",
    ]
    assert relationships[0].attrs["href"] == "/tags/Alex%20Cabot*s*Olivia%20Benson/works"
    assert meta.one("dd.character.tags").text == "Olivia Benson"
    assert meta.one("dd.freeform.tags").text == "Slow Burn"
    language = meta.one("dd.language")
    assert (language.text, language.attrs["lang"]) == ("Japanese", "ja")
    stats = meta.one("dl.stats")
    assert stats.one("dd.words").text == "1,500"
    assert stats.one("dd.chapters").text == "1/?"
    assert stats.one("dd.published").text == f"{work.published_at:%Y-%m-%d}"


def test_optional_meta_rows_are_left_out_when_empty(client):
    work = make_work(categories=[], relationships=[], characters=[], freeforms=[])
    meta = _page(client, f"/works/{work.pk}").one("dl.work.meta.group")
    for selector in ("dd.category", "dd.relationship", "dd.character", "dd.freeform"):
        assert meta.select(selector) == []


def test_the_preface_has_title_byline_summary_and_notes(client):
    from ficshelf.accounts.services import add_pseud
    from ficshelf.works.services import ChapterContent, WorkMetadata, create_work

    writer = make_user("byline_writer")
    pen_name = add_pseud(user=writer, name="Pen Name")
    work = create_work(
        creators=[pen_name],
        metadata=WorkMetadata(
            title="Quiet Hours",
            fandoms=["Law & Order: Special Victims Unit"],
            warnings=["No Archive Warnings Apply"],
            summary="<p>A <strong>long</strong> night.</p>",
            notes="<p>For my beta.</p>",
            end_notes="<p>Thanks for reading.</p>",
        ),
        chapter=ChapterContent(text="<p>The text.</p>"),
    )
    page = _page(client, f"/works/{work.pk}")
    assert page.one("h2.title.heading").text == "Quiet Hours"
    author_link = page.one("h3.byline.heading a")
    assert author_link.attrs["href"] == "/users/byline_writer/pseuds/Pen%20Name"
    assert author_link.attrs["rel"] == "author"
    assert author_link.text == "Pen Name (byline_writer)"
    summary = page.one("div.summary.module blockquote.userstuff")
    assert summary.one("strong").text == "long"
    notes = [n for n in page.select("div.notes.module") if "end" not in n.classes]
    assert [n.one("blockquote.userstuff").text for n in notes] == ["For my beta."]
    assert page.one("div#work_endnotes blockquote.userstuff").text == "Thanks for reading."
    assert page.one("div#chapters > div#chapter-1 div.userstuff p").text == "The text."


def test_a_chapter_page_links_to_the_previous_and_next_chapters(client):
    work = make_work(chapters=3)
    one, two, three = work.chapters.order_by("position")

    page = _page(client, f"/works/{work.pk}/chapters/{two.pk}")
    chapters = page.select("div#chapters > div.chapter")
    assert [c.attrs["id"] for c in chapters] == ["chapter-2"]
    assert page.one("div#chapter-2 h3.title").text == "Chapter 2: Part 2"
    assert "Chapter 2 text." in page.one("div#chapter-2 div.userstuff").text
    previous_links = page.select("li.chapter.previous a")
    next_links = page.select("li.chapter.next a")
    # The navigation is shown above and below the text.
    assert {a.attrs["href"] for a in previous_links} == {one.get_absolute_url()}
    assert {a.attrs["href"] for a in next_links} == {three.get_absolute_url()}
    assert page.select("li.chapter.entire a")[0].attrs["href"] == (
        f"/works/{work.pk}?view_full_work=true"
    )

    first = _page(client, f"/works/{work.pk}/chapters/{one.pk}")
    assert first.select("li.chapter.previous") == []
    last = _page(client, f"/works/{work.pk}/chapters/{three.pk}")
    assert last.select("li.chapter.next") == []


def test_a_one_chapter_work_has_no_chapter_navigation(client):
    work = make_work()
    page = _page(client, f"/works/{work.pk}")
    assert page.select("ul.work.navigation li.chapter") == []
    assert page.select("div#chapters > div#chapter-1 div.userstuff")


def test_the_chapter_index_lists_posted_chapters_with_their_dates(client):
    from ficshelf.works.services import ChapterContent, add_chapter

    author = make_user()
    work = make_work(author, chapters=2, title="Indexed")
    add_chapter(work=work, editor=author, content=ChapterContent(text="<p>Draft.</p>"), post=False)
    page = _page(client, f"/works/{work.pk}/navigate")
    entries = page.select("ol.chapter.index li")
    assert [entry.one("a").text for entry in entries] == ["1. Chapter 1", "2. Part 2"]
    assert entries[1].one("a").attrs["href"] == work.chapters.get(position=2).get_absolute_url()
    assert entries[0].one("span.datetime").text == f"({work.published_at:%Y-%m-%d})"

    client.force_login(author)
    entries = _page(client, f"/works/{work.pk}/navigate").select("ol.chapter.index li")
    assert [entry.one("span.datetime").text for entry in entries][2] == "(Draft)"


def test_the_chapter_index_of_a_draft_is_not_found_for_readers(client):
    work = make_work(post=False)
    assert client.get(f"/works/{work.pk}/navigate").status_code == 404
