"""Site-wide request limits: one client past its limit gets 429 with Retry-After, every other
client is still served; posts, search, downloads, feeds and the API each have their own count."""

import json
import time
from statistics import median

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import get_resolver

from ficshelf.archive import request_limits
from ficshelf.archive.request_limits import kind_of
from ficshelf.downloads.views import download_name
from ficshelf.works.models import Work
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db

# Addresses from the documentation ranges, used by no other test module.
READER = "192.0.2.101"
NEIGHBOUR = "192.0.2.102"
SMALL = {
    "pages": (5, 8),
    "posts": (3, 3),
    "search": (2, 4),
    "downloads": (2, 4),
    "feeds": (2, 4),
    "checks": (2, 3),
    "api": (4, 4),
}


def fresh_window(room: float = 15.0) -> None:
    """Wait, if need be, for a minute with `room` seconds left: a fixed window that ended in
    the middle of a test would reset its counts."""
    left = 60 - time.time() % 60
    if left < room:
        time.sleep(left + 0.05)


@pytest.fixture
def limits(settings):
    """The limits on, as in production (loopback exempt), with small numbers."""
    settings.REQUEST_LIMITS = {
        "ENABLED": True,
        "SCALE": 1,
        "EXEMPT": ["127.0.0.1", "::1"],
        "PER_MINUTE": dict(SMALL),
    }
    cache.clear()
    fresh_window()
    yield settings.REQUEST_LIMITS
    cache.clear()


def statuses(client, path, times, **extra):
    return [client.get(path, **extra).status_code for _ in range(times)]


