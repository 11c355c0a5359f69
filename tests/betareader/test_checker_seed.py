"""The seed story, checked as an author would before posting: its mechanical errors with fixes,
and none of its profanity, character names or police slang."""

from pathlib import Path

import pytest

from ficshelf.betareader.engine.checker import check_text
from ficshelf.betareader.engine.findings import Category, Severity
from ficshelf.betareader.seedfile import check_file_text, read_seed
from ficshelf.imports.parsing import split_header

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_a100ff2d1837b2ec.txt"
TAGS = [
    "Olivia Benson",
    "Elliot Stabler",
    "Alex Cabot",
    "Alex/Olivia",
    "Law & Order: Special Victims Unit",
]
NEVER_FLAGGED = {
    "fuck", "fucking", "fucked", "ass", "piss", "pissed", "IAB", "SVU", "1PP", "perp", "perps",
    "Olivia", "Elliot", "Cabot", "Alex", "Anderson", "bitch", "bastard", "damn", "hell",
}  # fmt: skip

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="the shared seed is not beside the repo")


@pytest.fixture(scope="module")
def raw():
    return SEED.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def body_result(raw):
    _, body = split_header(raw)
    return body, check_text(body, vocabulary=TAGS)


def fixes(text, result):
    return {(f.text, f.suggestions[0] if f.suggestions else None) for f in result.findings}


def test_the_seed_body_shows_its_mechanical_errors_with_fixes(body_result):
    body, result = body_result
    found = fixes(body, result)
    assert ("suppose to", "supposed to") in found
    assert ("then", "than") in found
    assert ("shouldn't of", "shouldn't have") in found
    assert ("must of", "must have") in found
    assert ("would of", "would have") in found
    assert ("payed", "paid") in found
    assert ("it's", "its") in found
    assert ("bellow", "below") in found
    # Real words in the wrong place, found by general rules (rules/real_words.py).
    for slip in [("dead", "done"), ("tying", "trying"), ("populate", "populated"), ("it", "if")]:
        assert slip in found
    assert ("no", "so") in found
    then_than = [f for f in result.findings if f.text == "then"]
    assert len(then_than) >= 8  # "more then", "faster then", "higher then" ...
    assert all(f.severity != Severity.STYLE for f in result.findings)


def test_the_seed_flags_no_profanity_names_or_police_slang(body_result):
    body, result = body_result
    for finding in result.findings:
        assert body[finding.start : finding.end] == finding.text
        for word in finding.text.split():
            assert word.strip(".,!?\"'") not in NEVER_FLAGGED, finding
    assert [f for f in result.findings if f.category == Category.SPELLING] == []


def test_the_seed_file_is_checked_with_offsets_into_the_raw_text(raw):
    result = check_file_text(raw, vocabulary=TAGS)
    body = raw.index("His heart had stopped beating.")
    note = raw.index("Hey guys!")
    note_end = raw.index("\n", note)
    for finding in result.findings:
        assert raw[finding.start : finding.end] == finding.text
        # Only the author note's value and the body are prose; keys and tags are not.
        assert note <= finding.start < note_end or finding.start >= body
    assert any(f.text == "suppose to" for f in result.findings)


def test_the_header_gives_vocabulary_and_prose_spans(raw):
    seed = read_seed(raw)
    assert "Alex/Olivia" in seed.vocabulary and "Traitor" in seed.vocabulary
    prose = [raw[start:end] for start, end in seed.prose]
    assert prose[0].startswith("Hey guys! Welcome")
    assert prose[-1].lstrip().startswith("His heart had stopped beating.")
    assert not any("Pairing" in text for text in prose)


def test_a_file_without_a_header_is_all_prose():
    text = "Chapter One: The Rain\n\nShe should of known."
    seed = read_seed(text)
    assert seed.prose == [(0, len(text))]
    assert [f.text for f in check_file_text(text).findings] == ["should of"]


def test_header_offsets_survive_windows_line_endings():
    text = (
        "Title : Lost\r\nPairing : Kesh/Varro\r\nAuthor Note : Its late, sorry!\r\n\r\n"
        "Kesh ran faster then Varro.\r\n"
    )
    result = check_file_text(text)
    assert {f.text for f in result.findings} == {"Its", "then"}
    for finding in result.findings:
        assert text[finding.start : finding.end] == finding.text
