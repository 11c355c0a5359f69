"""A work's hits count: recounted from its hits each time they are written, shown in its
stats block (FanFicFare reads `dd.hits`), and a search order."""

import pytest

from ficshelf.stats import services
from ficshelf.works.models import Work
from tests.factories import make_user, make_work
from tests.search.conftest import found
from tests.works.pages import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def read(client, work, *, ip: str):
    response = client.get(f"/works/{work.pk}", headers={"user-agent": BROWSER}, REMOTE_ADDR=ip)
    assert response.status_code == 200
    return response


def test_hits_are_counted_on_the_work_once_per_reader_and_shown_in_its_stats(client):
    work = make_work(title="Read often")
    for ip in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.1"):
        read(client, work, ip=ip)
    services.flush_hits()
    services.flush_hits()  # a second flush of the same minutes changes nothing
    work.refresh_from_db()
    assert work.hits_count == 3
    # A page made now shows it (a guest's cached copy keeps its count until the work changes).
    client.force_login(make_user("hits_reader"))
    page = parse(client.get(f"/works/{work.pk}").content)
    assert page.one("dd.hits").text == "3"


def test_search_sorts_by_hits(client):
    quiet, busy = make_work(title="Quiet"), make_work(title="Busy")
    for ip in ("198.51.100.1", "198.51.100.2"):
        read(client, busy, ip=ip)
    read(client, quiet, ip="198.51.100.3")
    services.flush_hits()
    assert found(client, sort="hits") == ["Busy", "Quiet"]
    assert list(Work.objects.order_by("-hits_count").values_list("hits_count", flat=True)) == [
        2,
        1,
    ]
