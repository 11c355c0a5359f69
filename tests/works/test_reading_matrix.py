"""The reading policy as a matrix: each kind of object × each actor × each way in.

Objects: a draft work, a posted work, a work restricted to logged-in readers, a draft chapter
of a posted work, and a posted Mature work (for the adult notice). Actors: a guest, another
user, the creator, an accepted co-creator, an admin. Ways in: every page that exists now, and
the policy's answer for the ways that come next (downloads, feeds, search, notifications).

The archive is built once for all the tests; each checks every cell of its row, then reports
every cell that differs, so a broken rule shows as a small table rather than one failure at a
time.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ficshelf.works import reading
from ficshelf.works.models import Chapter, Work
from ficshelf.works.reading import Way
from ficshelf.works.services import ChapterContent, add_chapter
from tests.factories import add_co_creator, make_account, make_work
from tests.sharing import built_once

pytestmark = pytest.mark.django_db

ACTORS = ("guest", "other", "creator", "cocreator", "admin")
OBJECTS = ("draft", "posted", "restricted", "draft chapter", "adult")

# Outcomes: "text" (200, the object's text on the page), "hidden" (200, the text is not on
# it), "404", "login" (403, a log-in prompt and no text), "notice" (200, the adult notice and
# no text), "listed"/"absent" (the title on a listing or not), "-" (the way does not apply).
PAGES = {
    # Way in:        guest     other     creator   cocreator  admin
    "work page": {
        "draft": ("404", "404", "text", "text", "404"),
        "posted": ("text", "text", "text", "text", "text"),
        "restricted": ("login", "text", "text", "text", "text"),
        "draft chapter": ("hidden", "hidden", "hidden", "hidden", "hidden"),
        "adult": ("notice", "text", "text", "text", "text"),
    },
    "chapter page": {
        "draft": ("404", "404", "text", "text", "404"),
        "posted": ("text", "text", "text", "text", "text"),
        "restricted": ("login", "text", "text", "text", "text"),
        "draft chapter": ("404", "404", "text", "text", "404"),
        "adult": ("notice", "text", "text", "text", "text"),
    },
    "entire work": {
        "draft": ("404", "404", "text", "text", "404"),
        "posted": ("text", "text", "text", "text", "text"),
        "restricted": ("login", "text", "text", "text", "text"),
        "draft chapter": ("hidden", "hidden", "text", "text", "hidden"),
        "adult": ("notice", "text", "text", "text", "text"),
    },
    "chapter index": {
        "draft": ("404", "404", "listed", "listed", "404"),
        "posted": ("listed", "listed", "listed", "listed", "listed"),
        "restricted": ("login", "listed", "listed", "listed", "listed"),
        "draft chapter": ("absent", "absent", "listed", "listed", "absent"),
        "adult": ("notice", "listed", "listed", "listed", "listed"),
    },
    "works index": {
        "draft": ("absent", "absent", "absent", "absent", "absent"),
        "posted": ("listed", "listed", "listed", "listed", "listed"),
        "restricted": ("absent", "listed", "listed", "listed", "listed"),
        "draft chapter": ("-", "-", "-", "-", "-"),
        "adult": ("listed", "listed", "listed", "listed", "listed"),
    },
    "tag page": {
        "draft": ("absent", "absent", "absent", "absent", "absent"),
        "posted": ("listed", "listed", "listed", "listed", "listed"),
        "restricted": ("absent", "listed", "listed", "listed", "listed"),
        "draft chapter": ("-", "-", "-", "-", "-"),
        "adult": ("listed", "listed", "listed", "listed", "listed"),
    },
    "creator's works": {
        "draft": ("absent", "absent", "listed", "listed", "absent"),
        "posted": ("listed", "listed", "listed", "listed", "listed"),
        "restricted": ("absent", "listed", "listed", "listed", "listed"),
        "draft chapter": ("-", "-", "-", "-", "-"),
        "adult": ("listed", "listed", "listed", "listed", "listed"),
    },
    "profile": {
        "draft": ("absent", "absent", "absent", "absent", "absent"),
        "posted": ("listed", "listed", "listed", "listed", "listed"),
        "restricted": ("absent", "listed", "listed", "listed", "listed"),
        "draft chapter": ("-", "-", "-", "-", "-"),
        "adult": ("listed", "listed", "listed", "listed", "listed"),
    },
    "home page": {
        "draft": ("absent", "absent", "absent", "absent", "absent"),
        "posted": ("listed", "listed", "listed", "listed", "listed"),
        "restricted": ("absent", "listed", "listed", "listed", "listed"),
        "draft chapter": ("-", "-", "-", "-", "-"),
        "adult": ("listed", "listed", "listed", "listed", "listed"),
    },
    "edit page": {
        "draft": ("login", "404", "form", "form", "404"),
        "posted": ("login", "404", "form", "form", "404"),
        "restricted": ("login", "404", "form", "form", "404"),
        "draft chapter": ("login", "404", "form", "form", "404"),
        "adult": ("login", "404", "form", "form", "404"),
    },
}

# The policy's answer for ways in that have no page yet: "yes", or what is shown instead.
POLICY = {
    Way.DOWNLOAD: {
        "draft": ("not_found",) * 5,
        "posted": ("yes",) * 5,
        "restricted": ("log_in", "yes", "yes", "yes", "yes"),
        "draft chapter": ("not_found",) * 5,
        "adult": ("adult_notice", "yes", "yes", "yes", "yes"),
    },
    Way.FEED: {
        "draft": ("not_found",) * 5,
        "posted": ("yes",) * 5,
        "restricted": ("not_found",) * 5,
        "draft chapter": ("not_found",) * 5,
        "adult": ("yes",) * 5,
    },
    Way.SEARCH: {
        "draft": ("not_found",) * 5,
        "posted": ("yes",) * 5,
        "restricted": ("not_found", "yes", "yes", "yes", "yes"),
        "draft chapter": ("not_found",) * 5,
        "adult": ("yes",) * 5,
    },
    Way.NOTIFY: {
        "draft": ("not_found",) * 5,
        "posted": ("not_found", "yes", "yes", "yes", "yes"),
        "restricted": ("not_found", "yes", "yes", "yes", "yes"),
        "draft chapter": ("not_found",) * 5,
        "adult": ("not_found", "yes", "yes", "yes", "yes"),
    },
}

FANDOM = "Matrix Fandom"


class Archive:
    """One archive with every kind of object and every actor."""

    def __init__(self):
        self.actors = {
            "guest": None,
            "other": make_account("other"),
            "creator": make_account("creator"),
            "cocreator": make_account("cocreator"),
            "admin": make_account("admin", is_staff=True, is_superuser=True),
        }
        creator = self.actors["creator"]

        def work(title, **meta):
            text = f"<p>The text of {title}.</p>"
            made = make_work(creator, title=title, text=text, fandoms=[FANDOM], **meta)
            return add_co_creator(made, by=creator, user=self.actors["cocreator"])

        self.works = {
            "draft": work("Draft Work", post=False),
            "posted": work("Posted Work"),
            "restricted": work("Restricted Work", restricted=True),
            "draft chapter": work("Work With A Draft Chapter"),
            "adult": work("Adult Work", rating="mature"),
        }
        self.draft_chapter = add_chapter(
            work=self.works["draft chapter"],
            editor=creator,
            content=ChapterContent(text="<p>The text of the draft chapter.</p>"),
            post=False,
        )

    def client(self, actor: str) -> Client:
        client = Client()
        if self.actors[actor] is not None:
            client.force_login(self.actors[actor])
        return client

    def secret(self, kind: str) -> str:
        if kind == "draft chapter":
            return "The text of the draft chapter."
        return f"The text of {self.works[kind].title}."

    def chapter(self, kind: str) -> Chapter:
        if kind == "draft chapter":
            return self.draft_chapter
        return self.works[kind].chapters.get(position=1)


def _page_outcome(archive: Archive, way: str, kind: str, actor: str) -> str:
    work = archive.works[kind]
    client = archive.client(actor)
    listing_urls = {
        "works index": reverse("works:index"),
        "tag page": reverse("tags:works", kwargs={"tag": FANDOM}),
        "creator's works": reverse("creators:works", kwargs={"username": "creator"}),
        "profile": reverse("accounts:profile", kwargs={"username": "creator"}),
        "home page": reverse("archive:home"),
    }
    if way in listing_urls:
        page = client.get(listing_urls[way]).content.decode()
        return "listed" if work.title in page else "absent"
    urls = {
        "work page": work.get_absolute_url(),
        "chapter page": archive.chapter(kind).get_absolute_url(),
        "entire work": work.get_absolute_url() + "?view_full_work=true",
        "chapter index": reverse("works:navigate", kwargs={"work_id": work.pk}),
        "edit page": reverse(
            "works:edit_chapter",
            kwargs={"work_id": work.pk, "chapter_id": archive.chapter(kind).pk},
        ),
    }
    response = client.get(urls[way])
    page = response.content.decode()
    if response.status_code == 404:
        return "404"
    if way == "edit page":
        if response.status_code == 302 and "/users/login" in response["Location"]:
            return "login"
        return "form" if response.status_code == 200 and 'name="text"' in page else "?"
    secret = archive.secret(kind)
    if response.status_code == 403:
        return "login" if secret not in page and "log in" in page.lower() else "?"
    assert response.status_code == 200, (way, kind, actor, response.status_code)
    if "adult notice" in page or "could have adult content" in page:
        return "notice" if secret not in page else "?"
    if way == "chapter index":
        title = "Chapter 2" if kind == "draft chapter" else "Chapter 1"
        return "listed" if title in page else "absent"
    return "text" if secret in page else "hidden"


def _mismatches(expected, actual_of) -> list[str]:
    wrong = []
    for kind in OBJECTS:
        for actor, want in zip(ACTORS, expected[kind], strict=True):
            if want == "-":
                continue
            got = actual_of(kind, actor)
            if got != want:
                wrong.append(f"{kind} × {actor}: expected {want}, got {got}")
    return wrong


@pytest.fixture(scope="class")
def archive(django_db_setup, django_db_blocker):
    """The archive built once for the class's tests, which only read it (tests/sharing.py)."""
    with built_once(django_db_blocker):
        yield Archive()


