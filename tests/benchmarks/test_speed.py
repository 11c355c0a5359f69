from benchmarks.speed import Chapters, seed_body, sentences_of

SENTENCES = [f"Sentence number {n} is here." for n in range(400)]


def test_no_two_chapters_share_a_sentence():
    chapters = Chapters(SENTENCES, seed=5)
    made = [chapters.make(words=150) for _ in range(4)]
    seen = [set(sentences_of(chapter)) for chapter in made]
    for first in range(len(seen)):
        for second in range(first + 1, len(seen)):
            assert not seen[first] & seen[second]
    assert all(len(chapter.split()) >= 150 for chapter in made)


def test_a_chapter_runs_out_when_the_pool_does():
    chapters = Chapters(SENTENCES[:10], seed=5)
    chapters.make(words=30)
    try:
        chapters.make(words=1_000)
    except LookupError:
        return
    raise AssertionError("a chapter was made of sentences already used")


def test_the_random_seed_decides_the_chapters():
    assert Chapters(SENTENCES, 1).make(words=100) == Chapters(SENTENCES, 1).make(words=100)
    assert Chapters(SENTENCES, 1).make(words=100) != Chapters(SENTENCES, 2).make(words=100)


def test_a_chapter_of_so_many_characters_has_them():
    assert len(Chapters(SENTENCES, 3).make(characters=2_000)) >= 2_000


def test_sentences_are_split_and_hard_wrapped_lines_joined():
    text = "It was late.  He ran\nhome. \u201cStop!\u201d she said.\n\nNew paragraph here."
    assert sentences_of(text) == [
        "It was late.",
        "He ran home.",
        "\u201cStop!\u201d she said.",
        "New paragraph here.",
    ]


def test_the_seed_body_leaves_out_the_header(tmp_path):
    seed = tmp_path / "seed.txt"
    seed.write_text("Title : Traitor\n\nPairing : Alex/Olivia\n\n\nHis heart had stopped.\n")
    assert seed_body(seed) == "His heart had stopped."
