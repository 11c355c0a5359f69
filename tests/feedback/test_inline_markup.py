"""Inline-comment controls in a chapter's text: the one-pass marking of plain numbered paragraphs
gives exactly what walking every tag gives, and any other shape is walked."""

import random

import pytest

from ficshelf.feedback.inline import _decorate_walking, _simple_paragraphs, decorate
from ficshelf.userstuff.paragraphs import number_paragraphs
from ficshelf.userstuff.sanitizer import clean_html

WORDS = ["tide", "letter", "Mara", "house", "&amp;", "&nbsp;", "“quiet”", "x&lt;y", "key"]
INLINE = ["em", "strong", "i", "b", "u", "s", "span", "sup", "sub", "small", "code"]


def _inline_run(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(0, 6)):
        roll = rng.random()
        if roll < 0.55:
            parts.append(" ".join(rng.choices(WORDS, k=rng.randint(1, 5))))
        elif roll < 0.65:
            parts.append(rng.choice([" ", "\n", "&nbsp;", "\t"]))
        elif roll < 0.72:
            parts.append("<br>")
        elif roll < 0.75:
            parts.append('<img src="https://example.org/a.png" alt="a">')
        elif depth < 3:
            name = rng.choice(INLINE)
            parts.append(f"<{name}>{_inline_run(rng, depth + 1)}</{name}>")
    return "".join(parts)


def _chapter(rng: random.Random, *, plain: bool) -> str:
    """Numbered text as the archive stores it: plain paragraphs, or with other blocks too."""
    blocks = []
    for _ in range(rng.randint(1, 12)):
        roll = rng.random()
        if plain or roll < 0.6:
            blocks.append(f"<p>{_inline_run(rng)}</p>")
        elif roll < 0.7:
            blocks.append(f"<blockquote><p>{_inline_run(rng)}</p>{_inline_run(rng)}</blockquote>")
        elif roll < 0.8:
            blocks.append(
                f"<ul><li>{_inline_run(rng)}<ul><li>{_inline_run(rng)}</li></ul></li></ul>"
            )
        elif roll < 0.88:
            blocks.append(f'<p>See <a href="https://example.org/">{_inline_run(rng)}</a> now</p>')
        elif roll < 0.94:
            blocks.append("<hr>")
        else:
            blocks.append(_inline_run(rng))
    text, _ = number_paragraphs(clean_html(rng.choice(["", "\n"]).join(blocks)))
    return text


def _both(text: str, counts: dict) -> tuple[str, str]:
    ids = {"work_id": 7, "chapter_id": 31}
    return decorate(text, counts, **ids), _decorate_walking(text, counts, **ids)


@pytest.mark.parametrize("plain", [True, False])
def test_marking_in_one_pass_matches_walking_every_tag(plain):
    """Generated chapters, with and without inline comments on their paragraphs, are marked
    alike both ways; the plain ones take the one-pass way."""
    rng = random.Random(20261202 + plain)
    one_pass = 0
    for _ in range(300):
        text = _chapter(rng, plain=plain)
        counts = {n: rng.randint(1, 3) for n in range(1, 14) if rng.random() < 0.3}
        counts[None] = rng.randint(0, 2)
        fast, walked = _both(text, counts)
        assert fast == walked, text
        one_pass += _simple_paragraphs(text) is not None
    if plain:
        assert one_pass == 300
    else:
        assert 0 < one_pass < 300


@pytest.mark.parametrize(
    "text",
    [
        '<p data-p="1">One <em>two</span> three</p>',  # unbalanced: walked
        '<p data-p="1">One <a href="https://example.org/">link</a></p>',
        '<p data-p="1"><em/>text</p>',
        '<p data-p="1" class="x">text</p>',
        '<p data-p="1">text</p><div data-p="2">more</div>',
        '<p data-p="1">text</p>loose',
        '<p data-p="1">a < b</p>',
        '<P data-p="1">shouting</P>',
        '<p data-p="1">one</p><p data-p="1"></p><p data-p="2">&nbsp;</p>',
        '<p data-p="1"><script>x</script></p>',
    ],
)
def test_other_shapes_are_marked_as_walking_every_tag_marks_them(text):
    fast, walked = _both(text, {1: 2})
    assert fast == walked


def test_a_paragraph_of_no_text_gets_no_controls():
    text = '<p data-p="1">Words.</p>\n<p data-p="2"> <br> &nbsp; <img src="a.png"></p>'
    assert _simple_paragraphs(text) is not None
    marked = decorate(text, {}, work_id=1, chapter_id=1)
    assert marked.count("inline-comment-controls") == 1
    assert 'id="c1-p1"' in marked
