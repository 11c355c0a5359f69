"""`manage.py beta_read PATH` prints a chapter file's findings, as text or as JSON whose offsets
index the file's text exactly as read."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

SEED_LIKE = (
    "Title : Traitor\r\n\r\n"
    "Pairing : Kesh/Varro\r\n\r\n"
    "Author Note : Hey guys! Its my first story, so be nice.\r\n\r\n\r\n"
    "Kesh ran faster then Varro. They shouldn't of split up.\r\n\r\n"
    '"Be careful." she said. The perp was gone, and IAB would be pissed.\r\n'
)


def run(*args) -> str:
    out = StringIO()
    call_command("beta_read", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def chapter(tmp_path):
    path = tmp_path / "chapter.txt"
    path.write_bytes(SEED_LIKE.encode("utf-8"))
    return path


def test_json_offsets_index_the_file_text_exactly_as_read(chapter):
    data = json.loads(run(str(chapter), "--format", "json"))
    raw = chapter.read_bytes().decode("utf-8")
    assert data["skipped_reason"] is None
    assert data["counts"]["error"] >= 4
    found = {}
    for finding in data["findings"]:
        assert set(finding) >= {
            "start", "end", "text", "severity", "category", "message", "suggestions",
        }  # fmt: skip
        assert raw[finding["start"] : finding["end"]] == finding["text"]
        found[finding["text"]] = finding["suggestions"][:1]
    assert found["Its"] == ["It's"]  # the author note is checked
    assert found["then"] == ["than"]
    assert found["shouldn't of"] == ["shouldn't have"]
    assert found["."] == [","]
    assert not {"Kesh", "Varro", "Traitor", "perp", "IAB", "pissed"} & set(found)


def test_text_output_gives_line_column_and_fix(chapter):
    out = run(str(chapter))
    assert "5:25 error confusable:" in out  # the author note
    assert "8:17 error confusable:" in out
    assert "'then' → 'than'" in out
    assert out.strip().splitlines()[-1].endswith("style notes.")


def test_tags_from_flags_join_the_vocabulary(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("Zarrow and Quillon met at the precinct.", encoding="utf-8")
    assert "spelling" in run(str(path))
    out = run(str(path), "--character", "Zarrow", "--relationship", "Zarrow/Quillon")
    assert "spelling" not in out


def test_an_html_file_is_checked_as_html(tmp_path):
    path = tmp_path / "chapter.html"
    html = "<p>She could <i>of</i> left.</p><p>It was quite for a moment.</p>"
    path.write_text(html, encoding="utf-8")
    data = json.loads(run(str(path), "--format", "json"))
    for finding in data["findings"]:
        assert html[finding["start"] : finding["end"]] == finding["text"]
    assert {f["text"] for f in data["findings"]} == {"could <i>of", "quite"}


def test_a_windows_1252_file_is_read(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("She said \x93hello\x94 and he should of answered.".encode("latin-1"))
    data = json.loads(run(str(path), "--format", "json"))
    assert [f["text"] for f in data["findings"]] == ["should of"]


def test_a_text_in_another_language_says_so(tmp_path):
    path = tmp_path / "fr.txt"
    path.write_text(
        "Elle est partie au marché ce matin avec sa sœur, et elles ont acheté des pommes.",
        encoding="utf-8",
    )
    assert "does not look like English" in run(str(path))


def test_an_empty_file_has_no_findings(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    assert json.loads(run(str(path), "--format", "json"))["findings"] == []


def test_style_notes_only_with_style(tmp_path):
    path = tmp_path / "style.txt"
    path.write_text("She felt cold. She saw the door. She heard a noise.", encoding="utf-8")
    assert " style style:" not in run(str(path))
    assert " style style:" in run(str(path), "--style")


def test_a_missing_file_is_an_error():
    with pytest.raises(CommandError):
        run("/nonexistent/chapter.txt")


def test_the_variant_decides_which_spellings_are_right(tmp_path):
    path = tmp_path / "spellings.txt"
    path.write_text("The colour of the door had faded to gray.", encoding="utf-8")

    def flagged(*args):
        data = json.loads(run(str(path), "--format", "json", *args))
        return {f["text"]: f["suggestions"][:1] for f in data["findings"]}

    assert flagged() == {}  # the archive's default English takes either spelling
    assert flagged("--variant", "us") == {"colour": ["color"]}
    assert flagged("--variant", "uk") == {"gray": ["grey"]}


def test_a_seed_header_is_still_not_prose_with_a_variant(chapter):
    data = json.loads(run(str(chapter), "--format", "json", "--variant", "uk"))
    raw = chapter.read_bytes().decode("utf-8")
    texts = {f["text"] for f in data["findings"]}
    assert {"Its", "then", "shouldn't of"} <= texts
    assert not {"Kesh", "Varro", "Traitor"} & texts
    for finding in data["findings"]:
        assert raw[finding["start"] : finding["end"]] == finding["text"]


def test_an_unknown_variant_is_refused(chapter):
    with pytest.raises(CommandError):
        run(str(chapter), "--variant", "au")
