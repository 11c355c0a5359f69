"""The HTML allowlist: what a creator types can never run script in a reader's browser."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ficshelf.userstuff import SANITIZER_VERSION, clean_html
from ficshelf.userstuff.fields import SanitizedHTMLField
from ficshelf.userstuff.paragraphs import strip_paragraph_ids
from ficshelf.userstuff.sanitizer import ALLOWED_TAGS
from ficshelf.works.models import Chapter, Work
from ficshelf.works.services import ChapterContent, WorkMetadata, create_work
from tests.factories import make_user
from tests.works.pages import parse

XSS_PAYLOADS = Path(__file__).resolve().parents[3] / "shared" / "security" / "xss"
_URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "background", "poster"}
# How a browser finds a URL's scheme (WHATWG URL): tabs and newlines vanish, edges are trimmed.
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
_SAFE_SCHEMES = {"http", "https", "mailto"}
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))


class _Markup(HTMLParser):
    """Every start tag and its attributes, as a browser would read them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def url_scheme(value: str) -> str | None:
    """The scheme a browser would read in an attribute's URL; None for a relative URL."""
    value = re.sub(r"[\t\n\r]", "", value).strip(_C0_AND_SPACE)
    found = _SCHEME.match(value)
    return found.group(1).lower() if found else None


def assert_inert(html: str) -> None:
    """No script, style, event handler or script URL is left in `html`.

    Text may still say "javascript:" or "onclick=" (escaped, it is only text), and so may a
    quoted attribute value that is not a URL: what matters is what a browser would run.
    """
    markup = _Markup()
    markup.feed(html)
    markup.close()
    for tag, attrs in markup.tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {html!r}"
        for name, value in attrs:
            assert not name.startswith("on"), f"{name}= survived in {html!r}"
            assert name != "style", f"style= survived in {html!r}"
            if name in _URL_ATTRIBUTES and value:
                scheme = url_scheme(value)
                assert scheme in _SAFE_SCHEMES | {None}, f"{name}={value!r} survived in {html!r}"
    # The same, read off the raw markup with attribute values blanked out.
    assert "<script" not in html.lower()
    assert "<style" not in html.lower()
    for tag in re.findall(r"<[^>]*>", html):
        bare = re.sub(r'"[^"]*"', '""', tag)
        assert not re.search(r"\son\w+\s*=", bare, re.I), f"{tag} survived in {html!r}"
        assert "javascript:" not in bare.lower(), f"{tag} survived in {html!r}"


def _payloads(filename: str) -> list[str]:
    path = XSS_PAYLOADS / filename
    if not path.exists():
        pytest.skip(f"{path} is not here")
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in lines if line.strip()]


# --- What is removed ------------------------------------------------------------------------


def test_a_script_is_removed_with_its_content_and_the_text_is_kept():
    assert clean_html("<p>Hello<script>alert(1)</script> world</p>") == "<p>Hello world</p>"


def test_a_style_element_is_removed_with_its_content():
    assert clean_html("<style>body { display: none }</style><p>Text</p>") == "<p>Text</p>"


def test_event_handlers_and_style_attributes_are_removed():
    cleaned = clean_html(
        '<p onclick="steal()" style="color: red" class="note">Hi</p><img src="a.png" onerror=x>'
    )
    assert cleaned == '<p class="note">Hi</p><img src="a.png">'


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "&#106;avascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_script_urls_are_removed_from_links(href):
    cleaned = clean_html(f'<a href="{href}">Click</a>')
    assert cleaned == '<a rel="noopener noreferrer nofollow">Click</a>'


def test_links_keep_web_and_mail_addresses_and_cannot_reach_the_readers_tab():
    assert clean_html('<a href="https://example.org/x?y=1">Site</a>') == (
        '<a href="https://example.org/x?y=1" rel="noopener noreferrer nofollow">Site</a>'
    )
    assert 'href="mailto:me@example.org"' in clean_html('<a href="mailto:me@example.org">M</a>')


@pytest.mark.parametrize(
    "element",
    [
        "<iframe src='https://example.org'></iframe>",
        "<object data='x.swf'></object>",
        "<embed src='x.swf'>",
        "<form action='/login'><input name='password'></form>",
        "<svg onload=alert(1)><circle r=1></circle></svg>",
        "<math><mi>x</mi></math>",
        "<base href='https://evil.example/'>",
        "<meta http-equiv='refresh' content='0;url=https://evil.example/'>",
        "<link rel='stylesheet' href='https://evil.example/x.css'>",
    ],
)
def test_elements_outside_the_allowlist_are_removed(element):
    assert_inert(clean_html(element + "<p>Text</p>"))
    assert clean_html(element + "<p>Text</p>").endswith("<p>Text</p>")


