"""The beta reader's pages, as an author meets them through Django's test client."""

import re

import pytest
from django.urls import reverse

from ficshelf.betareader import services
from ficshelf.betareader.engine.findings import CheckResult
from ficshelf.betareader.models import DictionaryWord, IgnoredFinding
from ficshelf.works import extensions
from ficshelf.works.models import Chapter, Work
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db

TEXT = "<p>We were suppose to meet Zorblaxian at noon. She should of known.</p>"


def check_url(chapter, action: str = "") -> str:
    name = f"betareader:{action}" if action else "betareader:check"
    return reverse(name, kwargs={"work_id": chapter.work_id, "chapter_id": chapter.pk})


def draft(author, text=TEXT, **meta) -> Chapter:
    return make_work(author, post=False, text=text, **meta).chapters.get()


def finding(chapter, user, text):
    result = services.check_chapter(chapter=chapter, user=user)
    return next(f for f in result.findings if f.text == text)


def fix_data(chapter, found, replacement) -> dict:
    return {
        "start": found.start,
        "end": found.end,
        "expected": found.text,
        "replacement": replacement,
        "text_hash": services.text_hash(chapter.text),
    }


def bare(html: str) -> str:
    """The chapter's HTML without the paragraph ids works gives it (data-p)."""
    return re.sub(r' data-p="\d+"', "", html)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_report_shows_each_finding_marked_with_its_fixes(author_client, author):
    chapter = draft(author)
    response = author_client.get(check_url(chapter))
    page = text_of(response)
    assert response.status_code == 200
    assert '<mark class="finding severity-' in page
    assert "Replace with “supposed to”" in page
    assert "Replace with “should have”" in page
    assert "Add “Zorblaxian” to my dictionary" in page
    assert "Ignore here" in page and "Ignore everywhere in this work" in page
    assert re.search(r"\d+ errors?, \d+ suggestions?", page)


def test_a_fix_changes_the_drafts_text_and_word_count(author_client, author):
    chapter = draft(author)
    found = finding(chapter, author, "suppose to")
    response = author_client.post(
        check_url(chapter, "fix"), fix_data(chapter, found, "had been supposed to"), follow=True
    )
    chapter.refresh_from_db()
    assert "We were had been supposed to meet" in chapter.text
    assert chapter.word_count == 14  # two words more than before
    assert response.redirect_chain[-1][0] == check_url(chapter)
    assert "Replaced “suppose to” with “had been supposed to”." in text_of(response)


def test_a_fix_on_a_changed_draft_asks_for_a_fresh_check_and_changes_nothing(author_client, author):
    chapter = draft(author)
    found = finding(chapter, author, "should of")
    data = fix_data(chapter, found, "should have")
    # Meanwhile the draft changes: one word is inserted before the finding.
    changed = chapter.text.replace("We were", "We all were")
    Chapter.objects.filter(pk=chapter.pk).update(text=changed)
    response = author_client.post(check_url(chapter, "fix"), data, follow=True)
    chapter.refresh_from_db()
    assert chapter.text == changed
    page = text_of(response)
    assert "The chapter changed since it was checked; here is a fresh check." in page
    # The fresh report offers the fix at its new place.
    assert f'name="start" value="{found.start + 4}"' in page


def test_fix_all_of_a_kind_from_the_report(author_client, author):
    chapter = draft(author, "<p>She should of run. He should of hid.</p><p>I should of known.</p>")
    page = text_of(author_client.get(check_url(chapter)))
    assert "Fix all 3 of this kind (“should have”)" in page
    found = finding(chapter, author, "should of")
    response = author_client.post(
        check_url(chapter, "fix_all"),
        {
            "rule": found.rule,
            "text": "should of",
            "replacement": "should have",
            "text_hash": services.text_hash(chapter.text),
        },
        follow=True,
    )
    chapter.refresh_from_db()
    assert chapter.text.count("should have") == 3 and "should of" not in chapter.text
    assert "Replaced “should of” with “should have” 3 times." in text_of(response)


def test_ignore_here_and_everywhere_from_the_report(author_client, author):
    chapter = draft(author)
    found = finding(chapter, author, "should of")
    data = {"rule": found.rule, "text": found.text}
    response = author_client.post(check_url(chapter, "ignore"), data, follow=True)
    assert "“should of” will not be flagged in this chapter again." in text_of(response)
    assert "Replace with “should have”" not in text_of(response)
    assert "Stop ignoring “should of”" in text_of(response)
    author_client.post(check_url(chapter, "ignore"), data | {"everywhere": "1"})
    assert IgnoredFinding.objects.filter(work=chapter.work, chapter=None).count() == 1
    assert IgnoredFinding.objects.filter(work=chapter.work, chapter=chapter).count() == 1


