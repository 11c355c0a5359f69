"""The worst text an author (or an attacker) can send, at the size limits, through every page
that reads text: each answers within WORST_CASE_SECONDS with a page (the form again with a
clear error, or a redirect to what was saved), never a server error. The text functions
behind them are timed on the same input.

Quadratic text handling once made a chapter of 24,000 asterisks take 20 s and an import of
`<head>` × 20,000 take 9 s; these inputs are the ones that found it, and the shapes of input
that make HTML parsers and regular expressions slow: deep nesting, tags that never end,
marked sections, very many lines.
"""

import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ficshelf.imports.parsing import ImportRefused, parse_file
from ficshelf.imports.services import WorkChoices, import_work
from ficshelf.userstuff import TextFormat, TextRefused, notes_to_html, to_html
from ficshelf.works.limits import CHAPTER_TEXT_MAX, NOTES_MAX
from ficshelf.works.models import Chapter, Work
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db

# Generous: the inputs below run in a second or two; quadratic code took minutes. Times are
# this process's CPU time (the pages run in-process through the test client): what the code
# costs, not how busy the shared machine is.
WORST_CASE_SECONDS = 15
# "Check chapter" runs the whole beta reader (Harper) on the text: text that is nothing but
# errors takes it longest. Before the limits it took minutes; this bound keeps it bounded.
CHECK_SECONDS = 30
# Time for the pure functions, which do a fraction of a request's work.
FUNCTION_SECONDS = 8
SVU = "Law & Order: Special Victims Unit"
CLIPBOARD = Path(__file__).resolve().parents[1] / "userstuff" / "clipboard"


