"""The engine is plain Python: it checks text without Django and without the archive."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ficshelf.betareader.engine.words import count_words as engines_count
from ficshelf.userstuff.words import count_words as archives_count

ROOT = Path(__file__).resolve().parents[2]

_PROGRAM = """
import json, sys
from ficshelf.betareader.engine import check_text
result = check_text("She would of known that your late. He was taller then her.")
loaded = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
print(json.dumps({
    "findings": [[f.text, f.severity, list(f.suggestions)] for f in result.findings],
    "django": loaded,
    "archive": sorted(
        name for name in sys.modules
        if name.startswith("ficshelf.") and not name.startswith("ficshelf.betareader")
    ),
}))
"""


def test_the_engine_checks_a_sentence_in_a_process_without_django_settings():
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    completed = subprocess.run(  # noqa: S603 - our own interpreter and program
        [sys.executable, "-c", _PROGRAM],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(completed.stdout)
    flagged = {text: suggestions for text, _, suggestions in report["findings"]}
    assert "would have" in flagged["would of"]
    assert "you're" in flagged["your"]
    assert "than" in flagged["then"]
    assert report["django"] == []
    assert report["archive"] == []


@pytest.mark.parametrize(
    "fragment, is_html",
    [
        ("She ran — fast … and far.", False),
        ("<p>One<br>two</p><p>three&nbsp;four</p>", True),
        ("日本語のテキスト and English words", False),
        ("<p>a</p><p>-- b --</p><div>c<i>d</i></div>", True),
    ],
)
def test_the_engine_counts_words_as_the_archive_does(fragment, is_html):
    assert engines_count(fragment, is_html=is_html) == archives_count(fragment, is_html=is_html)
