"""Bookmarking a series: the button on the series page, the form, and who may."""

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from ficshelf.bookmarks.models import Bookmark
from ficshelf.bookmarks.services import AlreadyBookmarked, bookmark_series
from ficshelf.series.extensions import series_sections
from tests.bookmarks.helpers import make_series
from tests.factories import make_work

pytestmark = pytest.mark.django_db


def _section_html(request, series) -> str:
    from django.template.loader import render_to_string

    return "".join(
        render_to_string(section.template, {"section": section}, request=request)
        for section in series_sections(request, series)
    )


def test_the_series_page_offers_a_bookmark_button(author, reader):
    from django.contrib.auth.models import AnonymousUser

    series = make_series(author, [make_work(author)])
    request = RequestFactory().get("/series/1")
    request.user = reader
    new_url = reverse("bookmarks:new_series_bookmark", kwargs={"series_id": series.pk})
    assert f'href="{new_url}">Bookmark series<' in _section_html(request, series)
    bookmark = bookmark_series(user=reader, series=series)
    edit_url = reverse("bookmarks:edit", kwargs={"bookmark_id": bookmark.pk})
    assert edit_url in _section_html(request, series)
    request.user = AnonymousUser()
    assert "Log in to bookmark this series" in _section_html(request, series)


def test_a_reader_bookmarks_a_series_through_the_form(client, author, reader):
    series = make_series(author, [make_work(author)], title="Long Saga")
    client.force_login(reader)
    url = reverse("bookmarks:new_series_bookmark", kwargs={"series_id": series.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"pseud": str(reader.default_pseud.pk), "notes": "all of it", "tags": "epic"}
    )
    bookmark = Bookmark.objects.get()
    assert response.status_code == 302
    assert bookmark.series == series and bookmark.work is None
    page = client.get(reverse("bookmarks:user_bookmarks", kwargs={"username": reader.username}))
    assert "Long Saga" in page.content.decode() and "all of it" in page.content.decode()


def test_a_series_of_restricted_works_is_not_bookmarked_or_listed_for_guests(
    client, author, reader
):
    series = make_series(author, [make_work(author, restricted=True)], title="Members Saga")
    bookmark = bookmark_series(user=reader, series=series)
    assert client.get(bookmark.get_absolute_url()).status_code == 404
    page = client.get(reverse("bookmarks:user_bookmarks", kwargs={"username": reader.username}))
    assert "Members Saga" not in page.content.decode()
    url = reverse("bookmarks:new_series_bookmark", kwargs={"series_id": series.pk})
    client.force_login(reader)
    assert client.get(bookmark.get_absolute_url()).status_code == 200
    assert client.get(url).status_code == 302  # already bookmarked: to the edit form


def test_a_series_of_drafts_only_cannot_be_bookmarked(author, reader):
    series = make_series(author, [make_work(author, post=False)])
    with pytest.raises(ValidationError) as refusal:
        bookmark_series(user=reader, series=series)
    assert refusal.value.error_dict["__all__"][0].code == "unreachable"


def test_a_series_is_bookmarked_once(author, reader):
    series = make_series(author, [make_work(author)])
    first = bookmark_series(user=reader, series=series)
    with pytest.raises(AlreadyBookmarked) as refusal:
        bookmark_series(user=reader, series=series)
    assert refusal.value.bookmark == first
