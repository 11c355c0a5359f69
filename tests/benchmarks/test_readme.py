import pytest

from benchmarks.readme import replace_section


def test_a_section_is_replaced_between_its_markers_and_the_rest_kept(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# B\n<!-- speed:begin -->\nold\n<!-- speed:end -->\nafter\n")
    replace_section("speed", "| new |\n", readme)
    assert readme.read_text() == "# B\n<!-- speed:begin -->\n| new |\n<!-- speed:end -->\nafter\n"


def test_a_missing_section_is_an_error(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# B\n")
    with pytest.raises(SystemExit, match="no <!-- speed:begin -->"):
        replace_section("speed", "x", readme)
