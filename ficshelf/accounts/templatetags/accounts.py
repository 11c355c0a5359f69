"""Template filters for showing account and pseud names."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# A user name may be forty letters with no space; a heading with one must still fit a phone.
_SEGMENT = re.compile(r"[^\s_]{1,10}_?|\s+|_")


@register.filter
def breakable(name) -> SafeString:
    """`name`, escaped, with <wbr> where a long word may wrap: after underscores and every
    ten characters of an unbroken run."""
    html = []
    for segment in _SEGMENT.findall(str(name)):
        if html and not segment.isspace() and not html[-1].isspace():
            html.append("<wbr>")
        html.append(escape(segment))
    return mark_safe("".join(html))  # noqa: S308 (every segment is escaped)
