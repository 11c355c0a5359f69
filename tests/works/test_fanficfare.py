"""FanFicFare (from PyPI) downloads Ficshelf works with its own OTW adapter: the work pages, the
chapter index, the adult notice, the log-in notice and the log-in flow follow otwarchive's
markup closely enough for `base_otw_adapter.py` to read every field. One behaviour differs on
purpose: a guest at a restricted work gets the log-in notice with 403 (AO3 redirects to a 200
log-in page), which the subclass reads instead of giving up.

FanFicFare's site list names no self-hosted archive, so a reader defines the small subclass
below (docs/reading.md, "FanFicFare and other tools"). It talks to the live test server only:
no cover, no images, no other site.
"""

import zipfile
from html import unescape
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests
from django.test import Client
from django.utils import timezone
from django.utils.html import strip_tags

pytest.importorskip("fanficfare")

import fanficfare  # noqa: E402
from fanficfare import exceptions as fff_exceptions  # noqa: E402
from fanficfare import writers  # noqa: E402
from fanficfare.adapters.base_otw_adapter import BaseOTWAdapter  # noqa: E402
from fanficfare.configurable import Configuration  # noqa: E402

from ficshelf.bookmarks.services import bookmark_work  # noqa: E402
from ficshelf.feedback.services.comments import post_comment  # noqa: E402
from ficshelf.feedback.services.kudos import give_kudos  # noqa: E402
from ficshelf.imports.services import WorkChoices, import_work  # noqa: E402
from ficshelf.series.services import start_series_with  # noqa: E402
from ficshelf.works.services import ChapterContent, add_chapter  # noqa: E402
from tests.factories import PASSWORD, make_user, make_work  # noqa: E402
from tests.imports.conftest import SEED_PATH, SVU  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)

DEFAULTS_INI = Path(fanficfare.__file__).with_name("defaults.ini")


def adapter_class(host: str):
    """The subclass a reader writes: FanFicFare's OTW adapter, pointed at `host` (a host name
    and a port here), over plain http as the test server speaks it."""

    class FicshelfAdapter(BaseOTWAdapter):
        def __init__(self, config, url):
            super().__init__(config, url)
            self.story.setMetadata("siteabbrev", "ficshelf")

        @staticmethod
        def getSiteDomain():
            return host

        def mod_url_request(self, url):
            # The base adapter writes https:// URLs; a real archive needs no such line.
            return url.replace(f"https://{host}/", f"http://{host}/", 1)

        def get_request_redirected(self, url, **kwargs):
            # Ficshelf answers a guest at a restricted work with its log-in notice and 403
            # (AO3 with a redirect to its log-in page): read the notice, so as to log in.
            try:
                return super().get_request_redirected(url, **kwargs)
            except fff_exceptions.HTTPErrorFFF as error:
                if error.status_code != 403 or not error.data:
                    raise
                return self.decode_data(error.data), url

    return FicshelfAdapter


