"""User-written content ("userstuff", as AO3 calls it): turning what creators type into safe HTML.

Everything a creator writes is cleaned with nh3 on the way in. Each stored HTML field keeps the
version of the rules that cleaned it (`SANITIZER_VERSION`), so content can be cleaned again when
the rules change.
"""

from .formatting import TextFormat, notes_to_html, to_html
from .markup import TextRefused
from .sanitizer import SANITIZER_VERSION, clean_html
from .words import count_words, html_to_text

__all__ = [
    "SANITIZER_VERSION",
    "TextFormat",
    "TextRefused",
    "clean_html",
    "count_words",
    "html_to_text",
    "notes_to_html",
    "to_html",
]
