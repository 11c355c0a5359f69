"""Filtering a list of bookmarks by the work's tags, the bookmarker's tags, recs, notes and
words, and sorting it."""

import pytest
from django.urls import reverse

from ficshelf.bookmarks.services import bookmark_work
from tests.bookmarks.helpers import make_series
from tests.factories import make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(author, reader):
    """Three bookmarks by `reader`: of works tagged differently, with their own tags."""
    fluffy = make_work(author, title="Fluffy Work", freeforms=["Fluff"])
    angsty = make_work(author, title="Angsty Work", freeforms=["Angst"])
    plain = make_work(author, title="Plain Work", fandoms=["Star Trek"])
    bookmark_work(user=reader, work=fluffy, tag_names=["comfort"], rec=True, notes="warm")
    bookmark_work(user=reader, work=angsty, tag_names=["cry"])
    bookmark_work(user=reader, work=plain, notes="<p>space!</p>")
    return reader


def _titles(client, user, query: str) -> set[str]:
    url = reverse("bookmarks:user_bookmarks", kwargs={"username": user.username})
    page = client.get(f"{url}?{query}").content.decode()
    return {t for t in ("Fluffy Work", "Angsty Work", "Plain Work") if t in page}


def test_including_a_work_tag(client, shelf):
    assert _titles(client, shelf, "include=Fluff") == {"Fluffy Work"}
    # Through FilterTagging: a fandom works as well as an additional tag, ignoring case.
    assert _titles(client, shelf, "include=star+trek") == {"Plain Work"}


def test_excluding_a_work_tag(client, shelf):
    assert _titles(client, shelf, "exclude=Fluff") == {"Angsty Work", "Plain Work"}
    assert _titles(client, shelf, "exclude=Fluff,Angst") == {"Plain Work"}


def test_by_the_bookmarkers_tags(client, shelf):
    assert _titles(client, shelf, "bookmarker_include=comfort") == {"Fluffy Work"}
    assert _titles(client, shelf, "bookmarker_exclude=cry") == {"Fluffy Work", "Plain Work"}


def test_recs_only_and_with_notes(client, shelf):
    assert _titles(client, shelf, "rec=on") == {"Fluffy Work"}
    assert _titles(client, shelf, "with_notes=on") == {"Fluffy Work", "Plain Work"}


def test_words_in_the_notes_or_the_title(client, shelf):
    assert _titles(client, shelf, "q=space") == {"Plain Work"}
    assert _titles(client, shelf, "q=angsty") == {"Angsty Work"}


def test_an_unknown_tag_is_a_form_error_not_a_500(client, shelf):
    url = reverse("bookmarks:user_bookmarks", kwargs={"username": shelf.username})
    response = client.get(f"{url}?include=No+Such+Tag")
    assert response.status_code == 200
    assert "No tag is named “No Such Tag”" in response.content.decode()
    response = client.get(f"{url}?include=Fluff&exclude=Fluff")
    assert "cannot be both included and excluded" in response.content.decode()


def test_sorting_by_date_bookmarked_and_by_date_updated(client, author, reader):
    from django.utils import timezone

    from ficshelf.works.models import Work

    older = make_work(author, title="Older Update")
    newer = make_work(author, title="Newer Update")
    bookmark_work(user=reader, work=newer)
    bookmark_work(user=reader, work=older)  # bookmarked last
    Work.objects.filter(pk=newer.pk).update(revised_at=timezone.now() + timezone.timedelta(days=1))
    url = reverse("bookmarks:user_bookmarks", kwargs={"username": reader.username})
    by_bookmarked = client.get(url).content.decode()
    assert by_bookmarked.index("Older Update") < by_bookmarked.index("Newer Update")
    by_updated = client.get(url + "?sort=updated").content.decode()
    assert by_updated.index("Newer Update") < by_updated.index("Older Update")


def test_a_series_bookmark_matches_the_tags_of_its_works(client, author, reader):
    from ficshelf.bookmarks.services import bookmark_series

    tagged = make_work(author, title="Part One", freeforms=["Time Travel"])
    series = make_series(author, [tagged], title="The Saga")
    bookmark_series(user=reader, series=series)
    bookmark_work(user=reader, work=make_work(author, title="Elsewhere"))
    url = reverse("bookmarks:user_bookmarks", kwargs={"username": reader.username})
    included = client.get(url + "?include=Time+Travel").content.decode()
    assert "The Saga" in included and "Elsewhere" not in included
    excluded = client.get(url + "?exclude=Time+Travel").content.decode()
    assert "The Saga" not in excluded and "Elsewhere" in excluded


def test_a_works_bookmarks_filter_by_bookmarker_tag(client, author, reader):
    from tests.factories import make_user

    work = make_work(author)
    bookmark_work(user=reader, work=work, tag_names=["favourite"], notes="the readers note")
    bookmark_work(user=make_user("fan"), work=work, notes="the fans note")
    url = reverse("bookmarks:work_bookmarks", kwargs={"work_id": work.pk})
    page = client.get(url + "?bookmarker_include=Favourite").content.decode()
    assert "the readers note" in page and "the fans note" not in page
