"""Reading works: the work page, chapters, the adult notice and restricted works."""

import pytest

from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def test_a_guest_reads_a_posted_work_with_otwarchive_markup(client):
    work = make_work(title="Quiet Hours", relationships=["Alex/Olivia"], chapters=2)
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h2 class="title heading">Quiet Hours</h2>' in page
    assert 'class="work meta group"' in page
    assert 'dd class="relationship tags"' in page
    assert 'div class="chapter" id="chapter-1"' in page
    assert "Next Chapter" in page
    assert "Chapter 2 text" not in page


def test_the_entire_work_view_shows_every_chapter(client):
    work = make_work(chapters=3)
    page = client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    for number in (1, 2, 3):
        assert f'id="chapter-{number}"' in page
    assert "Chapter 3 text." in page


def test_a_guest_cannot_see_a_draft(client):
    work = make_work(post=False)
    assert client.get(f"/works/{work.pk}").status_code == 404


def test_a_creator_sees_their_own_draft(client):
    author = make_user()
    work = make_work(author, post=False, title="Unfinished")
    client.force_login(author)
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 200
    assert "This work is a draft" in response.content.decode()


def test_a_guest_sees_the_adult_notice_before_a_mature_work(client):
    work = make_work(rating="mature", text="<p>Secret text.</p>")
    response = client.get(f"/works/{work.pk}")
    assert "This work could have adult content" in response.content.decode()
    assert "Secret text." not in response.content.decode()
    response = client.get(f"/works/{work.pk}?view_adult=true")
    assert "Secret text." in response.content.decode()
    # Once per session: the next page needs no second confirmation.
    assert "Secret text." in client.get(f"/works/{work.pk}").content.decode()


def test_a_guest_is_asked_to_log_in_before_a_restricted_work(client):
    work = make_work(restricted=True, text="<p>Members only.</p>")
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 403
    assert "Members only." not in response.content.decode()
    assert "Log in" in response.content.decode()
    client.force_login(make_user())
    assert "Members only." in client.get(f"/works/{work.pk}").content.decode()
