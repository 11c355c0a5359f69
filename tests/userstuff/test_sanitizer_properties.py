"""Properties of the HTML allowlist over generated hostile HTML (Hypothesis): whatever goes in,
what comes out holds only allowlisted tags and attributes, links only with allowed schemes,
and cleaning is a fixed point (cleaning clean HTML changes nothing, so re-cleaning stored text
with the same rules, as `resanitize` does, is safe)."""

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ficshelf.userstuff.sanitizer import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, clean_html

# Allowed tags and a choice of dangerous or unknown ones.
TAGS = sorted(ALLOWED_TAGS) + [
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "button",
    "textarea", "select", "option", "template", "noscript", "xmp", "plaintext", "title",
    "base", "link", "meta", "body", "html", "head", "frameset", "frame", "video", "audio",
    "source", "marquee", "isindex", "image", "noembed", "noframes", "listing", "foo:bar", "x",
]  # fmt: skip
ATTRIBUTES = sorted({name for names in ALLOWED_ATTRIBUTES.values() for name in names}) + [
    "onerror", "onload", "onclick", "onmouseover", "onfocus", "ONERROR", "style", "srcdoc",
    "formaction", "action", "xlink:href", "data", "poster", "background", "autofocus",
    "id", "srcset", "data-p", "rel", "target", "is", "xmlns",
]  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "poster", "background", "data"}
SCHEMES = [
    "javascript:", "JaVaScRiPt:", "vbscript:", "data:text/html,", "data:image/svg+xml,",
    " javascript:", "\tjava\nscript:", "jav&#x09;ascript:", "&#106;avascript:",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;", "java&Tab;script:",
    "javascript&colon;", "\x01javascript:", "http://", "https://", "mailto:", "//", "#", "",
]  # fmt: skip
TEXT = st.lists(
    st.sampled_from(list("ab <>&\"'=/;:-!`\n\t\x00é") + ["&amp;", "&lt;", "&#60;", "&#0;"]),
    max_size=12,
).map("".join)


@st.composite
def attribute(draw) -> str:
    name = draw(st.sampled_from(ATTRIBUTES))
    if name in URL_ATTRIBUTES or draw(st.booleans()):
        value = draw(st.sampled_from(SCHEMES)) + draw(st.sampled_from(["alert(1)", "x", ""]))
    else:
        value = draw(TEXT)
    quote = draw(st.sampled_from(['"', "'", ""]))
    if not quote:
        value = value.replace(" ", "").replace(">", "")
    return f" {name}={quote}{value}{quote}"


@st.composite
def element(draw, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = "".join(draw(st.lists(attribute(), max_size=3)))
    if depth >= 2:
        inner = draw(TEXT)
    else:
        inner = "".join(draw(st.lists(st.one_of(TEXT, element(depth + 1)), max_size=3)))
    end = draw(st.sampled_from([f"</{tag}>", "", f"</{tag.upper()}>", "</p>"]))
    return f"<{tag}{attrs}>{inner}{end}"


HOSTILE = st.lists(
    st.one_of(TEXT, element(), st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "<?x", "</"])),
    max_size=6,
).map("".join)

_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.elements.append(("!--", []))


def _elements(cleaned: str):
    parser = _Markup()
    parser.feed(cleaned)
    parser.close()
    return parser.elements


def _scheme(value: str) -> str | None:
    # How a browser reads it (WHATWG URL): trimmed, tabs and newlines dropped, entities decoded.
    url = re.sub(r"[\t\n\r]", "", html.unescape(value).strip(_C0_AND_SPACE))
    found = _SCHEME.match(url)
    return found.group(1).lower() if found else None


# Derandomized: CI runs the same 300 examples every time (a rare counterexample must not make a
# run fail by chance); run with --hypothesis-seed=N to explore further.
PROPERTY = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY
@given(HOSTILE)
@example('<a href="jav&#x09;ascript:alert(1)">x</a><img src=x onerror=alert(1)>')
@example("<svg><script>alert(1)</script></svg><math><style><img src=x onerror=alert(1)>")
def test_cleaned_html_holds_only_allowlisted_tags_and_attributes(dirty):
    for tag, attrs in _elements(clean_html(dirty)):
        assert tag in ALLOWED_TAGS, tag
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set())
        for name, _value in attrs:
            # nh3 adds rel to links itself.
            assert name in allowed or (tag == "a" and name == "rel"), (tag, name)
            assert not name.startswith("on"), (tag, name)


@PROPERTY
@given(HOSTILE)
@example('<a href="&#106;avascript:alert(1)">x</a><a href="\x01javascript:alert(1)">y</a>')
def test_urls_in_cleaned_html_have_only_allowed_schemes(dirty):
    for tag, attrs in _elements(clean_html(dirty)):
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value:
                scheme = _scheme(value)
                assert scheme is None or scheme in URL_SCHEMES, (tag, name, value)


# Found by the property below: a tag nh3 drops ("a<", from the unfinished "<a") keeps its
# children, so html5ever nested one heading in another, which no parser reads back the same:
# "<h1><a</h1><h1></h1>" -> "<h1><h1></h1></h1>" -> "<h1></h1><h1></h1>"; likewise a link in a
# link. clean_html now cleans what changed again until it settles.
NOT_A_FIXED_POINT_ONCE = ["<h1><a</h1><h1></h1>", "<a><marquee><a></a></marquee></a>"]


@pytest.mark.parametrize("dirty", NOT_A_FIXED_POINT_ONCE)
def test_the_counterexamples_clean_to_a_fixed_point(dirty):
    once = clean_html(dirty)
    assert clean_html(once) == once


@PROPERTY
@given(HOSTILE)
@example("<p>a</p><p>b")
@example("<table><tr><td>x</td></tr></table><b><p>y</b></p>")
def test_cleaning_twice_is_cleaning_once(dirty):
    once = clean_html(dirty)
    assert clean_html(once) == once, (dirty, once)