@pytest.fixture
def pages_made_afresh():
    """Each test's guest pages are made for it, not served from an earlier test's page cache."""
    cache.clear()


@pytest.mark.usefixtures("pages_made_afresh")
class TestTheMatrix:
    @pytest.mark.parametrize("way", list(PAGES))
    def test_every_page_follows_the_reading_policy(self, archive, way):
        wrong = _mismatches(
            PAGES[way], lambda kind, actor: _page_outcome(archive, way, kind, actor)
        )
        assert not wrong, f"{way}:\n" + "\n".join(wrong)

    @pytest.mark.parametrize("way", list(POLICY), ids=str)
    def test_the_policy_answers_for_the_ways_in_that_come_next(self, archive, way):
        def answer(kind: str, actor: str) -> str:
            viewer = archive.actors[actor] or AnonymousUser()
            work = Work.objects.with_listing_data().get(pk=archive.works[kind].pk)
            chapter = archive.draft_chapter if kind == "draft chapter" else None
            verdict = reading.decide(viewer, work, way, chapter=chapter)
            return "yes" if verdict.allowed else str(verdict.instead)

        wrong = _mismatches(POLICY[way], answer)
        assert not wrong, f"{way}:\n" + "\n".join(wrong)

    @pytest.mark.parametrize("way", [Way.OPEN, Way.LIST, Way.DOWNLOAD, Way.FEED, Way.SEARCH])
    def test_the_lists_agree_with_the_policy_for_each_work(self, archive, way):
        """Work.objects.visible_to(viewer, way) holds exactly the works `decide` lets in."""
        for actor in ACTORS:
            viewer = archive.actors[actor] or AnonymousUser()
            listed = set(Work.objects.visible_to(viewer, way).values_list("pk", flat=True))
            for work in Work.objects.with_listing_data():
                verdict = reading.decide(viewer, work, way, adult_consent=True)
                # A guest's log-in prompt is a way to the work, not the work: lists leave it out.
                assert (work.pk in listed) == verdict.allowed, (way, actor, work.title)