def test_comments_are_removed():
    assert clean_html("<p>A<!-- secret --></p>") == "<p>A</p>"


# --- What is kept ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<p>Text with <b>bold</b>, <strong>strong</strong>, <i>i</i>, <em>em</em>, <u>u</u>, "
        "<s>s</s>, <strike>strike</strike>, <del>del</del>, <ins>ins</ins>, <big>big</big>, "
        "<small>small</small>, <sub>sub</sub>, <sup>sup</sup>, <tt>tt</tt>, <code>code</code>, "
        "<kbd>kbd</kbd>, <samp>samp</samp>, <var>var</var>, <cite>cite</cite>, <dfn>dfn</dfn>, "
        '<abbr title="abbreviation">abbr</abbr>, <acronym>acronym</acronym>, '
        '<q cite="https://example.org">q</q> and <span class="x">span</span>.</p>',
        "<h1>1</h1><h2>2</h2><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6>",
        '<div align="center" dir="rtl" lang="ar" title="t">Div</div><center>Centre</center>',
        "<blockquote>Quote</blockquote><address>Address</address><pre>  pre  </pre>",
        "<p>One<br>Two</p><hr>",
        '<ol start="3" type="i"><li>one</li></ol><ul type="disc"><li>two</li></ul>',
        "<dl><dt>Term</dt><dd>Definition</dd></dl>",
        '<table summary="s" width="50%"><caption>Caption</caption>'
        '<colgroup span="2" width="10"><col span="1" width="5"></colgroup>'
        '<thead><tr><th scope="col" abbr="h">Head</th></tr></thead>'
        '<tbody><tr><td colspan="2" rowspan="1">Cell</td></tr></tbody>'
        "<tfoot><tr><td>Foot</td></tr></tfoot></table>",
        '<img src="https://example.org/a.png" alt="A picture" width="10" height="20">',
        '<figure><img src="a.png" alt=""><figcaption>Caption</figcaption></figure>',
        "<details open><summary>More</summary>Hidden text</details>",
        "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
        '<a name="anchor">Anchor</a>',
    ],
)
def test_ao3s_allowed_markup_is_kept(html):
    cleaned = clean_html(html)
    expected_tags = set(re.findall(r"<([a-z0-9]+)", html))
    assert expected_tags <= set(re.findall(r"<([a-z0-9]+)", cleaned))
    for attribute in re.findall(r"\s([a-z]+)=", html):
        assert f" {attribute}=" in cleaned
    assert_inert(cleaned)


def test_text_is_kept_with_its_special_characters_escaped():
    assert clean_html("Tom & Jerry <3 > 2") == "Tom &amp; Jerry &lt;3 &gt; 2"
    assert clean_html("“Quotes” — and ünïcödé, 日本語") == "“Quotes” — and ünïcödé, 日本語"


def test_cleaning_twice_changes_nothing():
    once = clean_html('<p class="a" onclick="x">A <a href="https://e.org">link</a></p><hr>')
    assert clean_html(once) == once


# --- Payloads from ../shared/security/xss ---------------------------------------------------


def test_each_xss_polyglot_is_made_inert():
    for payload in _payloads("XSS_Polyglots.txt"):
        assert_inert(clean_html(payload))


@pytest.mark.parametrize(
    "filename",
    [
        "BRUTELOGIC-XSS-STRINGS.txt",
        "IntrudersXSS.txt",
        "JHADDIX_XSS.txt",
        "MarioXSSVectors.txt",
        "RSNAKE_XSS.txt",
        "xss_alert.txt",
    ],
)
def test_each_payload_in_a_list_is_made_inert(filename):
    for payload in _payloads(filename):
        assert_inert(clean_html(payload))


def test_every_event_handler_attribute_is_removed():
    for handler in _payloads("port_swigger_xss_cheatsheet_event_handlers.txt"):
        handler = handler.strip()
        payload = f'<p {handler}="alert(1)">x</p><img src=x {handler}=alert(1)>'
        assert clean_html(payload) == '<p>x</p><img src="x">', handler


# --- Stored fields --------------------------------------------------------------------------

_EVIL = '<p onmouseover="alert(1)">Hi<script>alert(2)</script></p>'