def test_stop_ignoring_from_the_report(author_client, author):
    chapter = draft(author)
    found = finding(chapter, author, "should of")
    ignored = services.ignore_finding(
        chapter=chapter, user=author, rule=found.rule, text=found.text
    )
    response = author_client.post(
        check_url(chapter, "stop_ignoring"), {"ignored": ignored.pk}, follow=True
    )
    assert "Replace with “should have”" in text_of(response)
    assert not IgnoredFinding.objects.exists()


def test_add_to_dictionary_removes_the_spelling_finding(author_client, author):
    chapter = draft(author)
    response = author_client.post(
        check_url(chapter, "add_word"), {"word": "Zorblaxian"}, follow=True
    )
    page = text_of(response)
    assert "“Zorblaxian” is in your dictionary now." in page
    assert "Add “Zorblaxian” to my dictionary" not in page
    assert DictionaryWord.objects.filter(user=author, word="Zorblaxian").exists()


def test_a_posted_chapter_is_reported_but_never_changed_by_a_fix(author_client, author):
    chapter = make_work(author, post=True, text=TEXT).chapters.get()
    page = text_of(author_client.get(check_url(chapter)))
    assert "Edit chapter to apply fixes" in page
    assert "Replace with" not in page
    assert "“supposed to”" in page
    found = finding(chapter, author, "suppose to")
    response = author_client.post(
        check_url(chapter, "fix"), fix_data(chapter, found, "supposed to"), follow=True
    )
    chapter.refresh_from_db()
    assert bare(chapter.text) == TEXT
    assert "a posted chapter never changes behind your back" in text_of(response)
    response = author_client.post(
        check_url(chapter, "fix_all"),
        {
            "rule": found.rule,
            "text": found.text,
            "replacement": "supposed to",
            "text_hash": services.text_hash(chapter.text),
        },
    )
    chapter.refresh_from_db()
    assert bare(chapter.text) == TEXT


@pytest.mark.parametrize("action", ["", "fix", "fix_all", "ignore", "stop_ignoring", "add_word"])
def test_someone_elses_chapter_is_not_found(client, author, action):
    chapter = make_work(author, post=True, text=TEXT).chapters.get()
    client.force_login(make_user())
    if action:
        response = client.post(check_url(chapter, action), {"word": "x", "rule": "r", "text": "t"})
    else:
        response = client.get(check_url(chapter))
    assert response.status_code == 404
    chapter.refresh_from_db()
    assert bare(chapter.text) == TEXT and not IgnoredFinding.objects.exists()


def test_a_guest_is_asked_to_log_in(client, author):
    chapter = draft(author)
    response = client.get(check_url(chapter))
    assert response.status_code == 302 and "/users/login" in response["Location"]


def test_a_broken_fix_is_refused_with_a_fresh_report(author_client, author):
    chapter = draft(author)
    response = author_client.post(
        check_url(chapter, "fix"),
        {"start": 5, "end": 2, "expected": "abc", "replacement": "x", "text_hash": "nope"},
    )
    assert response.status_code == 400
    assert "Replace with “supposed to”" in text_of(response)
    chapter.refresh_from_db()
    assert bare(chapter.text) == TEXT


def test_style_notes_are_left_out_unless_asked_for(author_client, author):
    chapter = draft(author)
    assert "Include style notes" in text_of(author_client.get(check_url(chapter)))
    assert "Leave out style notes" in text_of(author_client.get(check_url(chapter) + "?style=1"))


# --- The Check button in the posting forms --------------------------------------------------


def chapter_form_data(text: str, **extra) -> dict:
    data = {
        "title": "",
        "summary": "",
        "notes": "",
        "end_notes": "",
        "text_format": "plain",
        "text": text,
    }
    return data | extra


def test_check_in_the_edit_form_shows_a_report_and_saves_nothing(author_client, author):
    chapter = make_work(author, post=True, text=TEXT).chapters.get()
    kwargs = {"work_id": chapter.work_id, "chapter_id": chapter.pk}
    url = reverse("works:edit_chapter", kwargs=kwargs)
    response = author_client.post(url, chapter_form_data("They was suppose to go home.", check=""))
    chapter.refresh_from_db()
    assert response.status_code == 200
    assert bare(chapter.text) == TEXT
    page = text_of(response)
    assert 'id="beta-report"' in page
    assert "Nothing was saved" in page
    assert "“supposed to”" in page
    assert "They was suppose to go home.</textarea>" in page
    assert "Replace with" not in page  # the author changes the text in the form