def personal_ini(host: str, **settings) -> str:
    """The reader's personal.ini: the [archiveofourown.org] entries, under the archive's own
    section, and nothing fetched but the archive's pages."""
    lines = [
        f"[{host}]",
        "extra_valid_entries:fandoms, freeformtags, ao3categories, comments,",
        " chapterslashtotal, kudos, hits, bookmarks, byline, restricted,",
        " series00, series00Url",
        "include_in_category:category,fandoms",
        "include_in_genre:genre, freeformtags, ao3categories",
        "slow_down_sleep_time:0",
        "include_images:false",
        "never_make_cover:true",
        "use_basic_cache:false",
        *[f"{key}:{value}" for key, value in settings.items()],
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(autouse=True)
def only_the_archive(monkeypatch):
    """Every request FanFicFare makes goes to the live test server, none elsewhere."""
    sent = []
    send = requests.Session.send

    def recording_send(session, request, **kwargs):
        sent.append(urlparse(request.url).hostname)
        if sent[-1] not in ("localhost", "127.0.0.1"):
            raise AssertionError(f"FanFicFare asked {request.url}")
        return send(session, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", recording_send)
    return sent


def download(live_server, work, **settings):
    """FanFicFare's metadata and chapters of `work`, as its library API gives them."""
    host = urlparse(live_server.url).netloc
    config = Configuration(["base_otw", host], "epub")
    config.read_file(StringIO(DEFAULTS_INI.read_text(encoding="utf-8")))
    config.read_file(StringIO(personal_ini(host, **settings)))
    adapter = adapter_class(host)(config, f"http://{host}/works/{work.pk}")
    story = adapter.getStory()
    return adapter, story, config


def texts(story, key: str) -> list[str]:
    return story.getList(key, removeallentities=True)


def plain(html: str) -> str:
    return " ".join(unescape(strip_tags(html)).split())


def value(story, key: str) -> str:
    return story.getMetadata(key, removeallentities=True)


@pytest.fixture
def writer(transactional_db):
    return make_user("wordsmith")


@pytest.fixture
def full_work(writer):
    work = make_work(
        writer,
        title="Harbour Lights",
        rating="teen",
        warnings=["No Archive Warnings Apply"],
        categories=["F/M"],
        fandoms=[SVU, "Star Trek"],
        relationships=["Olivia Benson/Elliot Stabler"],
        characters=["Olivia Benson", "Elliot Stabler"],
        freeforms=["Slow Burn", "Harbours"],
        summary="<p>Two detectives and a <em>lighthouse</em>.</p>",
        notes="<p>Written for a friend.</p>",
        end_notes="<p>Thanks for reading.</p>",
        text="<p>The fog came in at dusk.</p>",
        expected_chapters=3,
    )
    add_chapter(
        work=work,
        editor=writer,
        content=ChapterContent(
            text="<p>Morning, and the harbour was empty.</p>",
            title="Low Tide",
            notes="<p>A chapter note.</p>",
            end_notes="<p>A chapter end note.</p>",
        ),
    )
    start_series_with(work=work, user=writer, title="Coastal Cases")
    fans = [make_user("fan1"), make_user("fan2")]
    for fan in fans:
        give_kudos(work=work, giver=fan)
    bookmark_work(user=fans[0], work=work)
    post_comment(work=work, chapter=work.chapters.first(), commenter=fans[1], text="Lovely.")
    work.refresh_from_db()
    return work


def test_fanficfare_reads_every_field_of_a_multichapter_work(
    live_server, full_work, only_the_archive
):
    _, story, _ = download(live_server, full_work)
    assert set(only_the_archive) == {urlparse(live_server.url).hostname}

    assert value(story, "title") == "Harbour Lights"
    assert texts(story, "author") == ["wordsmith"]
    assert value(story, "rating") == "Teen And Up Audiences"
    assert texts(story, "warnings") == ["No Archive Warnings Apply"]
    assert texts(story, "ao3categories") == ["F/M"]
    assert sorted(texts(story, "fandoms")) == sorted([SVU, "Star Trek"])
    assert texts(story, "ships") == ["Olivia Benson/Elliot Stabler"]
    assert sorted(texts(story, "characters")) == ["Elliot Stabler", "Olivia Benson"]
    assert sorted(texts(story, "freeformtags")) == ["Harbours", "Slow Burn"]
    assert "lighthouse" in value(story, "description")
    assert value(story, "language") == "English"
    assert value(story, "status") == "In-Progress"
    assert value(story, "chapterslashtotal") == "2/3"
    assert value(story, "kudos") == "2"
    assert value(story, "bookmarks") == "1"
    assert value(story, "comments") == "1"
    assert value(story, "series") == "Coastal Cases [1]"
    assert story.getMetadataRaw("datePublished") is not None

    chapters = story.getChapters()
    assert [c["title"] for c in chapters] == ["1. Chapter 1", "2. Low Tide"]
    assert "The fog came in at dusk." in chapters[0]["html"]
    assert "Written for a friend." in chapters[0]["html"]
    assert "Morning, and the harbour was empty." in chapters[1]["html"]
    assert "A chapter note." in chapters[1]["html"]
    assert "A chapter end note." in chapters[1]["html"]
    assert "Thanks for reading." in chapters[1]["html"]


def test_an_adult_work_needs_fanficfares_is_adult_and_then_downloads(live_server, writer):
    work = make_work(writer, title="After Dark", rating="explicit", chapters=2)
    with pytest.raises(fff_exceptions.AdultCheckRequired):
        download(live_server, work)

    _, story, _ = download(live_server, work, is_adult="true")
    assert value(story, "title") == "After Dark"
    assert value(story, "rating") == "Explicit"
    chapters = story.getChapters()
    assert [c["title"] for c in chapters] == ["1. Chapter 1", "2. Part 2"]
    assert "The first chapter's text." in chapters[0]["html"]
    assert "Chapter 2 text." in chapters[1]["html"]


def test_a_restricted_work_downloads_after_fanficfares_log_in(live_server, writer):
    make_user("member")
    work = make_work(
        writer, title="Members Only", restricted=True, chapters=2, text="<p>Members only.</p>"
    )
    with pytest.raises(fff_exceptions.FailedToLogin):
        download(live_server, work, username="member", password="not the password")

    _, story, _ = download(live_server, work, username="member", password=PASSWORD)
    assert value(story, "title") == "Members Only"
    assert value(story, "restricted") == "Restricted"
    assert texts(story, "author") == ["wordsmith"]
    chapters = story.getChapters()
    assert "Members only." in chapters[0]["html"]
    assert "Chapter 2 text." in chapters[1]["html"]


def test_the_seed_work_downloads_with_all_its_metadata(live_server, writer, tmp_path):
    work = import_work(
        file_bytes=SEED_PATH.read_bytes(),
        filename=SEED_PATH.name,
        importer=writer,
        defaults=WorkChoices(fandoms=[SVU]),
    ).work
    work.refresh_from_db()
    adapter, story, config = download(live_server, work, is_adult="true")

    assert value(story, "title") == work.title
    assert texts(story, "author") == [str(p) for p in work.creator_pseuds()]
    assert value(story, "rating") == work.get_rating_display()
    kinds = ("warnings", "fandoms", "relationships", "characters", "freeforms")
    tags = {kind: sorted(tag.name for tag in getattr(work, kind)) for kind in kinds}
    assert sorted(texts(story, "warnings")) == tags["warnings"]
    assert sorted(texts(story, "fandoms")) == tags["fandoms"]
    assert sorted(texts(story, "ships")) == tags["relationships"]
    assert sorted(texts(story, "characters")) == tags["characters"]
    assert sorted(texts(story, "freeformtags")) == tags["freeforms"]
    if work.summary:
        assert value(story, "description")
    chapters = list(work.chapters.filter(posted=True).order_by("position"))
    downloaded = story.getChapters()
    assert len(downloaded) == len(chapters)
    for chapter, got in zip(chapters, downloaded, strict=True):
        # FanFicFare names a one-chapter work's chapter after the work, as on AO3.
        title = chapter.title or f"Chapter {chapter.position}"
        expected = work.title if len(chapters) == 1 else f"{chapter.position}. {title}"
        assert got["title"] == expected
        # The whole text is there, paragraph by paragraph.
        assert plain(chapter.text) in plain(got["html"])
    assert value(story, "numWords") == f"{work.word_count:,}"
    assert story.getMetadataRaw("datePublished").date() == timezone.localdate(work.published_at)

    # And FanFicFare makes a book of it.
    book = tmp_path / "seed.epub"
    writers.getWriter("epub", config, adapter).writeStory(outfilename=str(book))
    with zipfile.ZipFile(book) as epub:
        text = " ".join(
            epub.read(name).decode() for name in epub.namelist() if name.endswith("html")
        )
    assert plain(downloaded[0]["html"])[:200] in plain(text)
    assert value(story, "language") == work.language_name


# --- The log-in flow FanFicFare uses, through Django's test client with CSRF checks on -------


@pytest.fixture
def csrf_client(db):
    return Client(enforce_csrf_checks=True)


def otw_login(client, token: str, password: str = PASSWORD, **extra):
    data = {"user[login]": "member", "user[password]": password, "authenticity_token": token}
    return client.post("/users/login", data, follow=True, **extra)


@pytest.mark.django_db
def test_a_tool_logs_in_with_otwarchives_names_and_a_dispensed_token(csrf_client):
    make_user("member")
    token = csrf_client.get("/token_dispenser.json").json()["token"]
    response = otw_login(csrf_client, token)
    assert response.context["user"].username == "member"
    # The page it lands on has the link tools take as proof of a login.
    assert 'href="/users/logout"' in response.content.decode()


@pytest.mark.django_db
def test_a_tools_log_in_without_the_token_is_refused(csrf_client):
    make_user("member")
    csrf_client.get("/token_dispenser.json")  # the cookie, but no token posted
    assert otw_login(csrf_client, "").status_code == 403
    assert otw_login(csrf_client, "x" * 64).status_code == 403
    assert not csrf_client.get("/").context["user"].is_authenticated


@pytest.mark.django_db
def test_over_https_a_token_without_a_referer_logs_in_but_a_foreign_origin_is_refused(
    csrf_client,
):
    make_user("member")
    token = csrf_client.get("/token_dispenser.json", secure=True).json()["token"]
    refused = otw_login(csrf_client, token, secure=True, HTTP_ORIGIN="https://elsewhere.example")
    assert refused.status_code == 403
    refused = otw_login(csrf_client, token, secure=True, HTTP_REFERER="https://elsewhere.example/")
    assert refused.status_code == 403
    response = otw_login(csrf_client, token, secure=True)
    assert response.context["user"].username == "member"


@pytest.mark.django_db
def test_a_wrong_password_from_a_tool_is_the_usual_form_error(csrf_client):
    make_user("member")
    token = csrf_client.get("/token_dispenser.json").json()["token"]
    response = otw_login(csrf_client, token, password="wrong")
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert "The user name or password is incorrect." in response.content.decode()