def test_a_guest_past_the_page_limit_gets_a_429_page_and_a_neighbour_is_still_served(limits):
    guest = Client(REMOTE_ADDR=READER)
    assert statuses(guest, "/", 5) == [200] * 5
    refused = guest.get("/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "no-store" in refused["Cache-Control"]
    assert "base-uri 'none'" in refused["Content-Security-Policy"]
    page = refused.content.decode()
    assert "Too many requests" in page
    assert f"try again in {refused['Retry-After']} second" in page
    assert "<script" not in page
    # The guest page cache kept the home page, never the refusal: another guest reads it.
    other = Client(REMOTE_ADDR=NEIGHBOUR).get("/")
    assert other.status_code == 200
    assert "Too many requests" not in other.content.decode()


def test_the_figure_a_thousand_requests_from_one_client_and_a_second_client_served(settings):
    """The shipped limit (300 pages a minute for a guest): of 1,000 requests in a row the
    first 300 are answered and the other 700 get 429; a second client is served throughout."""
    settings.REQUEST_LIMITS = {**settings.REQUEST_LIMITS, "ENABLED": True, "SCALE": 1}
    per_guest = settings.REQUEST_LIMITS["PER_MINUTE"]["pages"][0]
    assert per_guest == 300
    cache.clear()
    fresh_window(room=30)
    flooder, bystander = Client(REMOTE_ADDR="192.0.2.201"), Client(REMOTE_ADDR="192.0.2.202")
    answers, bystander_answers, took = [], [], {200: [], 429: []}
    for number in range(1000):
        started = time.perf_counter()
        status = flooder.get("/").status_code
        took.setdefault(status, []).append(time.perf_counter() - started)
        answers.append(status)
        if number % 50 == 49:
            bystander_answers.append(bystander.get("/").status_code)
    cache.clear()
    served, refused = answers.count(200), answers.count(429)
    print(
        f"1,000 requests from one client: {served} served, {refused} refused (429), a refusal"
        f" in {1000 * median(took[429]):.2f} ms, a (cached) page in {1000 * median(took[200]):.2f}"
        f" ms (medians); second client: {bystander_answers.count(200)}/{len(bystander_answers)}"
        " served"
    )
    assert answers[:per_guest] == [200] * per_guest
    assert answers[per_guest:] == [429] * (1000 - per_guest)
    assert bystander_answers == [200] * 20


def test_logged_in_readers_behind_one_address_are_counted_by_account(limits):
    first, second = Client(REMOTE_ADDR=READER), Client(REMOTE_ADDR=READER)
    first.force_login(make_user("nat_one"))
    second.force_login(make_user("nat_two"))
    # An account's limit is its own, higher than a guest's (8 here).
    assert statuses(first, "/", 8) == [200] * 8
    assert first.get("/").status_code == 429
    assert statuses(second, "/", 8) == [200] * 8
    # The guests at that address have their own count, untouched by the accounts'.
    assert statuses(Client(REMOTE_ADDR=READER), "/", 5) == [200] * 5


def test_a_session_cookie_without_an_account_is_counted_by_address(limits):
    """Sending a made-up session cookie does not escape the guest's count."""
    guest = Client(REMOTE_ADDR=READER)
    assert statuses(guest, "/", 3) == [200] * 3
    guest.cookies["sessionid"] = "made-up-" + "x" * 24
    assert statuses(guest, "/", 2) == [200] * 2
    assert guest.get("/").status_code == 429
    # A page that leads nowhere is counted too (a scanner's 404s), with or without the cookie.
    assert guest.get("/no-such-page").status_code == 429


def test_posts_have_a_tighter_count_of_their_own(limits):
    guest = Client(REMOTE_ADDR=READER)
    answers = [guest.post("/users/login", {"username": "x", "password": "y"}).status_code]
    answers += [guest.post("/users/login", {}).status_code for _ in range(3)]
    assert 429 not in answers[:3] and answers[3] == 429
    assert guest.get("/").status_code == 200  # reading goes on


def test_search_downloads_and_feeds_each_have_their_own_count(limits):
    work = make_work(make_user("feeder"))
    guest = Client(REMOTE_ADDR=READER)
    for path in (
        "/works/search?q=dragon",
        f"/works/{work.pk}/download/{download_name(work)}.epub",
        f"/works/{work.pk}/feed.atom",
    ):
        assert statuses(guest, path, 2) == [200, 200], path
        assert guest.get(path).status_code == 429, path
    # OPDS and the Atom feeds share one count.
    assert guest.get("/opds").status_code == 429
    assert statuses(guest, "/", 5) == [200] * 5


def test_the_api_answers_json_past_the_address_limit_and_is_not_counted_as_pages(limits):
    guest = Client(REMOTE_ADDR=READER)
    assert statuses(guest, "/api/v1/works", 4) == [200] * 4
    refused = guest.get("/api/v1/works")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert json.loads(refused.content) == {"detail": request_limits.REFUSED_API_DETAIL}
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert statuses(guest, "/", 5) == [200] * 5


def test_the_api_keeps_its_own_limits_under_the_shipped_ones(settings):
    """Per address the site-wide count for the API is five times the API's own read limit, so
    a tool meets the API's limit (per token) first."""
    from ficshelf.api import access

    per_address = settings.REQUEST_LIMITS["PER_MINUTE"]["api"][0]
    assert per_address >= 5 * access.READ_LIMIT.count


def test_static_files_health_readiness_and_robots_are_never_counted(limits):
    guest = Client(REMOTE_ADDR=READER)
    for path in ("/health", "/ready", "/robots.txt", "/static/css/ficshelf.css"):
        assert 429 not in statuses(guest, path, 7), path
    assert statuses(guest, "/", 5) == [200] * 5


def test_this_machine_and_listed_networks_are_exempt(limits, settings):
    assert 429 not in statuses(Client(), "/", 12)  # the test client is 127.0.0.1
    settings.REQUEST_LIMITS = {**limits, "EXEMPT": ["192.0.2.0/24"]}
    assert 429 not in statuses(Client(REMOTE_ADDR=READER), "/", 12)
    settings.REQUEST_LIMITS = {**limits, "EXEMPT": []}
    assert statuses(Client(), "/", 6)[-1] == 429


def test_the_off_switch_and_the_scale(limits, settings):
    settings.REQUEST_LIMITS = {**limits, "ENABLED": False}
    assert 429 not in statuses(Client(REMOTE_ADDR=READER), "/", 12)
    settings.REQUEST_LIMITS = {**limits, "SCALE": 2}
    assert statuses(Client(REMOTE_ADDR=NEIGHBOUR), "/", 11)[-2:] == [200, 429]


def test_a_cache_that_is_down_lets_every_request_through(limits, cache_down):
    assert 429 not in statuses(Client(REMOTE_ADDR=READER), "/health", 1)
    assert 429 not in statuses(Client(REMOTE_ADDR=READER), "/", 8)


def test_a_reader_behind_our_proxy_is_counted_by_their_own_address(limits):
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    behind = {"HTTP_X_FORWARDED_FOR": READER}
    assert statuses(proxy, "/", 5, **behind) == [200] * 5
    assert proxy.get("/", **behind).status_code == 429
    assert proxy.get("/", HTTP_X_FORWARDED_FOR=NEIGHBOUR).status_code == 200
    assert proxy.get("/").status_code == 200  # the proxy's own requests: this machine


def test_every_feed_search_and_download_route_has_its_costly_count(rf):
    """New Atom feeds and OPDS pages fall in the feeds count by their route, downloads and
    exports by their URL name; search is named in request_limits.COSTLY_VIEWS."""
    routes = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                routes.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns)
    feeds = [r for r in routes if r.endswith(".atom") or r.startswith("opds")]
    assert len(feeds) >= 8
    for route in feeds:
        path = "/" + route.replace("<int:", "<").replace("<str:", "<")
        path = "/" + "/".join("1" if p.startswith("<") else p for p in path.strip("/").split("/"))
        expected = "search" if route == "opds/search" else "feeds"
        assert kind_of(rf.get(path)) == expected, route
    assert kind_of(rf.get("/works/search")) == "search"
    assert kind_of(rf.get("/works/1/download/a-title.html")) == "downloads"
    assert kind_of(rf.get("/users/someone/export")) == "downloads"
    assert kind_of(rf.get("/users/someone/delete/everything.zip")) == "downloads"
    assert kind_of(rf.get("/works/1")) == "pages"
    assert kind_of(rf.post("/works/1/kudos")) == "posts"
    assert kind_of(rf.get("/api/v1/works")) == "api"
    assert kind_of(rf.get("/health")) is None


def test_a_work_posted_past_the_post_limit_is_not_made(limits):
    author = make_user("hasty")
    client = Client(REMOTE_ADDR=READER)
    client.force_login(author)
    for _ in range(3):
        client.post("/works/autosave", {"autosave_kind": "new_work", "text": "<p>Draft.</p>"})
    before = Work.objects.count()
    refused = client.post("/works/new", {"title": "Too fast", "text": "<p>Text.</p>"})
    assert refused.status_code == 429
    assert Work.objects.count() == before


def test_checking_while_typing_has_its_own_count_and_never_spends_the_authors_posts(limits):
    author = make_user("typist")
    client = Client(REMOTE_ADDR=READER)
    client.force_login(author)
    check = {"text": "Their going home.", "text_format": "plain"}
    answers = [client.post("/beta_reader/live_check", check).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    saved = client.post("/works/autosave", {"autosave_kind": "new_work", "text": "<p>Draft.</p>"})
    assert saved.status_code in (200, 204)
