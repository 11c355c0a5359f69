import re

from benchmarks.speed import long_text, seed_body

BODY = "One two three. Four five!\n\nSix seven? Eight nine ten.\n\nEleven."
SENTENCES = {"One two three.", "Four five!", "Six seven?", "Eight nine ten.", "Eleven."}


def test_the_long_text_has_exactly_the_words_asked_for_made_of_the_bodys_sentences():
    text = long_text(BODY, words=1_000)
    assert len(text.split()) == 1_000
    paragraphs = text.split("\n\n")
    assert len(paragraphs) > 100
    for paragraph in paragraphs[:-1]:  # the last one is cut at the 1,000th word
        assert set(re.split(r"(?<=[.!?]) ", paragraph)) <= SENTENCES


def test_the_long_text_is_the_same_on_every_run():
    assert long_text(BODY, words=500) == long_text(BODY, words=500)


def test_the_seed_body_leaves_out_the_header(tmp_path):
    seed = tmp_path / "seed.txt"
    seed.write_text("Title : Traitor\n\nPairing : Alex/Olivia\n\n\nHis heart had stopped.\n")
    assert seed_body(seed) == "His heart had stopped."
