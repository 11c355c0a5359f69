"""Two tabs (or two co-creators) editing one chapter: the second save gets a conflict page
(409) with both versions, and nothing is overwritten until it is saved again on purpose."""

import pytest
from django.test import Client

from ficshelf.works.models import Chapter, Work
from tests.factories import add_co_creator, make_account, make_work

pytestmark = pytest.mark.django_db


def _form(chapter: Chapter, text: str) -> dict:
    return {
        "title": chapter.title,
        "summary": "",
        "notes": "",
        "end_notes": "",
        "text_format": "html",
        "text": text,
        "base_revision": chapter.revision,
        "save": "Update",
    }


def _url(chapter: Chapter) -> str:
    return f"/works/{chapter.work_id}/chapters/{chapter.pk}/edit"


@pytest.fixture
def two_tabs(author):
    """Two logged-in clients of the same author, as two tabs."""
    tabs = []
    for _ in range(2):
        client = Client()
        client.force_login(author)
        tabs.append(client)
    return tabs


def test_the_second_tab_gets_a_conflict_page_with_both_versions(two_tabs, author):
    work = make_work(author, text="<p>The original opening.</p><p>A middle.</p>")
    chapter = work.chapters.get()
    tab_a, tab_b = two_tabs
    loaded = Chapter.objects.get(pk=chapter.pk)  # both tabs opened the form at this revision
    assert tab_a.get(_url(chapter)).status_code == 200
    assert tab_b.get(_url(chapter)).status_code == 200

    saved = tab_a.post(_url(chapter), _form(loaded, "<p>Tab A's opening.</p><p>A middle.</p>"))
    assert saved.status_code == 302
    refused = tab_b.post(_url(chapter), _form(loaded, "<p>Tab B's opening.</p><p>A middle.</p>"))

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "saved while you were editing" in page
    # Theirs: the saved text, shown as it reads.
    assert "Tab A&#x27;s opening." in page or "Tab A's opening." in page
    # Yours: in the textarea, ready to save again.
    form = refused.context["form"]
    assert form.data["text"] == "<p>Tab B's opening.</p><p>A middle.</p>"
    assert form.data["base_revision"] == str(Chapter.objects.get(pk=chapter.pk).revision)
    assert 'name="text"' in page and "Tab B&#x27;s opening." in page
    # The comparison marks what B changes.
    assert "<del>A&#x27;s</del>" in page and "<ins>B&#x27;s</ins>" in page
    # Nothing was overwritten.
    assert "Tab A's opening." in Chapter.objects.get(pk=chapter.pk).text


def test_saving_the_conflict_page_again_replaces_the_saved_text_and_keeps_it(two_tabs, author):
    work = make_work(author, text="<p>Original.</p>")
    chapter = work.chapters.get()
    tab_a, tab_b = two_tabs
    loaded = Chapter.objects.get(pk=chapter.pk)
    tab_a.post(_url(chapter), _form(loaded, "<p>From A.</p>"))
    refused = tab_b.post(_url(chapter), _form(loaded, "<p>From B.</p>"))
    again = refused.context["form"].data.dict()
    assert tab_b.post(_url(chapter), again).status_code == 302
    chapter.refresh_from_db()
    assert "From B." in chapter.text
    # A's text is not lost either: it is an earlier version.
    assert chapter.versions.filter(text__contains="From A.").exists()


def test_a_co_creators_save_in_between_is_not_overwritten(author):
    partner = make_account("partner")
    work = add_co_creator(make_work(author, text="<p>Original.</p>"), by=author, user=partner)
    chapter = work.chapters.get()
    loaded = Chapter.objects.get(pk=chapter.pk)
    mine, theirs = Client(), Client()
    mine.force_login(author)
    theirs.force_login(partner)
    assert theirs.post(_url(chapter), _form(loaded, "<p>Partner's.</p>")).status_code == 302
    refused = mine.post(_url(chapter), _form(loaded, "<p>Mine.</p>"))
    assert refused.status_code == 409
    assert "by partner" in refused.content.decode()
    assert "Partner's." in Chapter.objects.get(pk=chapter.pk).text


def test_a_work_edit_over_a_newer_save_gets_a_conflict_page(author_client, author, work_form):
    work = make_work(author, title="First title", summary="A summary.")
    loaded = work.revision
    data = work_form(title="Second title", base_revision=loaded, save="Update")
    del data["post"]
    for name in ("chapter_title", "text_format", "text"):
        data.pop(name)
    assert author_client.post(f"/works/{work.pk}/edit", data).status_code == 302
    refused = author_client.post(f"/works/{work.pk}/edit", data | {"title": "Third title"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "changed while you were editing" in page
    assert "Second title" in page and "Third title" in page
    assert Work.objects.get(pk=work.pk).title == "Second title"