def _html_fields(model) -> list[SanitizedHTMLField]:
    return [f for f in model._meta.get_fields() if isinstance(f, SanitizedHTMLField)]


def test_every_html_field_has_its_own_sanitizer_version():
    assert {f.name: f.version_field for f in _html_fields(Work)} == {
        "summary": "summary_sanitizer_version",
        "notes": "notes_sanitizer_version",
        "end_notes": "end_notes_sanitizer_version",
    }
    assert {f.name: f.version_field for f in _html_fields(Chapter)} == {
        "summary": "summary_sanitizer_version",
        "notes": "notes_sanitizer_version",
        "end_notes": "end_notes_sanitizer_version",
        "text": "text_sanitizer_version",
    }


@pytest.mark.django_db
def test_a_posted_work_stores_clean_html_and_the_sanitizer_version_of_each_field():
    writer = make_user()
    work = create_work(
        creators=[writer.default_pseud],
        metadata=WorkMetadata(
            title="Evil",
            fandoms=["Testing"],
            warnings=["No Archive Warnings Apply"],
            summary=_EVIL,
            notes=_EVIL,
            end_notes=_EVIL,
        ),
        chapter=ChapterContent(text=_EVIL, summary=_EVIL, notes=_EVIL, end_notes=_EVIL),
    )
    work = Work.objects.get(pk=work.pk)
    chapter = Chapter.objects.get(work=work)
    for record in (work, chapter):
        for field in _html_fields(type(record)):
            # Chapter text also carries the paragraph ids the server gave it.
            assert strip_paragraph_ids(getattr(record, field.name)) == "<p>Hi</p>", field.name
            assert getattr(record, field.version_field) == SANITIZER_VERSION, field.name


@pytest.mark.django_db
def test_saving_through_the_orm_cleans_too_and_records_the_version():
    """A row written outside the services, e.g. by an import or the admin, is cleaned."""
    writer = make_user()
    work = create_work(
        creators=[writer.default_pseud],
        metadata=WorkMetadata(
            title="Evil", fandoms=["Testing"], warnings=["No Archive Warnings Apply"]
        ),
        chapter=ChapterContent(text="<p>Fine.</p>"),
    )
    # An old row, cleaned by an older (say, laxer) version of the rules.
    Work.objects.filter(pk=work.pk).update(summary=_EVIL, summary_sanitizer_version=0)
    chapter = work.chapters.get()
    Chapter.objects.filter(pk=chapter.pk).update(text=_EVIL, text_sanitizer_version=0)

    work.refresh_from_db()
    work.save()
    chapter.refresh_from_db()
    chapter.save()
    work.refresh_from_db()
    chapter.refresh_from_db()
    assert (work.summary, work.summary_sanitizer_version) == ("<p>Hi</p>", SANITIZER_VERSION)
    assert (chapter.text, chapter.text_sanitizer_version) == ("<p>Hi</p>", SANITIZER_VERSION)
    # Empty fields carry the version as well: they too were checked.
    assert work.notes == ""
    assert work.notes_sanitizer_version == SANITIZER_VERSION


@pytest.mark.django_db
def test_every_user_written_block_on_the_work_page_is_inert(client):
    writer = make_user()
    polyglots = "\n".join(_payloads("XSS_Polyglots.txt"))
    work = create_work(
        creators=[writer.default_pseud],
        metadata=WorkMetadata(
            title="<script>alert('title')</script>",
            fandoms=["Testing"],
            warnings=["No Archive Warnings Apply"],
            summary=polyglots[:1250],
            notes=polyglots[:5000],
            end_notes=polyglots[:5000],
        ),
        chapter=ChapterContent(text=polyglots, title="<img src=x onerror=alert(1)>"),
    )
    response = client.get(f"/works/{work.pk}?view_full_work=true")
    blocks = parse(response.content).select(".userstuff")
    assert len(blocks) == 4  # summary, notes, chapter text, end notes
    for block in blocks:
        for element in block.elements():
            assert element.tag in ALLOWED_TAGS
            for name, value in element.attrs.items():
                assert not name.startswith("on")
                if name in _URL_ATTRIBUTES:
                    assert url_scheme(value) in _SAFE_SCHEMES | {None}
    page = response.content.decode()
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href=" JaVa&#x09;Script:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        "<iframe></iframe>",
        '<p style="x">p</p>',
    ],
)
def test_the_inertness_check_itself_catches_unsafe_markup(unsafe):
    with pytest.raises(AssertionError):
        assert_inert(unsafe)