def test_check_in_the_new_chapter_form_adds_no_chapter(author_client, author):
    work = make_work(author, post=True, text=TEXT)
    url = reverse("works:new_chapter", kwargs={"work_id": work.pk})
    response = author_client.post(url, chapter_form_data("She should of known.", check=""))
    assert response.status_code == 200
    assert "“should have”" in text_of(response)
    assert work.chapters.count() == 1


def test_check_in_the_new_work_form_knows_the_names_typed_as_tags(author_client, author):
    response = author_client.post(
        reverse("works:new"),
        {
            "pseuds": [author.default_pseud.pk],
            "title": "",
            "characters": "Zorblaxian",
            "text_format": "plain",
            "text": "Zorblaxian should of known.",
            "check": "",
        },
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "“should have”" in page
    assert "Zorblaxian</mark>" not in page
    assert not Work.objects.exists()


def test_check_without_text_says_there_is_nothing_to_check(author_client, author):
    work = make_work(author, post=True)
    url = reverse("works:new_chapter", kwargs={"work_id": work.pk})
    response = author_client.post(url, chapter_form_data("", check=""))
    assert "There is no text to check yet." in text_of(response)


def test_the_beta_reader_is_the_checker_works_offers_its_posting_forms(rf, author):
    checker = extensions.text_checker()
    assert checker.label == "Check chapter"
    assert checker.template == "betareader/_form_report.html"
    request = rf.post("/works/new")
    request.user = author
    context = checker.check(
        request,
        text="Zorblaxian should of known.",
        text_format="plain",
        work=None,
        chapter=None,
        tag_names=["Zorblaxian"],
    )
    assert [entry.flagged for entry in context["report"].entries] == ["should of"]
    assert checker.check(
        request, text="  ", text_format="plain", work=None, chapter=None, tag_names=[]
    ) == {"report": None}


# --- Where authors find it ------------------------------------------------------------------


def test_the_work_page_offers_its_creators_a_check_of_each_chapter(client, author):
    work = make_work(author, post=True, chapters=2)
    client.force_login(author)
    page = text_of(client.get(work.get_absolute_url() + "?view_full_work=true"))
    assert "Check chapter 1" in page and "Check chapter 2" in page
    client.force_login(make_user())
    page = text_of(client.get(work.get_absolute_url() + "?view_full_work=true"))
    assert "Check chapter" not in page


def test_the_dictionary_page_adds_and_removes_words(author_client, author):
    url = reverse("betareader:dictionary")
    response = author_client.post(url, {"word": "Zorblaxian"}, follow=True)
    assert "“Zorblaxian” is in your dictionary now." in text_of(response)
    word = DictionaryWord.objects.get(user=author)
    response = author_client.post(
        reverse("betareader:remove_word"), {"word_id": word.pk}, follow=True
    )
    assert not DictionaryWord.objects.exists()
    assert author_client.post(url, {"word": "two words"}).status_code == 400


def test_a_fix_across_a_line_break_survives_the_browsers_crlf(author_client, author):
    chapter = draft(author, "<p>She was\nwas there.</p>")
    start = chapter.text.index("was\nwas")
    data = {
        "start": start,
        "end": start + len("was\nwas"),
        "expected": "was\r\nwas",
        "replacement": "was",
        "text_hash": services.text_hash(chapter.text),
    }
    author_client.post(check_url(chapter, "fix"), data)
    chapter.refresh_from_db()
    assert bare(chapter.text) == "<p>She was there.</p>"


def test_the_report_says_why_a_text_was_not_checked(author_client, author, monkeypatch):
    chapter = draft(author, "<p>Der Regen fiel die ganze Nacht.</p>")
    skipped = CheckResult(findings=[], skipped_reason="This text does not look like English.")
    monkeypatch.setattr(services, "check_html", lambda html, **kwargs: skipped)
    page = text_of(author_client.get(check_url(chapter)))
    assert "This text does not look like English." in page
    assert "found nothing to flag" not in page


def test_a_clean_chapter_has_nothing_to_flag(author_client, author):
    chapter = draft(author, "<p>The rain fell all night.</p>")
    page = text_of(author_client.get(check_url(chapter)))
    assert "The beta reader found nothing to flag." in page
    assert "0 errors, 0 suggestions" in page
