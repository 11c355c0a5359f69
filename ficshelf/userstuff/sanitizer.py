"""The HTML allowlist for creators' content, after AO3's (otwarchive config/config.yml)."""

import nh3

# Bump when the allowlist changes: rows with an older version can then be re-cleaned.
SANITIZER_VERSION = 1

ALLOWED_TAGS = {
    "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption", "center",
    "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "tt", "u", "ul", "var",
}  # fmt: skip

_COMMON = {"align", "class", "dir", "lang", "title"}
ALLOWED_ATTRIBUTES = {
    "*": _COMMON,
    "a": {"href", "name"},
    "blockquote": {"cite"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "details": {"open"},
    "img": {"alt", "height", "src", "width"},
    "ol": {"start", "type"},
    "q": {"cite"},
    "table": {"summary", "width"},
    "td": {"abbr", "axis", "colspan", "height", "rowspan", "width"},
    "th": {"abbr", "axis", "colspan", "height", "rowspan", "scope", "width"},
    "ul": {"type"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    """Return `html` with everything outside the allowlist removed; text is kept.

    Scripts, styles and event handlers are dropped with their content; links gain
    rel="noopener noreferrer nofollow" so a creator's link cannot act on the reader's tab.
    """
    if not html:
        return ""
    cleaned = _clean_once(html)
    # Cleaning is a fixed point: stored text cleaned again stays the same. Dropping a tag
    # keeps its children, so broken markup can come out nested in a way the parser reads
    # back differently ("<h1><a</h1><h1></h1>" gives a heading inside a heading); clean what
    # changed again until it settles. Text that was clean already (nearly all of it, and the
    # slowest inputs, such as deep nesting) is cleaned once.
    passes = 1
    while cleaned != html and passes < MAX_PASSES:
        html, cleaned = cleaned, _clean_once(cleaned)
        passes += 1
    return cleaned


# Two passes settled every input Hypothesis and the XSS lists found; a third is the margin.
MAX_PASSES = 3


def _clean_once(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
        strip_comments=True,
    ).strip()
