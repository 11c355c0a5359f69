"""Reading files into a work's parts: the seed format's header, scene breaks, HTML, Markdown,
and the files that are refused."""

import time

import pytest

from ficshelf.imports.parsing import MAX_FILE_BYTES, WARNINGS_SHOWN, ImportRefused, parse_file
from ficshelf.userstuff import count_words, to_html
from ficshelf.works.limits import CHAPTER_TEXT_MAX

from .conftest import SEED_PATH


def parse_text(text: str, filename: str = "story.txt"):
    return parse_file(text.encode("utf-8"), filename)


def html_of(parsed) -> str:
    return to_html(parsed.text, parsed.text_format)


def refusal(data: bytes, filename: str = "story.txt") -> str:
    with pytest.raises(ImportRefused) as caught:
        parse_file(data, filename)
    return caught.value.message


# --- The seed -----------------------------------------------------------------------------------


def test_the_seed_story_gives_its_title_pairing_and_author_note(seed_bytes):
    parsed = parse_file(seed_bytes, SEED_PATH.name)
    assert parsed.choices.title == "Traitor"
    assert parsed.choices.relationships == ["Alex/Olivia"]
    assert parsed.notes.startswith("<p>Hey guys! Welcome to a hopefully long term story")
    assert parsed.warnings == []


def test_the_seed_story_has_28_paragraphs_two_scene_breaks_and_2989_words(seed_bytes):
    html = html_of(parse_file(seed_bytes, SEED_PATH.name))
    assert html.count("<p>") == 28
    assert html.count("<hr>") == 2
    assert abs(count_words(html) - 2_989) <= 30
    assert html.startswith("<p>His heart had stopped beating.</p>")
    assert "Author Note" not in html


# --- The header ---------------------------------------------------------------------------------


def test_header_keys_ignore_case_and_accept_the_usual_names():
    parsed = parse_text(
        "TITLE: Quiet Hours\n"
        "fandoms : Law & Order: SVU\n"
        "Relationships: Alex/Olivia, Elliot & Olivia\n"
        "Rating: Teen And Up Audiences\n"
        "Archive Warnings: No Archive Warnings Apply\n"
        "Characters: Olivia Benson, Alex Cabot\n"
        "Additional Tags: Hurt/Comfort, Snow\n"
        "Categories: F/F, Gen\n"
        "Language: English\n"
        "Summary: A long night.\n"
        "A/N: Thanks for reading.\n"
        "\n"
        "The story.\n"
    )
    choices = parsed.choices
    assert choices.title == "Quiet Hours"
    assert choices.fandoms == ["Law & Order: SVU"]
    assert choices.relationships == ["Alex/Olivia", "Elliot & Olivia"]
    assert choices.rating == "teen"
    assert choices.warnings == ["No Archive Warnings Apply"]
    assert choices.characters == ["Olivia Benson", "Alex Cabot"]
    assert choices.freeforms == ["Hurt/Comfort", "Snow"]
    assert choices.categories == ["F/F", "Gen"]
    assert choices.language == "en"
    assert parsed.summary == "<p>A long night.</p>"
    assert parsed.notes == "<p>Thanks for reading.</p>"
    assert html_of(parsed) == "<p>The story.</p>"


@pytest.mark.parametrize(
    "key", ["Author Note", "Author's Note", "Author’s Notes", "A/N", "Notes", "author note"]
)
def test_every_spelling_of_the_author_note_becomes_the_notes(key):
    parsed = parse_text(f"Title: T\n{key}: Hello there.\n\nText.")
    assert parsed.notes == "<p>Hello there.</p>"


@pytest.mark.parametrize("key", ["Tags", "Additional Tags", "Freeform", "Freeforms"])
def test_every_spelling_of_additional_tags_becomes_freeforms(key):
    assert parse_text(f"Title: T\n{key}: Snow, Angst\n\nText.").choices.freeforms == [
        "Snow",
        "Angst",
    ]


def test_a_header_value_continues_on_the_lines_under_it():
    parsed = parse_text(
        "Title: T\nSummary: Olivia climbs\nten stories in the snow.\nCharacters: Olivia Benson,\n"
        "Alex Cabot\n\nText."
    )
    assert parsed.summary == "<p>Olivia climbs<br>\nten stories in the snow.</p>"
    assert parsed.choices.characters == ["Olivia Benson", "Alex Cabot"]


def test_unknown_header_keys_are_kept_in_the_notes():
    parsed = parse_text(
        "Title: T\nAuthor Note: Hi.\nDisclaimer: I own nothing.\n\nBeta Reader: Sam\n\nText."
    )
    assert parsed.notes == "<p>Hi.</p>\n<p>Disclaimer: I own nothing.</p>\n<p>Beta Reader: Sam</p>"
    assert html_of(parsed) == "<p>Text.</p>"
    assert any("Disclaimer" in warning for warning in parsed.warnings)


def test_a_story_that_begins_with_a_colon_line_keeps_it():
    parsed = parse_text("Chapter One: The Fire Escape\n\nShe climbed.", "fire_escape.txt")
    assert parsed.choices.title == "fire escape"
    assert html_of(parsed) == "<p>Chapter One: The Fire Escape</p>\n<p>She climbed.</p>"


