"""robots.txt: works, tags and creators may be indexed; searches, forms, downloads and feeds
may not; crawlers gathering text for AI are turned away unless the archive allows them."""

from urllib.robotparser import RobotFileParser

import pytest

pytestmark = pytest.mark.django_db


def rules(client) -> RobotFileParser:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    parser = RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser


@pytest.mark.parametrize("agent", ["GPTBot", "ClaudeBot", "CCBot", "Google-Extended"])
def test_ai_crawlers_may_read_nothing(client, agent):
    parser = rules(client)
    assert not parser.can_fetch(agent, "/works/1")
    assert not parser.can_fetch(agent, "/")


def test_search_engines_may_read_works_but_not_searches_forms_or_downloads(client):
    parser = rules(client)
    assert parser.can_fetch("Googlebot", "/works/1")
    assert parser.can_fetch("Googlebot", "/tags/Angst/works")
    assert parser.can_fetch("Googlebot", "/users/someone")
    for path in ("/works/search?q=storm", "/users/login", "/signup", "/opds/new"):
        assert not parser.can_fetch("Googlebot", path), path


def test_an_archive_can_let_ai_crawlers_in(client, settings):
    settings.FICSHELF_AI_CRAWLERS_ALLOWED = True
    assert rules(client).can_fetch("GPTBot", "/works/1")
