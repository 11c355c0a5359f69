"""The findings panel beside a posting form's text: what the author's browser sends as they
type, and what comes back (betareader:live_check). A fix's offsets are into the text box's
own text, so applying one there gives the corrected text, whatever the text's format."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from ficshelf.betareader import live, services, views
from ficshelf.betareader.models import DictionaryWord
from ficshelf.userstuff import count_words, html_to_text, to_html
from ficshelf.works.limits import CHAPTER_TEXT_MAX
from tests.factories import PASSWORD, make_user, make_work

pytestmark = pytest.mark.django_db

URL = reverse("betareader:live_check")
SENTENCES = "They were suppose to meet at noon. She should of known."


def live_check(client, text, text_format="plain", **extra):
    return client.post(URL, {"text": text, "text_format": text_format, **extra})


def live_check_all(client, text, text_format="plain", **extra):
    """As the panel does: ask again while the answer says runs are left to check."""
    for _ in range(50):
        response = live_check(client, text, text_format, **extra)
        if "HX-Trigger" not in response:
            return response
    raise AssertionError("the check never finished")


def page(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def fix_buttons(response) -> list[dict]:
    """Each fix button of the panel, as the page's script reads it."""
    found = []
    for button in re.finditer(r"<button[^>]*data-live-fix[^>]*>", response.content.decode()):
        data = dict(re.findall(r'data-(start|end|expected|replacement)="([^"]*)"', button[0]))
        found.append(
            {
                "start": int(data["start"]),
                "end": int(data["end"]),
                "expected": html.unescape(data["expected"]),
                "replacement": html.unescape(data["replacement"]),
            }
        )
    return found


def fix_for(response, expected: str) -> dict:
    return next(fix for fix in fix_buttons(response) if fix["expected"] == expected)


def apply_in_text_box(text: str, fix: dict) -> str:
    """What live-check.js does: offsets in UTF-16 code units, as a browser counts them, and
    only where the text still reads what was checked."""
    units = text.encode("utf-16-le")
    start, end = 2 * fix["start"], 2 * fix["end"]
    assert units[start:end].decode("utf-16-le") == fix["expected"]
    fixed = units[:start] + fix["replacement"].encode("utf-16-le") + units[end:]
    return fixed.decode("utf-16-le")


def visible(text: str, text_format: str) -> str:
    return re.sub(r"\s+", " ", html_to_text(to_html(text, text_format))).strip()


# --- Who may ask, and what is refused -------------------------------------------------------


