"""The beta reader's engine: Harper tuned for fiction, then Ficshelf's fiction rules.

Plain Python, importable without Django and without the rest of the archive (an
import-linter contract keeps it so): a command-line tool, a benchmark or another program can
check text with it. Inside the archive, everything reaches it through
`ficshelf.betareader.services`.

    from ficshelf.betareader.engine import check_text
    check_text("She would of known.").findings

The modules: `checker` (the public functions), `document` (a text prepared for checking),
`harper_lints` (Harper configured for fiction), `rules/` (our own rules), `spelling` and
`lexicon/` (the words it knows), `html_text` (the visible text of HTML), `findings` (what it
reports), `words` (word counts).
"""

from .checker import StaleText, apply_fix, check_html, check_text, correct_text
from .findings import Category, CheckResult, Finding, Severity

__all__ = [
    "Category",
    "CheckResult",
    "Finding",
    "Severity",
    "StaleText",
    "apply_fix",
    "check_html",
    "check_text",
    "correct_text",
]
