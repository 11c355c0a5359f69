"""Paragraph ids: every block of chapter text has one, and it survives the author's edits."""

import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ficshelf.userstuff import TextFormat, clean_html, paragraphs, to_html
from ficshelf.userstuff.formatting import plain_text_to_html
from ficshelf.userstuff.paragraphs import (
    Paragraph,
    clean_numbered_html,
    locate_paragraph,
    number_paragraphs,
    paragraphs_of,
    strip_paragraph_ids,
)

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED_CHAPTER = SHARED / "seed" / "000_a100ff2d1837b2ec.txt"
XSS_PAYLOADS = SHARED / "security" / "xss"
FIRST_LINE = "His heart had stopped beating."


def chapter(*paragraphs: str) -> str:
    """Clean chapter HTML, one `<p>` per argument, as a creator's text is stored."""
    return clean_html("\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs))


def ids(html: str) -> list[str]:
    return [paragraph.id for paragraph in paragraphs_of(html)]


def ids_by_text(html: str) -> dict[str, str]:
    return {paragraph.text: paragraph.id for paragraph in paragraphs_of(html)}


def seed_html(text: str | None = None) -> str:
    return clean_html(plain_text_to_html(text or SEED_CHAPTER.read_text()))


class _StartTags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def start_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _StartTags()
    parser.feed(html)
    parser.close()
    return parser.tags


# --- Which blocks get ids -----------------------------------------------------------------------


def test_every_block_of_a_chapter_gets_a_distinct_id():
    numbered, next_id = number_paragraphs(
        chapter("Once upon a time.", "There was a ship.", "It sank.")
    )
    assert ids(numbered) == ["1", "2", "3"]
    assert next_id == 4
    assert numbered.startswith('<p data-p="1">Once upon a time.</p>')


def test_numbering_continues_from_the_chapters_counter():
    numbered, next_id = number_paragraphs(chapter("One.", "Two."), next_id=41)
    assert ids(numbered) == ["41", "42"]
    assert next_id == 43


def test_every_paragraph_and_scene_break_of_the_seed_chapter_carries_an_id():
    numbered, next_id = number_paragraphs(seed_html())
    blocks = [(tag, attrs) for tag, attrs in start_tags(numbered) if tag in {"p", "hr"}]
    assert [tag for tag, _ in blocks].count("hr") >= 1
    assert all("data-p" in attrs for _, attrs in blocks)
    numbers = [attrs["data-p"] for _, attrs in blocks]
    assert len(set(numbers)) == len(numbers) == next_id - 1


def test_headings_list_items_table_cells_and_leaf_divs_are_paragraphs():
    numbered, _ = number_paragraphs(
        clean_html(
            "<h2>Chapter One</h2><ul><li>eggs</li><li>milk</li></ul>"
            "<table><tr><th>Who</th><td>Olivia</td></tr></table><div>A note.</div><pre>code</pre>"
        )
    )
    assert [p.text for p in paragraphs_of(numbered)] == [
        "Chapter One", "eggs", "milk", "Who", "Olivia", "A note.", "code",
    ]  # fmt: skip
    assert ids(numbered) == ["1", "2", "3", "4", "5", "6", "7"]
    assert '<ul><li data-p="2">' in numbered


def test_a_blockquote_of_paragraphs_numbers_the_paragraphs_not_the_blockquote():
    numbered, _ = number_paragraphs(
        clean_html("<blockquote><p>Dear Elliot,</p><p>I'm sorry.</p></blockquote>")
    )
    assert numbered == (
        '<blockquote><p data-p="1">Dear Elliot,</p><p data-p="2">I\'m sorry.</p></blockquote>'
    )


def test_a_blockquote_of_plain_text_is_one_paragraph():
    numbered, _ = number_paragraphs(clean_html("<blockquote>The letter said no.</blockquote>"))
    assert numbered == '<blockquote data-p="1">The letter said no.</blockquote>'


def test_a_list_item_with_a_nested_list_keeps_its_own_text_and_the_nested_items_theirs():
    numbered, _ = number_paragraphs(
        clean_html("<ol><li>Suspects<ul><li>Cragen</li><li>Munch</li></ul></li></ol>")
    )
    assert [(p.id, p.text) for p in paragraphs_of(numbered)] == [
        ("1", "Suspects"), ("2", "Cragen"), ("3", "Munch"),
    ]  # fmt: skip


def test_loose_text_at_the_top_level_is_wrapped_in_a_numbered_paragraph():
    numbered, _ = number_paragraphs(
        clean_html("A loose line with <em>emphasis</em>\n<p>A paragraph.</p>\nAnd a last word.")
    )
    assert numbered == (
        '<p data-p="1">A loose line with <em>emphasis</em></p>\n'
        '<p data-p="2">A paragraph.</p>\n'
        '<p data-p="3">And a last word.</p>'
    )


def test_white_space_between_blocks_is_not_a_paragraph():
    numbered, _ = number_paragraphs(clean_html("<p>One.</p>\n\n  \n<p>Two.</p>"))
    assert ids(numbered) == ["1", "2"]


def test_paragraphs_pasted_inside_an_inline_element_are_numbered_without_breaking_it():
    # Google Docs wraps a whole paste in <b>; text left inside it after the paragraphs is loose.
    numbered, _ = number_paragraphs(
        clean_html('<b id="docs-internal-guid"><p>First.</p><p>Second.</p>Trailing.</b>')
    )
    assert numbered == (
        '<b><p data-p="1">First.</p><p data-p="2">Second.</p><p data-p="3">Trailing.</p></b>'
    )


def test_a_forged_id_in_the_authors_html_is_replaced():
    numbered, next_id = number_paragraphs('<p data-p="999">Mine.</p><p data-p="1">Also mine.</p>')
    assert ids(numbered) == ["1", "2"]
    assert next_id == 3
    assert "999" not in numbered


def test_numbering_numbered_text_again_changes_nothing():
    numbered, next_id = number_paragraphs(seed_html())
    assert number_paragraphs(numbered, previous=numbered, next_id=next_id) == (numbered, next_id)


# --- Ids survive edits --------------------------------------------------------------------------


def test_a_typo_fix_keeps_every_id():
    numbered, next_id = number_paragraphs(seed_html())
    text = SEED_CHAPTER.read_text().replace(FIRST_LINE, "His heart had stoped beating.")
    renumbered, new_next_id = number_paragraphs(seed_html(text), previous=numbered, next_id=next_id)
    assert ids(renumbered) == ids(numbered)
    assert new_next_id == next_id


def test_a_word_or_a_sentence_added_keeps_the_id():
    numbered, next_id = number_paragraphs(
        chapter("She ran down the alley, gun drawn, and did not look back at the diner.")
    )
    edited = chapter(
        "She ran down the dark alley, gun drawn, and did not look back at the diner. It was gone."
    )
    assert ids(number_paragraphs(edited, previous=numbered, next_id=next_id)[0]) == ["1"]


def test_bold_added_to_a_word_keeps_the_id():
    numbered, next_id = number_paragraphs(chapter("It was a setup.", "Not until too late."))
    edited = chapter("It was a <strong>setup</strong>.", "Not until too late.")
    assert ids(number_paragraphs(edited, previous=numbered, next_id=next_id)[0]) == ["1", "2"]


def test_an_inserted_paragraph_gets_the_next_id_and_the_others_keep_theirs():
    numbered, next_id = number_paragraphs(seed_html())
    text = SEED_CHAPTER.read_text().replace(FIRST_LINE, f"{FIRST_LINE}\n\nThe rain had not.")
    renumbered, new_next_id = number_paragraphs(seed_html(text), previous=numbered, next_id=next_id)
    before, after = ids_by_text(numbered), ids_by_text(renumbered)
    assert after.pop("The rain had not.") == str(next_id)
    assert after == before
    assert new_next_id == next_id + 1


def test_a_removed_paragraphs_id_is_never_handed_out_again():
    numbered, next_id = number_paragraphs(chapter("One.", "Two.", "Three."))
    without_two, next_id = number_paragraphs(
        chapter("One.", "Three."), previous=numbered, next_id=next_id
    )
    assert ids(without_two) == ["1", "3"]
    with_new, next_id = number_paragraphs(
        chapter("One.", "Three.", "Four, written later."), previous=without_two, next_id=next_id
    )
    assert ids(with_new) == ["1", "3", "4"]
    assert next_id == 5


def test_a_rewritten_paragraph_gets_a_new_id():
    numbered, next_id = number_paragraphs(seed_html())
    text = SEED_CHAPTER.read_text().replace(FIRST_LINE, "Nobody expected the rain to stop.")
    renumbered, _ = number_paragraphs(seed_html(text), previous=numbered, next_id=next_id)
    assert ids_by_text(renumbered)["Nobody expected the rain to stop."] == str(next_id)
    assert str(ids_by_text(numbered)[FIRST_LINE]) not in ids(renumbered)


def test_a_moved_paragraph_keeps_its_id():
    numbered, next_id = number_paragraphs(chapter("Alpha.", "Beta.", "Gamma.", "Delta."))
    moved, new_next_id = number_paragraphs(
        chapter("Beta.", "Gamma.", "Delta.", "Alpha."), previous=numbered, next_id=next_id
    )
    assert ids(moved) == ["2", "3", "4", "1"]
    assert new_next_id == next_id


def test_a_moved_scene_break_keeps_its_id():
    numbered, next_id = number_paragraphs(clean_html("<p>Before.</p><hr><p>After.</p><p>End.</p>"))
    moved, _ = number_paragraphs(
        clean_html("<p>Before.</p><p>After.</p><hr><p>End.</p>"), previous=numbered, next_id=next_id
    )
    assert ids(moved) == ["1", "3", "2", "4"]


def test_identical_paragraphs_keep_their_ids_in_order():
    numbered, next_id = number_paragraphs(chapter("Yes.", "No.", "Yes.", "Maybe.", "Yes."))
    assert ids(numbered) == ["1", "2", "3", "4", "5"]
    # The middle "Yes." goes: the other two keep the ids of the ones between the same neighbours.
    renumbered, _ = number_paragraphs(
        chapter("Yes.", "No.", "Maybe.", "Yes."), previous=numbered, next_id=next_id
    )
    assert ids(renumbered) == ["1", "2", "4", "5"]


def test_an_id_duplicated_in_the_stored_text_is_given_to_only_one_paragraph():
    stored = '<p data-p="1">One.</p><p data-p="1">Two.</p><p data-p="2">Three.</p>'
    renumbered, next_id = number_paragraphs(
        chapter("One.", "Two.", "Three."), previous=stored, next_id=3
    )
    assert ids(renumbered) == ["1", "3", "2"]
    assert next_id == 4


def test_new_ids_count_past_any_id_in_the_stored_text():
    stored = '<p data-p="70">One.</p>'
    renumbered, next_id = number_paragraphs(chapter("One.", "Two."), previous=stored, next_id=3)
    assert ids(renumbered) == ["70", "71"]
    assert next_id == 72


# --- Reading, stripping and locating ------------------------------------------------------------


def test_paragraphs_of_gives_each_paragraphs_id_visible_text_and_position():
    numbered, _ = number_paragraphs(
        clean_html("<p>Tom &amp; Jerry<br>\n   ran.</p><hr><p><i>Fin</i>.</p>")
    )
    assert paragraphs_of(numbered) == [
        Paragraph(id="1", text="Tom & Jerry ran.", position=0),
        Paragraph(id="2", text="", position=1),
        Paragraph(id="3", text="Fin.", position=2),
    ]


def test_text_never_numbered_has_paragraphs_without_ids():
    assert paragraphs_of(chapter("One.")) == [Paragraph(id="", text="One.", position=0)]


def test_strip_paragraph_ids_gives_back_the_authors_html():
    html = chapter("One <b>bold</b> line.", "Two.") + '<hr><p title="data-p=&quot;4&quot;">x</p>'
    numbered, _ = number_paragraphs(html)
    assert strip_paragraph_ids(numbered) == html


def test_a_paragraph_still_in_the_chapter_is_present():
    numbered, _ = number_paragraphs(chapter("One.", "Two."))
    assert locate_paragraph(numbered, "2").status == "present"
    assert locate_paragraph(numbered, "2").paragraph == Paragraph("2", "Two.", 1)


def test_a_rewritten_paragraph_is_found_again_by_the_quote_a_reader_highlighted():
    numbered, _ = number_paragraphs(
        chapter("It was late, far too late for a stakeout.", "Olivia drew her gun.")
    )
    location = locate_paragraph(numbered, "17", quote="far  too\nlate")
    assert location.status == "moved"
    assert location.paragraph.id == "1"


def test_a_quote_that_was_edited_a_little_still_finds_its_paragraph():
    numbered, _ = number_paragraphs(
        chapter("Olivia drew her gun.", "The gunshots rang loud and clear in the November air.")
    )
    location = locate_paragraph(numbered, "17", quote="The gunshots rang loud and clear in the air")
    assert (location.status, location.paragraph.id) == ("moved", "2")


def test_a_paragraph_whose_id_and_quote_are_gone_was_removed():
    numbered, _ = number_paragraphs(chapter("One.", "Two."))
    assert locate_paragraph(numbered, "17", quote="Three and four and five.").status == "removed"
    assert locate_paragraph(numbered, "17").paragraph is None


# --- Cleaning stored, numbered text -------------------------------------------------------------


def test_cleaning_numbered_text_keeps_its_ids():
    numbered, _ = number_paragraphs(seed_html())
    assert clean_numbered_html(numbered) == numbered


def test_cleaning_numbered_text_drops_invalid_ids_and_other_data_attributes():
    cleaned = clean_numbered_html(
        '<p data-p="x<y">a</p><p data-p="0">b</p><p data-foo="1" data-p="12">c</p>'
        '<span data-p="3">d</span><script>alert(1)</script>'
    )
    assert cleaned == '<p>a</p><p>b</p><p data-p="12">c</p><span>d</span>'


def xss_payloads() -> list[str]:
    if not XSS_PAYLOADS.is_dir():
        pytest.skip(f"{XSS_PAYLOADS} is not here")
    files = sorted(XSS_PAYLOADS.glob("*.txt"))
    lines = (path.read_text(encoding="utf-8", errors="replace").splitlines() for path in files)
    return [line for file_lines in lines for line in file_lines if line.strip()]


def test_cleaning_with_paragraph_ids_lets_no_attack_through_that_clean_html_stops():
    for payload in xss_payloads():
        assert strip_paragraph_ids(clean_numbered_html(payload)) == clean_html(payload), payload


def test_numbered_text_of_any_cleaned_input_survives_cleaning_and_renumbering_unchanged():
    for payload in xss_payloads():
        numbered, next_id = number_paragraphs(clean_html(payload))
        assert clean_numbered_html(numbered) == numbered, payload
        assert number_paragraphs(numbered, previous=numbered, next_id=next_id)[0] == numbered


def test_what_a_creator_sends_loses_every_id():
    assert clean_html('<p data-p="12">Forged.</p>') == "<p>Forged.</p>"


# --- Long chapters ------------------------------------------------------------------------------


def _timed(function, *args, **kwargs):
    # CPU time: what the code costs, however busy the shared machine is.
    started = time.process_time()
    result = function(*args, **kwargs)
    return result, time.process_time() - started


def test_ten_thousand_paragraphs_are_numbered_and_renumbered_after_an_edit_in_time():
    lines = [f"Line {n} of the chapter, where something happens to someone." for n in range(10_000)]
    (numbered, next_id), first = _timed(number_paragraphs, chapter(*lines))
    lines[5_000] = lines[5_000].replace("something", "nothing")
    (renumbered, new_next_id), second = _timed(
        number_paragraphs, chapter(*lines), previous=numbered, next_id=next_id
    )
    assert ids(renumbered) == ids(numbered)
    assert new_next_id == next_id == 10_001
    assert first < 2 and second < 2


def test_five_thousand_identical_paragraphs_are_numbered_in_time():
    (numbered, next_id), first = _timed(number_paragraphs, chapter(*["Yes."] * 5_000))
    lines = ["Yes."] * 5_000
    lines[2_500] = "No."
    (renumbered, _), second = _timed(
        number_paragraphs, chapter(*lines), previous=numbered, next_id=next_id
    )
    assert len(set(ids(renumbered))) == 5_000
    assert ids(renumbered)[2_500] == "5001"
    assert first < 2 and second < 2


# --- The quick numbering of a new chapter of plain paragraphs ----------------------------------


def _numbered_by_the_walk(html: str, next_id: int = 1) -> tuple[str, int]:
    """What the general walk gives a new chapter (the quick pass must give the same)."""
    walked = paragraphs._Chapter(html)
    count = len(walked.paragraphs)
    return walked.render([str(next_id + n) for n in range(count)]), next_id + count


QUICK_OR_NOT = {
    "the seed story": seed_html(),
    "inline markup, entities, line breaks and an image": clean_html(
        "<p><em>Fire</em> escapes &amp; <strong>stairs</strong>,<br>then&nbsp;nothing.</p>\n"
        '<p></p>\n<p><a href="https://example.org/">a link</a> <img src="https://example.org/a.png"'
        ' alt="x"></p>'
    ),
    "Markdown with a scene break": to_html("One *two*.\n\n***\n\nThree.", TextFormat.MARKDOWN),
    "a blockquote of paragraphs": clean_html("<blockquote><p>a</p><p>b</p></blockquote><p>c</p>"),
    "loose text between paragraphs": clean_html("<p>a</p> loose <b>text</b> <p>b</p>"),
    "a list": clean_html("<p>a</p><ul><li>one</li><li>two<ul><li>three</li></ul></li></ul>"),
    "a forged id": clean_html('<p data-p="7">a</p><p>b</p>'),
    "an empty chapter": "",
}


@pytest.mark.parametrize("case", QUICK_OR_NOT)
def test_a_new_chapter_is_numbered_as_the_walk_numbers_it(case):
    html = QUICK_OR_NOT[case]
    assert number_paragraphs(html, next_id=5) == _numbered_by_the_walk(html, next_id=5)


def test_a_hundred_thousand_short_paragraphs_are_numbered_in_well_under_a_second():
    html = chapter(*["x"] * 100_000)
    (numbered, next_id), took = _timed(number_paragraphs, html)
    assert next_id == 100_001
    assert ids(numbered)[:3] == ["1", "2", "3"] and ids(numbered)[-1] == "100000"
    assert took < 1