def _to_limit(piece: str, limit: int = CHAPTER_TEXT_MAX) -> str:
    return piece * (limit // len(piece))


WORST_CASES = {
    # One line, one "word" of asterisks: a divider check that backtracks is quadratic here.
    "asterisks": "*" * (CHAPTER_TEXT_MAX - 1) + "x",
    # An element HTML ignores inside a text, repeated: once quadratic in the import's regexes.
    "heads": _to_limit("<head>"),
    # Nesting no story needs: html5ever's scope checks are quadratic in the depth.
    "nested divs": "<div>" * 45_000 + "x",
    # Marked sections, which made Python's html.parser raise AssertionError.
    "marked sections": _to_limit("<![foo[bar]]>Soup "),
    "one-line paragraphs": _to_limit("A line of its own.\n\n", 20 * 10_000),
    "unclosed paragraphs": _to_limit("<p>x"),
    "tags that never end": _to_limit('<a title="'),
    "unclosed italics": _to_limit("<i>x</i"),
    "less-than signs": "<" * CHAPTER_TEXT_MAX,
}
FORMATS = [TextFormat.HTML, TextFormat.PLAIN, TextFormat.MARKDOWN]
# The cost of these inputs is in the text handling, which never touches the database: the pure
# functions run once (on the SQLite run), and on PostgreSQL the pages take every worst case in
# one format, which still covers saving each result there. (CI runs the suite on both.)
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
PAGE_FORMATS = [TextFormat.HTML] if ON_POSTGRESQL else FORMATS
text_only = pytest.mark.skipif(
    ON_POSTGRESQL, reason="text handling only: run once, in the SQLite run"
)


def _clipboard_paste(size: int) -> str:
    """Google Docs' clipboard HTML, pasted over and over until it is `size` characters long."""
    sample = (CLIPBOARD / "google_docs.html").read_text()
    return sample * (size // len(sample) + 1)


def _answered_in_time(response, started: float, *, checked: bool = False) -> None:
    """The page came in time and is what the author should see: after "Check chapter", the
    form with the beta reader's report; else what was saved, or the form saying what is wrong."""
    elapsed = time.process_time() - started
    assert elapsed < (CHECK_SECONDS if checked else WORST_CASE_SECONDS), f"took {elapsed:.1f} s"
    page = response.content.decode()
    if checked:
        assert response.status_code == 200
        assert 'id="beta-report"' in page or "errorlist" in page
    else:
        assert response.status_code in (200, 302), response.status_code
        assert response.status_code == 302 or "errorlist" in page


@pytest.fixture
def writer(client):
    user = make_user("worstcase")
    client.force_login(user)
    return user


@pytest.fixture
def work(writer):
    return make_work(writer, title="Quiet Hours")


def _new_work_data(writer, **fields) -> dict:
    return {
        "pseuds": [writer.default_pseud.pk],
        "title": "Quiet Hours",
        "rating": "teen",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": SVU,
        "language": "en",
        "text_format": TextFormat.HTML,
        "text": "<p>It was a quiet night at the precinct.</p>",
        "post": "Post",
    } | fields


# --- Posting a work or a chapter --------------------------------------------------------------


@pytest.mark.parametrize("text_format", PAGE_FORMATS)
@pytest.mark.parametrize("case", WORST_CASES)
def test_the_new_work_form_answers_worst_case_text_in_time(client, writer, case, text_format):
    data = _new_work_data(writer, text=WORST_CASES[case], text_format=text_format)
    started = time.process_time()
    response = client.post("/works/new", data)
    _answered_in_time(response, started)


@pytest.mark.parametrize("text_format", PAGE_FORMATS)
@pytest.mark.parametrize("case", WORST_CASES)
def test_the_new_chapter_form_answers_worst_case_text_in_time(client, work, case, text_format):
    data = {"text": WORST_CASES[case], "text_format": text_format, "post": "Post"}
    started = time.process_time()
    response = client.post(f"/works/{work.pk}/chapters/new", data)
    _answered_in_time(response, started)


# "Check chapter" turns the text into the HTML it would be stored as, then runs the beta reader on
# that HTML, which is where the time goes. Markdown gives each worst case the very HTML that
# plain text gives (test_markdown_gives_the_checker_what_plain_text_gives proves it), so a
# Markdown check would run the beta reader a second time on the same text: the page is timed
# in HTML and plain text, and Markdown's own conversion is timed by test_to_html_is_linear_....
CHECK_FORMATS = [f for f in PAGE_FORMATS if f != TextFormat.MARKDOWN]
_CHECK_CASES = [
    pytest.param(case, text_format, id=f"{case}-{text_format}")
    for case in WORST_CASES
    for text_format in CHECK_FORMATS
]


@pytest.mark.parametrize(("case", "text_format"), _CHECK_CASES)
def test_checking_worst_case_text_answers_in_time_and_saves_nothing(
    client, work, case, text_format
):
    data = {"text": WORST_CASES[case], "text_format": text_format, "check": "Check chapter"}
    started = time.process_time()
    response = client.post(f"/works/{work.pk}/chapters/new", data)
    _answered_in_time(response, started, checked=True)
    assert Chapter.objects.filter(work=work).count() == 1


def _html_or_refusal(text: str, text_format: str) -> str:
    try:
        return to_html(text, text_format)
    except TextRefused as refusal:
        return f"refused: {refusal}"


@text_only
@pytest.mark.parametrize("case", WORST_CASES)
def test_markdown_gives_the_checker_what_plain_text_gives(case):
    markdown = _html_or_refusal(WORST_CASES[case], TextFormat.MARKDOWN)
    assert markdown == _html_or_refusal(WORST_CASES[case], TextFormat.PLAIN)


def test_nesting_no_story_needs_is_refused_with_a_reason(client, work):
    data = {"text": WORST_CASES["nested divs"], "text_format": TextFormat.HTML, "post": "Post"}
    page = client.post(f"/works/{work.pk}/chapters/new", data).content.decode()
    assert "nested more than 100 levels deep" in page
    assert Chapter.objects.filter(work=work).count() == 1


def test_five_megabytes_of_pasted_html_are_too_long_and_stay_in_the_form(client, work):
    text = _clipboard_paste(5 * 1024 * 1024)
    started = time.process_time()
    response = client.post(
        f"/works/{work.pk}/chapters/new", {"text": text, "text_format": "html", "post": "Post"}
    )
    _answered_in_time(response, started)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"the most a chapter can hold is {CHAPTER_TEXT_MAX:,}" in page
    assert "docs-internal-guid-3f2a8c1e" in page  # what was pasted, to be split and sent again
    assert Chapter.objects.filter(work=work).count() == 1


def test_checking_five_megabytes_of_pasted_html_answers_in_time(client, work):
    text = _clipboard_paste(5 * 1024 * 1024)
    started = time.process_time()
    response = client.post(
        f"/works/{work.pk}/chapters/new", {"text": text, "text_format": "html", "check": "Check"}
    )
    _answered_in_time(response, started, checked=True)


def test_ten_thousand_pasted_paragraphs_post_in_time(client, work):
    text = _clipboard_paste(CHAPTER_TEXT_MAX - 10_000)
    started = time.process_time()
    response = client.post(
        f"/works/{work.pk}/chapters/new", {"text": text, "text_format": "html", "post": "Post"}
    )
    _answered_in_time(response, started)
    assert response.status_code == 302
    assert "<em>twice</em>" in Chapter.objects.get(work=work, position=2).text


# --- Summaries and notes ----------------------------------------------------------------------


@pytest.mark.parametrize("case", WORST_CASES)
def test_worst_case_summaries_and_notes_answer_in_time(client, writer, case):
    notes = WORST_CASES[case][:NOTES_MAX]
    data = _new_work_data(writer, summary=notes[:1_250], notes=notes, end_notes=notes)
    started = time.process_time()
    response = client.post("/works/new", data)
    _answered_in_time(response, started)


def test_notes_longer_than_the_limit_are_refused_in_time(client, work):
    data = {"text": "<p>Text.</p>", "text_format": "html", "notes": "<div>" * 1_000_000}
    started = time.process_time()
    response = client.post(f"/works/{work.pk}/chapters/new", data | {"post": "Post"})
    _answered_in_time(response, started)
    assert response.status_code == 200
    assert f"at most {NOTES_MAX:,} characters" in response.content.decode()


# --- Imports ----------------------------------------------------------------------------------

_IMPORT_NAMES = {TextFormat.PLAIN: "story.txt", TextFormat.HTML: "story.html",
                 TextFormat.MARKDOWN: "story.md"}  # fmt: skip


@pytest.mark.parametrize("text_format", PAGE_FORMATS)
@pytest.mark.parametrize("case", WORST_CASES)
def test_uploading_a_worst_case_file_answers_in_time(client, writer, case, text_format):
    upload = SimpleUploadedFile(_IMPORT_NAMES[text_format], WORST_CASES[case].encode())
    started = time.process_time()
    response = client.post("/works/import", {"file": upload, "fandoms": SVU, "posting": "post"})
    elapsed = time.process_time() - started
    assert elapsed < WORST_CASE_SECONDS, f"took {elapsed:.1f} s"
    assert response.status_code in (302, 400), response.status_code


@pytest.mark.parametrize("text_format", FORMATS)
@pytest.mark.parametrize("case", ["heads", "nested divs", "marked sections", "asterisks"])
def test_importing_a_worst_case_file_is_a_work_or_a_refusal(writer, case, text_format):
    started = time.process_time()
    try:
        result = import_work(
            file_bytes=WORST_CASES[case].encode(),
            filename=_IMPORT_NAMES[text_format],
            importer=writer,
            defaults=WorkChoices(fandoms=[SVU]),
        )
    except ImportRefused as refusal:
        assert refusal.message
        assert not Work.objects.filter(title="story").exists()
    else:
        assert result.work.chapters.count() == 1
    assert time.process_time() - started < WORST_CASE_SECONDS


def test_a_utf16_file_with_nul_characters_imports_without_them(writer):
    text = "Title: Quiet\x00 Hours\nTags: night\x00shift\n\nIt was a quiet\x00 night.\n"
    result = import_work(
        file_bytes=text.encode("utf-16"),
        filename="story\x00.txt",
        importer=writer,
        defaults=WorkChoices(fandoms=[SVU]),
    )
    work = result.work
    assert work.title == "Quiet Hours"
    assert [tag.name for tag in work.freeforms] == ["nightshift"]
    assert "\x00" not in work.chapters.get().text
    assert work.imports.get().filename == "story.txt"


# --- The functions behind the pages -----------------------------------------------------------


def _timed(function, *args):
    started = time.process_time()
    try:
        result = function(*args)
    except (TextRefused, ImportRefused) as refusal:
        result = refusal
    elapsed = time.process_time() - started
    assert elapsed < FUNCTION_SECONDS, f"took {elapsed:.1f} s"
    return result


@text_only
@pytest.mark.parametrize("text_format", FORMATS)
@pytest.mark.parametrize("case", WORST_CASES)
def test_to_html_is_linear_on_worst_case_text(case, text_format):
    result = _timed(to_html, WORST_CASES[case], text_format)
    assert isinstance(result, (str, TextRefused))
    if isinstance(result, str):
        assert "data-p" not in result


@text_only
@pytest.mark.parametrize("case", WORST_CASES)
def test_notes_to_html_is_linear_on_worst_case_text(case):
    _timed(notes_to_html, WORST_CASES[case])


@text_only
def test_to_html_refuses_nesting_no_story_needs():
    with pytest.raises(TextRefused, match="nested more than 100 levels deep"):
        to_html(WORST_CASES["nested divs"], TextFormat.HTML)


@text_only
@pytest.mark.parametrize("name", _IMPORT_NAMES.values())
@pytest.mark.parametrize("case", WORST_CASES)
def test_parse_file_is_linear_on_worst_case_files(case, name):
    _timed(parse_file, WORST_CASES[case].encode(), name)


@text_only
def test_a_file_of_marked_sections_is_read_past_them():
    parsed = parse_file(b"<title>Soup</title><![foo[bar]]><p>Kept.</p><![if !x]>", "a.html")
    assert parsed.choices.title == "Soup"
    assert "Kept." in parsed.text