def test_a_chapter_heading_after_the_header_stays_in_the_text():
    parsed = parse_text("Title: T\n\nChapter 1: Snow\n\nShe climbed.")
    assert html_of(parsed).startswith("<p>Chapter 1: Snow</p>")
    assert parsed.notes == ""


def test_a_divider_line_ends_the_header():
    parsed = parse_text("Title: T\nRating: M\n* * *\nShe climbed.")
    assert parsed.choices.rating == "mature"
    assert html_of(parsed) == "<p>She climbed.</p>"


def test_an_unknown_rating_is_kept_in_the_notes_with_a_warning():
    parsed = parse_text("Title: T\nRating: spicy\n\nText.")
    assert parsed.choices.rating is None
    assert parsed.notes == "<p>Rating: spicy</p>"
    assert any("spicy" in warning for warning in parsed.warnings)


def test_a_warning_that_is_not_an_archive_warning_becomes_an_additional_tag():
    parsed = parse_text("Title: T\nWarnings: violence, language\n\nText.")
    assert parsed.choices.warnings == ["Graphic Depictions Of Violence"]
    assert parsed.choices.freeforms == ["language"]
    assert any("language" in warning for warning in parsed.warnings)


def test_a_file_without_a_title_is_named_after_the_file():
    parsed = parse_text("Just a story.", "the_long_night.txt")
    assert parsed.choices.title == "the long night"
    assert any("no title" in warning for warning in parsed.warnings)


# --- Scene breaks -------------------------------------------------------------------------------


@pytest.mark.parametrize("divider", ["***", "* * *", "---", "~~~", "#", "o0o", "xXx"])
def test_a_divider_line_becomes_a_scene_break(divider):
    html = html_of(parse_text(f"Title: T\n\nBefore.\n\n{divider}\n\nAfter."))
    assert html == "<p>Before.</p>\n<hr>\n<p>After.</p>"


def test_two_blank_lines_make_a_scene_break():
    html = html_of(parse_text("Before.\n\n\nAfter."))
    assert html == "<p>Before.</p>\n<hr>\n<p>After.</p>"


# --- Encodings and bad files --------------------------------------------------------------------


def test_a_utf8_byte_order_mark_is_fine():
    parsed = parse_file("\ufeffTitle: Café\n\nText.".encode(), "story.txt")
    assert parsed.choices.title == "Café"
    assert parsed.warnings == []


def test_a_windows_1252_file_is_read_with_a_warning():
    parsed = parse_file("Title: Café\n\n“Stop!” she said.".encode("cp1252"), "story.txt")
    assert parsed.choices.title == "Café"
    assert "“Stop!” she said." in html_of(parsed)
    assert any("Windows-1252" in warning for warning in parsed.warnings)


def test_a_file_that_is_neither_utf8_nor_windows_1252_is_refused():
    assert "not UTF-8" in refusal(b"Title: T\n\nText \x81\x8d here.")


@pytest.mark.parametrize("data", [b"", b"   \n\n  \r\n"])
def test_an_empty_file_is_refused(data):
    assert refusal(data) == "The file is empty."


def test_a_file_with_nul_bytes_is_refused_as_binary():
    assert "not a text file" in refusal(b"PK\x03\x04\x00\x00binary" * 10)


def test_a_file_of_control_characters_is_refused_as_binary():
    assert "not a text file" in refusal(bytes(range(1, 32)) * 20)