def test_a_guest_is_asked_to_log_in_and_nothing_is_checked(client):
    response = live_check(client, SENTENCES)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_check_without_the_forms_csrf_token_is_refused(author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = live_check(client, SENTENCES)
    assert response.status_code == 403
    assert "supposed to" not in page(response)


def test_a_check_with_the_forms_csrf_token_is_answered(author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    form = client.get(reverse("works:new")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    response = live_check(client, SENTENCES, csrfmiddlewaretoken=token)
    assert response.status_code == 200
    assert "Replace with “supposed to”" in page(response)


def test_a_check_is_only_answered_to_a_post(author_client):
    assert author_client.get(URL, {"text": SENTENCES, "text_format": "plain"}).status_code == 405


def test_an_unknown_text_format_is_a_400_that_says_so(author_client):
    response = live_check(author_client, SENTENCES, text_format="docx")
    assert response.status_code == 400
    assert "Select a valid choice" in page(response)


def test_text_longer_than_any_chapter_is_a_413_that_says_how_long_a_chapter_may_be(author_client):
    response = live_check(author_client, "word " * (CHAPTER_TEXT_MAX // 5 + 1))
    assert response.status_code == 413
    assert f"at most {CHAPTER_TEXT_MAX:,} characters" in page(response)


def test_text_too_long_to_check_while_typing_points_to_the_full_report(author_client, author):
    work = make_work(author, post=False)
    chapter = work.chapters.get()
    paragraph = "They were suppose to meet at noon, and she waited for him by the door.\n\n"
    text = paragraph * (live.LIVE_CHARACTERS_MAX // len(paragraph) + 1)
    response = live_check(author_client, text, work_id=work.pk, chapter_id=chapter.pk)
    assert response.status_code == 200
    assert "too long to check while you type" in page(response)
    assert reverse("betareader:check", args=[work.pk, chapter.pk]) in page(response)
    assert not fix_buttons(response)


def test_another_authors_work_is_not_found(author_client):
    other = make_work(make_user("someone"), post=False)
    response = live_check(author_client, SENTENCES, work_id=other.pk)
    assert response.status_code == 404


def test_a_chapter_of_another_work_is_not_found(author_client, author):
    mine = make_work(author, post=False)
    other_chapter = make_work(make_user("someone"), post=False).chapters.get()
    response = live_check(author_client, SENTENCES, work_id=mine.pk, chapter_id=other_chapter.pk)
    assert response.status_code == 404


def test_a_chapter_without_its_work_is_a_400(author_client, author):
    chapter = make_work(author, post=False).chapters.get()
    response = live_check(author_client, SENTENCES, chapter_id=chapter.pk)
    assert response.status_code == 400


def test_empty_text_says_findings_will_come(author_client):
    response = live_check(author_client, "  \n")
    assert response.status_code == 200
    assert "Findings appear here when you pause typing" in page(response)


def test_too_many_checks_in_a_minute_pause_checking_with_a_429(author_client, monkeypatch):
    monkeypatch.setattr(views, "LIVE_CHECKS", views.ratelimits.Limit(2, 60))
    for _ in range(2):
        assert live_check(author_client, SENTENCES).status_code == 200
    response = live_check(author_client, SENTENCES)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Checking is paused" in page(response)


# --- Fixes land on the text as typed ---------------------------------------------------------


def test_a_plain_text_fix_applied_to_the_text_box_gives_the_corrected_text(author_client):
    text = "They were suppose to meet at noon.\r\n\r\nShe should of known."
    response = live_check(author_client, text)
    typed = text.replace("\r\n", "\n")  # the text box's own text
    fixed = apply_in_text_box(typed, fix_for(response, "suppose to"))
    assert fixed == "They were supposed to meet at noon.\n\nShe should of known."
    fixed = apply_in_text_box(typed, fix_for(response, "should of"))
    assert fixed == "They were suppose to meet at noon.\n\nShe should have known."


def test_an_html_fix_lands_between_the_tags_as_typed(author_client):
    text = (
        '<p class="opening">Tom &amp; Jerry were <em>really</em> suppose to meet.</p>\n'
        "<p>She should of known &mdash; he never came.</p>"
    )
    response = live_check(author_client, text, text_format="html")
    fixed = apply_in_text_box(text, fix_for(response, "suppose to"))
    assert fixed == text.replace("suppose to", "supposed to")
    fixed = apply_in_text_box(text, fix_for(response, "should of"))
    assert fixed == text.replace("should of", "should have")
    assert (
        visible(fixed, "html")
        == "Tom & Jerry were really suppose to meet. She should have known — he never came."
    )


def test_rich_text_typed_as_paragraphs_is_fixed_where_it_was_typed(author_client):
    text = "Chapter one.\n\nThey were suppose to meet.\nShe should of known."
    response = live_check(author_client, text, text_format="html")
    assert apply_in_text_box(text, fix_for(response, "should of")) == text.replace(
        "should of", "should have"
    )


def test_a_markdown_fix_lands_in_the_markdown_source(author_client):
    text = "# Noon\n\nTom \\& Jerry were *really* suppose to meet.\n\n> She should of known."
    response = live_check(author_client, text, text_format="markdown")
    fixed = apply_in_text_box(text, fix_for(response, "suppose to"))
    assert fixed == text.replace("suppose to", "supposed to")
    fixed = apply_in_text_box(text, fix_for(response, "should of"))
    assert fixed == text.replace("should of", "should have")
    assert "She should have known." in visible(fixed, "markdown")


def test_a_finding_across_formatting_is_shown_without_a_fix_button(author_client):
    text = "She *should* of known, and they were suppose to meet."
    response = live_check(author_client, text, text_format="markdown")
    assert "After “should”" in page(response)  # the finding is listed
    assert [fix["expected"] for fix in fix_buttons(response)] == ["suppose to"]


def test_a_finding_whose_place_in_the_source_cannot_be_told_has_no_fix_button(author_client):
    # The image's description holds the same words, unseen in the chapter's text: which of the
    # two the finding is cannot be told from the source, so nothing is offered.
    text = "![They were suppose to](cover.png)\n\nThey were suppose to meet."
    response = live_check(author_client, text, text_format="markdown")
    assert "It is “supposed to”" in page(response)
    assert not [fix for fix in fix_buttons(response) if fix["expected"] == "suppose to"]


def test_offsets_count_emoji_as_a_browser_does(author_client):
    text = "🌙🌙 They were suppose to meet. 😀 She should of known."
    response = live_check(author_client, text)
    fixed = apply_in_text_box(text, fix_for(response, "should of"))
    assert fixed == "🌙🌙 They were suppose to meet. 😀 She should have known."


def test_the_same_words_twice_each_fix_changes_its_own(author_client):
    text = "They were suppose to meet.\n\nThey were suppose to meet again."
    response = live_check(author_client, text)
    first, second = [fix for fix in fix_buttons(response) if fix["expected"] == "suppose to"]
    assert apply_in_text_box(text, second) == (
        "They were suppose to meet.\n\nThey were supposed to meet again."
    )
    assert apply_in_text_box(text, first) == (
        "They were supposed to meet.\n\nThey were suppose to meet again."
    )


# --- Which words are right -------------------------------------------------------------------


def test_a_new_works_language_field_decides_its_spellings(author_client):
    text = "The color of her coat was wrong, and she knew it at once."
    british = live_check(author_client, text, language="en-gb")
    assert "colour" in page(british)
    assert "colour" not in page(live_check(author_client, text, language="en"))


def test_a_saved_works_names_and_the_authors_dictionary_are_known_words(author_client, author):
    work = make_work(author, post=False, characters=["Zorblaxian Vex"])
    DictionaryWord.objects.create(user=author, word="Quillifer")
    text = "Zorblaxian and Quillifer were suppose to meet at the Glarbnik."
    response = live_check(author_client, text, work_id=work.pk)
    flagged = page(response)
    assert "Zorblaxian</mark>" not in flagged and "Quillifer</mark>" not in flagged
    assert "suppose to</mark>" in flagged


def test_name_tags_typed_into_a_new_work_form_are_known_words(author_client):
    text = "Zorblaxian was suppose to meet her at noon."
    assert "Zorblaxian</mark>" in page(live_check(author_client, text))
    response = live_check(author_client, text, characters="Zorblaxian Vex, Someone Else")
    assert "Zorblaxian</mark>" not in page(response)


# --- Only what changed is checked --------------------------------------------------------------


def paragraphs(count: int) -> list[str]:
    return [
        f"Paragraph {number}: they walked along the river in the evening, talking about "
        "the house they had left behind and the people who still lived in it, and neither "
        "of them said what they both knew, that they would never go back there again. "
        "They were suppose to meet the others at the bridge."
        for number in range(count)
    ]


def test_a_long_text_is_checked_in_pieces_and_then_only_where_it_changed(
    author_client, monkeypatch
):
    # No time at all per request: each check does one run of paragraphs, and asks for more.
    monkeypatch.setattr(live, "LIVE_BUDGET_SECONDS", 0)
    parts = paragraphs(12)
    text = "\n\n".join(parts)
    answers = 0
    while True:
        response = live_check(author_client, text)
        answers += 1
        if "HX-Trigger" not in response:
            break
        assert response["HX-Trigger"] == views.CONTINUE_EVENT
        assert "checking the rest of the text" in page(response)
        assert answers < 20
    assert answers > 1  # it took several requests, each bounded
    assert len([f for f in fix_buttons(response) if f["expected"] == "suppose to"]) == 12
    # One paragraph changed: one request, which checks that piece only.
    parts[5] = parts[5].replace("the bridge.", "the bridge. She should of known.")
    response = live_check(author_client, "\n\n".join(parts))
    assert "HX-Trigger" not in response
    assert "Replace with “should have”" in page(response)


def test_the_chapter_is_cut_into_the_same_runs_around_an_edit():
    clean = to_html("\n\n".join(paragraphs(40)), "plain")
    before = live.runs_of(clean)
    assert "".join(run for _, run in before) == clean
    edited = to_html(
        "\n\n".join(paragraphs(40)).replace("Paragraph 20:", "Paragraph twenty:"), "plain"
    )
    after = live.runs_of(edited)
    unchanged = {run for _, run in before} & {run for _, run in after}
    assert len(unchanged) >= len(before) - 3


def test_an_edit_inside_any_paragraph_leaves_every_other_run_as_it_was():
    before = live.runs_of(to_html("\n\n".join(paragraphs(40)), "plain"))
    for number in range(40):
        parts = paragraphs(40)
        parts[number] = parts[number].replace("the house they", "the old house they")
        after = live.runs_of(to_html("\n\n".join(parts), "plain"))
        assert len(after) == len(before)
        changed = [run for _, run in after if run not in {run for _, run in before}]
        assert len(changed) == 1 and "the old house" in changed[0]


class Spy:
    """check_chapter_html as it is, counting the runs it is given."""

    def __init__(self, monkeypatch):
        self.runs = []
        real = live.check_chapter_html

        def counted(run, **options):
            self.runs.append(run)
            return real(run, **options)

        monkeypatch.setattr(live, "check_chapter_html", counted)


def located(checked) -> list[tuple]:
    """The panel's findings as the author sees them: where, what, and each fix."""
    return sorted(
        (key, entry.span, [(f.start, f.end, f.expected, f.replacement) for f in entry.fixes])
        for key, entry in checked.findings.items()
    )


def test_a_pause_after_an_edit_checks_only_its_run_and_shows_what_a_full_check_shows(
    author, monkeypatch
):
    parts = paragraphs(40)
    parts[3] = parts[3].replace("Paragraph 3:", "Tom &amp; Jerry 🌙 said:")

    def check(typed: list[str]):
        text = "\n".join(f"<p>{part}</p>" for part in typed)
        checked = live.check_while_typing(user=author, text=text, text_format="html", caret=0)
        while checked.runs_left:
            checked = live.check_while_typing(user=author, text=text, text_format="html")
        return checked

    check(parts)
    spy = Spy(monkeypatch)
    parts[20] = parts[20].replace("the bridge.", "the bridge. She should of known.")
    checked = check(parts)
    assert len(spy.runs) == 1 and "should of" in spy.runs[0]
    # The same as a full check of the edited text: every finding, and the words counted.
    clean = to_html("\n".join(f"<p>{part}</p>" for part in parts), "html")
    full = services.check_chapter_html(clean, vocabulary=set(), ignored=set(), include_style=False)
    assert checked.result.findings == full.findings
    assert "should of" in {finding.text for finding in checked.result.findings}
    assert checked.result.word_count == count_words(clean)
    # And located in the typed text as a first check of it, with nothing kept, locates them.
    live.cache.clear()
    assert located(checked) == located(check(parts))


def test_the_same_words_in_many_runs_each_fix_changes_its_own(author_client, monkeypatch):
    monkeypatch.setattr(live, "LIVE_BUDGET_SECONDS", 0)
    parts = paragraphs(30)
    parts[7] = parts[7].replace("Paragraph 7:", "Tom &amp; Jerry:")
    text = "\n".join(f"<p>{part}</p>" for part in parts)
    response = live_check_all(author_client, text, text_format="html")
    fixes = [fix for fix in fix_buttons(response) if fix["expected"] == "suppose to"]
    assert len(fixes) == 30
    assert len(live.runs_of(to_html(text, "html"))) > 3
    for number, fix in enumerate(sorted(fixes, key=lambda fix: fix["start"])):
        fixed = apply_in_text_box(text, fix)
        assert fixed.count("supposed to") == 1
        assert fixed.split("\n")[number].count("supposed to") == 1


def test_the_word_count_of_a_text_checked_in_runs_is_the_texts(author):
    text = "\n".join(
        [
            "<h2>Part one</h2>",
            *(f"<p>{part}</p>" for part in paragraphs(20)),
            "<ul><li>one item</li><li>two items here</li></ul>",
            "<blockquote><p>A quoted line &mdash; of words.</p></blockquote>",
            "<hr>",
            *(f"<p>{part}</p>" for part in paragraphs(10)),
        ]
    )
    checked = live.check_while_typing(user=author, text=text, text_format="html")
    assert checked.result.word_count == count_words(to_html(text, "html"))


# --- In the posting forms ---------------------------------------------------------------------


@pytest.mark.parametrize("form", ["new_work", "new_chapter", "edit_chapter"])
def test_the_posting_forms_carry_the_panel_hidden_until_javascript_shows_it(
    author_client, author, form
):
    work = make_work(author, post=False)
    chapter = work.chapters.get()
    url = {
        "new_work": reverse("works:new"),
        "new_chapter": reverse("works:new_chapter", args=[work.pk]),
        "edit_chapter": reverse("works:edit_chapter", args=[work.pk, chapter.pk]),
    }[form]
    response = author_client.get(url)
    text = page(response)
    assert f'hx-post="{URL}"' in text
    assert re.search(r'<section class="live-check" id="live-check" hidden', text)
    assert "betareader/live-check.js" in text
    # Without JavaScript the form's own button still asks for the report.
    assert '<button type="submit" name="check"' in text


def test_the_edit_chapter_panel_names_its_work_and_chapter_and_links_the_report(
    author_client, author
):
    work = make_work(author, post=False)
    chapter = work.chapters.get()
    text = page(author_client.get(reverse("works:edit_chapter", args=[work.pk, chapter.pk])))
    panel = re.search(r"<section class=\"live-check\".*?>", text, re.S)[0]
    assert f'"work_id": "{work.pk}", "chapter_id": "{chapter.pk}"' in panel
    assert reverse("betareader:check", args=[work.pk, chapter.pk]) in text


def test_a_logged_in_author_with_a_password_can_check(client):
    make_user("writer")
    assert client.login(username="writer", password=PASSWORD)
    assert live_check(client, SENTENCES).status_code == 200


def test_a_text_full_of_findings_lists_those_nearest_the_caret_and_counts_them_all(
    author_client,
):
    sentences = [f"In room {number} she should of known." for number in range(live.LISTED_MAX + 10)]
    text = "\n\n".join(sentences)
    response = live_check_all(author_client, text, caret=len(text))
    buttons = [fix for fix in fix_buttons(response) if fix["expected"] == "should of"]
    assert len(buttons) == live.LISTED_MAX
    last = text.rindex("should of")
    assert max(fix["start"] for fix in buttons) == last  # the one by the caret is listed
    assert f"{live.LISTED_MAX + 10} errors" in page(response)
    assert "10 more are counted above" in page(response)
