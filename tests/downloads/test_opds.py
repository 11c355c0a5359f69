"""The OPDS 1.2 catalog e-reader apps browse: navigation and acquisition feeds with the right
media types and link relations, EPUB acquisition links that download, and only what a guest
may list."""

import zipfile
from io import BytesIO
from xml.etree import ElementTree

import feedparser
import pytest
from django.utils.timezone import localdate

from ficshelf.imports.services import WorkChoices, import_work
from ficshelf.tags.models import Tag
from ficshelf.tags.services import make_canonical
from tests.factories import make_user, make_work, make_wrangler
from tests.imports.conftest import SEED_PATH, SVU
from tests.sharing import run_on_commit

from .test_feeds import HOSTILE_TITLES

pytestmark = pytest.mark.django_db

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/terms/",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH = "application/opensearchdescription+xml"
ACQUIRE = "http://opds-spec.org/acquisition"
SVU_PARAM = "Law *a* Order: Special Victims Unit"


def catalog(response, kind: str) -> ElementTree.Element:
    """The document, which must be a 200 OPDS feed of `kind` that feedparser reads without
    complaint, with the search description linked."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == f"{kind}; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own document)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"atom:{name}", NS) is not None, name
    assert links(root, "self")[0].get("type") == kind
    assert links(root, "start")[0].get("type") == NAVIGATION
    assert links(root, "search")[0].get("type") == OPENSEARCH
    return root


def links(element, rel: str) -> list[ElementTree.Element]:
    return [link for link in element.findall("atom:link", NS) if link.get("rel") == rel]


def entries(root) -> list[ElementTree.Element]:
    return root.findall("atom:entry", NS)


def entry_titles(root) -> list[str]:
    return [entry.find("atom:title", NS).text for entry in entries(root)]


def path_of(href: str) -> str:
    assert href.startswith("http://testserver/")
    return href.removeprefix("http://testserver")


def canonical(*names: str) -> None:
    wrangler = make_wrangler()
    with run_on_commit(execute=True):
        for name in names:
            make_canonical(wrangler=wrangler, tag=Tag.objects.named(name))


def test_the_root_leads_to_the_newest_works_the_fandoms_and_search(client):
    root = catalog(client.get("/opds"), NAVIGATION)
    found = {
        entry.find("atom:title", NS).text: entry.find("atom:link", NS) for entry in entries(root)
    }
    assert list(found) == ["Newest works", "By fandom", "Search"]
    assert found["Newest works"].get("type") == ACQUISITION
    assert found["Newest works"].get("rel") == "http://opds-spec.org/sort/new"
    assert path_of(found["Newest works"].get("href")) == "/opds/new"
    assert found["By fandom"].get("type") == NAVIGATION
    assert path_of(found["By fandom"].get("href")) == "/opds/fandoms"
    assert found["Search"].get("type") == OPENSEARCH
    for entry in entries(root):
        assert entry.find("atom:id", NS).text.startswith("tag:")


def test_the_newest_works_are_books_with_their_metadata_and_download_links(client, author):
    work = make_work(
        author,
        title="Quiet Hours",
        summary="<p>A <b>long</b> night.</p>",
        characters=["Olivia Benson"],
        language="de",
    )
    root = catalog(client.get("/opds/new"), ACQUISITION)
    (entry,) = entries(root)
    assert entry.find("atom:title", NS).text == "Quiet Hours"
    assert entry.find("atom:id", NS).text.endswith(f":works/{work.pk}")
    assert entry.find("atom:author/atom:name", NS).text == "author"
    assert entry.find("dc:language", NS).text == "de"
    assert entry.find("dc:issued", NS).text == localdate(work.published_at).isoformat()
    summary = entry.find("atom:summary", NS)
    assert summary.get("type") == "html" and summary.text == "<p>A <b>long</b> night.</p>"
    assert [c.get("term") for c in entry.findall("atom:category", NS)] == [
        SVU,
        "Olivia Benson",
    ]
    acquisitions = {link.get("type"): link.get("href") for link in links(entry, ACQUIRE)}
    assert acquisitions == {
        "application/epub+zip": f"http://testserver/works/{work.pk}/download/quiet-hours.epub",
        "application/pdf": f"http://testserver/works/{work.pk}/download/quiet-hours.pdf",
        "text/html": f"http://testserver/works/{work.pk}/download/quiet-hours.html",
    }
    assert path_of(links(entry, "alternate")[0].get("href")) == f"/works/{work.pk}"
    assert root.find("opensearch:totalResults", NS).text == "1"


def test_the_newest_works_come_a_page_at_a_time(client, author):
    for number in range(21):
        make_work(author, title=f"Work {number:02}")
    first = catalog(client.get("/opds/new"), ACQUISITION)
    assert entry_titles(first) == [f"Work {number:02}" for number in range(20, 0, -1)]
    assert links(first, "previous") == []
    (following,) = links(first, "next")
    assert following.get("type") == ACQUISITION
    second = catalog(client.get(path_of(following.get("href"))), ACQUISITION)
    assert entry_titles(second) == ["Work 00"]
    assert links(second, "next") == []
    assert path_of(links(second, "previous")[0].get("href")) == "/opds/new?page=1"
    catalog(client.get("/opds/new?page=abc"), ACQUISITION)  # a bad page number: the first


def test_the_fandoms_are_the_canonical_ones_with_works_a_guest_may_list(client, author):
    make_work(author, title="One")
    make_work(author, title="Two")
    make_work(author, title="Holmes", fandoms=["Sherlock"])  # not canonical
    make_work(author, title="Members", fandoms=["Hidden Fandom"], restricted=True)
    canonical(SVU, "Hidden Fandom")
    root = catalog(client.get("/opds/fandoms"), NAVIGATION)
    (entry,) = entries(root)
    assert entry.find("atom:title", NS).text == SVU
    assert entry.find("atom:content", NS).text == "2 works"
    link = entry.find("atom:link", NS)
    assert link.get("type") == ACQUISITION
    assert path_of(link.get("href")).replace("%20", " ") == f"/opds/fandoms/{SVU_PARAM}"
    fandom = catalog(client.get(path_of(link.get("href"))), ACQUISITION)
    assert sorted(entry_titles(fandom)) == ["One", "Two"]
    assert path_of(links(fandom, "up")[0].get("href")) == "/opds/fandoms"


def test_a_tags_works_are_an_acquisition_feed(client, author):
    make_work(author, title="Sad", freeforms=["Angst"])
    make_work(author, title="Happy", freeforms=["Fluff"])
    assert entry_titles(catalog(client.get("/opds/tags/Angst"), ACQUISITION)) == ["Sad"]


def test_unknown_tags_and_tags_that_are_not_fandoms_are_not_found(client, author):
    make_work(author, freeforms=["Angst"])
    for url in ("/opds/tags/Nothing", "/opds/fandoms/Nothing", "/opds/fandoms/Angst"):
        assert client.get(url).status_code == 404, url


def test_search_finds_works_as_the_sites_search_does(client, author):
    make_work(author, title="Fire Escape", summary="Smoke on the stairs.")
    make_work(author, title="Quiet Harbour")
    make_work(author, title="Members Fire", restricted=True)
    root = catalog(client.get("/opds/search", {"q": "fire"}), ACQUISITION)
    assert entry_titles(root) == ["Fire Escape"]
    assert root.find("atom:title", NS).text.startswith("Search: fire")


def test_a_search_the_form_refuses_is_an_empty_feed_saying_why(client, author):
    make_work(author, title="Anything")
    root = catalog(client.get("/opds/search", {"q": "x" * 5000}), ACQUISITION)
    assert entries(root) == []
    assert "at most" in root.find("atom:title", NS).text
    root = catalog(client.get("/opds/search", {"include": "No Such Tag"}), ACQUISITION)
    assert entries(root) == []


def test_the_opensearch_description_fills_search_terms_into_the_search_feed(client):
    response = client.get("/opds/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == f"{OPENSEARCH}; charset=utf-8"
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own document)
    assert root.tag == f"{{{NS['opensearch']}}}OpenSearchDescription"
    url = root.find("opensearch:Url", NS)
    assert url.get("type") == ACQUISITION
    assert url.get("template") == "http://testserver/opds/search?q={searchTerms}"
    assert root.find("opensearch:ShortName", NS).text == "Ficshelf"


def test_drafts_and_logged_in_only_works_never_appear_even_for_their_logged_in_creator(
    client, author
):
    make_work(author, title="Public", freeforms=["Angst"])
    make_work(author, title="A Draft", post=False, freeforms=["Angst"])
    make_work(author, title="Members Only", restricted=True, freeforms=["Angst"])
    canonical(SVU)
    client.force_login(author)
    for url in (
        "/opds/new",
        f"/opds/fandoms/{SVU_PARAM}",
        "/opds/tags/Angst",
        "/opds/search?q=",
    ):
        assert entry_titles(catalog(client.get(url), ACQUISITION)) == ["Public"], url
    assert (
        "1 work"
        == entries(catalog(client.get("/opds/fandoms"), NAVIGATION))[0]
        .find("atom:content", NS)
        .text
    )


def test_hostile_titles_still_make_valid_catalogs(client, author):
    for title in HOSTILE_TITLES:
        make_work(author, title=title, summary=f"<p>{title}</p>", freeforms=["Angst"])
    canonical(SVU)
    for url in ("/opds/new", "/opds/tags/Angst", f"/opds/fandoms/{SVU_PARAM}", "/opds/search"):
        assert len(entries(catalog(client.get(url), ACQUISITION))) == len(HOSTILE_TITLES), url
    for query in ('"', "\u202e", "🦊", HOSTILE_TITLES[4][:90], "a/b", "<b>"):
        catalog(client.get("/opds/search", {"q": query}), ACQUISITION)


def test_a_catalog_is_public_for_five_minutes_and_answers_304_when_unchanged(client):
    response = client.get("/opds")
    assert response["Cache-Control"] == "public, max-age=300"
    assert client.get("/opds", headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_the_seed_work_is_in_the_newest_works_with_an_epub_that_downloads(client, settings):
    work = import_work(
        file_bytes=SEED_PATH.read_bytes(),
        filename=SEED_PATH.name,
        importer=make_user(),
        defaults=WorkChoices(fandoms=[SVU]),
    ).work
    root = catalog(client.get("/opds/new"), ACQUISITION)
    (entry,) = [e for e in entries(root) if e.find("atom:title", NS).text == work.title]
    (epub,) = [link for link in links(entry, ACQUIRE) if link.get("type") == "application/epub+zip"]
    response = client.get(path_of(epub.get("href")))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    book = zipfile.ZipFile(BytesIO(b"".join(response.streaming_content)))
    assert book.read("mimetype") == b"application/epub+zip"