def test_a_file_over_the_size_limit_is_refused():
    message = refusal(b"word " * (MAX_FILE_BYTES // 5 + 1))
    assert "2 MiB" in message


def test_a_text_over_the_chapter_limit_is_refused_saying_so():
    message = refusal(b"Title: T\n\n" + b"a" * (CHAPTER_TEXT_MAX + 1))
    assert "510,000" in message
    assert "510,001 characters" in message


def test_a_header_without_text_is_refused():
    assert refusal(b"Title: T\n\nSummary: Nothing follows.\n") == (
        "The file has a header but no story text after it."
    )


@pytest.mark.parametrize("filename", ["story.docx", "story.pdf", "story", "story.txt.exe"])
def test_a_file_of_an_unknown_kind_is_refused(filename):
    message = refusal(b"Some text.", filename)
    assert "not a file Ficshelf can import" in message
    assert ".txt" in message


# --- HTML and Markdown --------------------------------------------------------------------------


def test_an_html_file_takes_its_title_from_the_title_element():
    parsed = parse_text(
        "<html><head><title>Traitor</title><style>p{}</style></head>"
        "<body><p>She climbed.</p></body></html>",
        "traitor.html",
    )
    assert parsed.choices.title == "Traitor"
    assert html_of(parsed) == "<p>She climbed.</p>"


def test_an_html_file_takes_its_title_from_the_first_heading_and_drops_it():
    parsed = parse_text("<h1>Traitor &amp; Friend</h1><p>She climbed.</p>", "traitor.htm")
    assert parsed.choices.title == "Traitor & Friend"
    assert html_of(parsed) == "<p>She climbed.</p>"


def test_scripts_in_an_html_file_are_stripped_and_the_rest_kept():
    parsed = parse_text(
        '<p onclick="steal()">She <em>climbed</em>.</p><script>alert("x")</script><p>End.</p>',
        "story.html",
    )
    html = html_of(parsed)
    assert "script" not in html
    assert "alert" not in html
    assert "onclick" not in html
    assert "<p>She <em>climbed</em>.</p>" in html
    assert "<p>End.</p>" in html
    assert any("Scripts" in warning for warning in parsed.warnings)


def test_a_markdown_file_reads_the_header_and_the_markdown():
    parsed = parse_text(
        "Title: Traitor\nPairing: Alex/Olivia\n\nShe *climbed*.\n\n~~~\n\nShe **fell**.",
        "story.md",
    )
    assert parsed.choices.title == "Traitor"
    assert parsed.choices.relationships == ["Alex/Olivia"]
    assert html_of(parsed) == (
        "<p>She <em>climbed</em>.</p>\n<hr>\n<p>She <strong>fell</strong>.</p>"
    )


def test_a_markdown_file_without_a_header_takes_its_title_from_the_first_heading():
    parsed = parse_text("# Traitor\n\nShe climbed.\n\n\nShe fell.", "story.md")
    assert parsed.choices.title == "Traitor"
    assert html_of(parsed) == "<p>She climbed.</p>\n<hr>\n<p>She fell.</p>"


def test_an_html_file_without_a_body_loses_its_head_and_keeps_its_text():
    parsed = parse_text(
        "<head><meta charset=utf-8><title>Traitor</title></head><p>She climbed.</p>", "a.html"
    )
    assert parsed.choices.title == "Traitor"
    assert html_of(parsed) == "<p>She climbed.</p>"


def test_a_heading_that_is_not_the_title_stays_in_the_text():
    parsed = parse_text("<title>Traitor</title><h1>Part One</h1><p>She climbed.</p>", "a.html")
    assert parsed.choices.title == "Traitor"
    assert html_of(parsed) == "<h1>Part One</h1><p>She climbed.</p>"


def test_an_html_file_of_loose_text_gets_paragraphs():
    parsed = parse_text("<body>She climbed.\n\nShe fell.</body>", "story.html")
    assert html_of(parsed) == "<p>She climbed.</p>\n<p>She fell.</p>"


def test_marked_sections_in_an_html_file_are_read_past():
    """Python's html.parser raised AssertionError on `<![foo[bar]]>`: a server error."""
    parsed = parse_text("<title>Soup</title><![foo[bar]]><p>Kept.</p><![CDATA[x]]>", "a.html")
    assert parsed.choices.title == "Soup"
    assert html_of(parsed) == "<p>Kept.</p>"


def test_a_markdown_title_ends_at_its_line_and_its_closing_hashes():
    parsed = parse_text("\n# Traitor ##\nShe climbed.", "story.md")
    assert parsed.choices.title == "Traitor"
    assert html_of(parsed) == "<p>She climbed.</p>"


# --- Files that are slow to read when read naively -------------------------------------------


def test_nul_characters_are_dropped_from_every_field_of_a_utf16_file():
    text = "Title: Tra\x00itor\nTags: Snow\x00, Fire\n\nShe\x00 climbed the fire escape."
    data = (text + " It was cold." * 5).encode("utf-16")
    parsed = parse_file(data, "story.txt")
    assert parsed.choices.title == "Traitor"
    assert parsed.choices.freeforms == ["Snow", "Fire"]
    assert "\x00" not in parsed.text


def test_a_header_value_over_many_lines_is_read_in_one_pass():
    started = time.process_time()
    parsed = parse_text("Title: T\nSummary: " + "a line\n" * 200_000 + "\nThe story.")
    assert parsed.summary.count("a line") == 200_000
    assert time.process_time() - started < 5


def test_a_header_with_very_many_tags_is_read_in_one_pass_and_its_warnings_summed_up():
    started = time.process_time()
    parsed = parse_text("Title: T\nWarnings: " + "gore, " * 100_000 + "\n\nThe story.")
    assert len(parsed.choices.freeforms) == 100_000
    assert len(parsed.warnings) == WARNINGS_SHOWN + 1
    assert parsed.warnings[-1] == "… and 99,980 more like these."
    assert time.process_time() - started < 5


@pytest.mark.parametrize(
    ("worst", "filename"),
    [
        ("# " + "#" * 500_000 + "x\n\ntext", "story.md"),
        ("Title: a" + " " * 500_000 + "b\n\ntext", "story.txt"),
        ("<head>" * 80_000, "story.html"),
        ("- " * 250_000 + "x", "story.md"),
    ],
    ids=["markdown-heading", "header-spaces", "heads", "thematic-break"],
)
def test_files_that_made_the_parser_backtrack_are_read_in_linear_time(worst, filename):
    started = time.process_time()
    try:
        parse_text(worst, filename)
    except ImportRefused:
        pass
    assert time.process_time() - started < 5
