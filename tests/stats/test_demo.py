"""The demo readers fill the demo work's dashboard once, marked as demo data."""

import pytest

from ficshelf.accounts.models import User
from ficshelf.stats import figures
from ficshelf.stats.demo import DEMO_ACCOUNTS, DEMO_GUESTS, DEMO_NOTE, add_demo_readers
from ficshelf.stats.models import Hit
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def test_the_demo_readers_fill_the_dashboard_once():
    work = make_work(make_user("demo"), chapters=2)
    assert add_demo_readers(work)
    data = figures.work_figures(work)
    assert data.chapters[0].readers == DEMO_GUESTS + DEMO_ACCOUNTS
    assert 0 < data.chapters[1].reached < data.chapters[0].reached
    assert Hit.objects.filter(is_guest=True).exclude(reader__startswith="gdemo").count() == 0
    demo = User.objects.filter(username__startswith="demo_reader_")
    assert demo.count() == DEMO_ACCOUNTS
    assert all(user.default_pseud.description == DEMO_NOTE for user in demo)
    assert add_demo_readers(work) == ""
    assert figures.work_figures(work).hits == data.hits
