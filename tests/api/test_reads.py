"""Reading through the API: every endpoint, and the same reading policy as the pages."""

import pytest

from ficshelf.series.services import add_work_to_series, create_series
from tests.api.conftest import api_get, ids
from tests.factories import make_user, make_work


@pytest.fixture
def works(author):
    return {
        "posted": make_work(author, title="Posted", relationships=["A/B"], freeforms=["Fluff"]),
        "draft": make_work(author, title="Draft", post=False),
        "restricted": make_work(author, title="Members only", restricted=True),
        "adult": make_work(author, title="Adult", rating="explicit", chapters=2),
    }


def test_a_guest_lists_posted_public_works_newest_first(client, works):
    found = ids(api_get(client, "/works"))
    assert found == [works["adult"].pk, works["posted"].pk]


def test_a_draft_or_restricted_work_never_appears_for_a_guest(client, works):
    for work in ("draft", "restricted"):
        assert api_get(client, f"/works/{works[work].pk}").status_code == 404
        assert api_get(client, f"/works/{works[work].pk}/chapters").status_code == 404
    assert works["draft"].pk not in ids(api_get(client, "/users/author/works"))
    assert works["restricted"].pk not in ids(api_get(client, "/users/author/works"))


def test_the_creator_sees_their_draft_with_a_token(client, works, author_token):
    response = api_get(client, f"/works/{works['draft'].pk}", author_token)
    assert response.status_code == 200
    assert response.json()["draft"] is True
    assert response.json()["revision"] == works["draft"].revision
    assert works["draft"].pk in ids(api_get(client, "/users/author/works", author_token))
    # A draft is never a search result, even for its creator (as on the search page).
    assert works["draft"].pk not in ids(api_get(client, "/works", author_token))


def test_another_users_token_does_not_see_a_draft(client, works, reader_token):
    assert api_get(client, f"/works/{works['draft'].pk}", reader_token).status_code == 404
    assert works["draft"].pk not in ids(api_get(client, "/users/author/works", reader_token))
    # A logged-in reader does see the restricted work, as on the site; no revision for them.
    response = api_get(client, f"/works/{works['restricted'].pk}", reader_token)
    assert response.status_code == 200 and response.json()["revision"] is None
    assert works["restricted"].pk in ids(api_get(client, "/works", reader_token))


def test_a_session_cookie_does_not_count_as_a_login(client, works, author):
    client.force_login(author)
    assert api_get(client, f"/works/{works['draft'].pk}").status_code == 404


def test_work_metadata(client, works):
    work = api_get(client, f"/works/{works['posted'].pk}").json()
    assert work["title"] == "Posted"
    assert work["creators"] == [
        {"pseud": "author", "user": "author", "url": "http://testserver/users/author/pseuds/author"}
    ]
    assert work["relationships"] == ["A/B"] and work["freeforms"] == ["Fluff"]
    assert work["warnings"] == ["No Archive Warnings Apply"]
    assert work["chapters"] == "1/?" and work["rating"] == "teen"
    assert work["url"] == f"http://testserver/works/{works['posted'].pk}"
    assert work["revision"] is None  # not the caller's work


def test_chapters_and_chapter_text(client, works):
    work = works["posted"]
    listed = api_get(client, f"/works/{work.pk}/chapters").json()
    assert [c["position"] for c in listed] == [1] and "text" not in listed[0]
    one = api_get(client, f"/works/{work.pk}/chapters/{listed[0]['id']}").json()
    assert "The first chapter" in one["text"] and one["text"].startswith("<p")
    assert api_get(client, f"/works/{work.pk}/chapters/999999").status_code == 404


def test_a_guest_needs_view_adult_for_an_adult_works_text(client, works, reader_token):
    adult = works["adult"]
    assert api_get(client, f"/works/{adult.pk}").status_code == 200  # metadata, as listed
    chapter_id = adult.chapters.order_by("position").first().pk
    path = f"/works/{adult.pk}/chapters/{chapter_id}"
    refused = api_get(client, path)
    assert refused.status_code == 403 and "view_adult=true" in refused.json()["detail"]
    assert api_get(client, path, view_adult="true").status_code == 200
    assert api_get(client, path, reader_token).status_code == 200  # logged in: as the site
    assert len(api_get(client, f"/works/{adult.pk}/chapters", view_adult="true").json()) == 2


def test_a_draft_chapter_of_a_posted_work_is_for_its_creators(client, works, author, author_token):
    from ficshelf.works.services import ChapterContent, add_chapter

    chapter = add_chapter(
        work=works["posted"], editor=author, content=ChapterContent(text="<p>Soon.</p>"), post=False
    )
    path = f"/works/{works['posted'].pk}/chapters/{chapter.pk}"
    assert api_get(client, path).status_code == 404
    assert api_get(client, path, author_token).status_code == 200
    assert len(api_get(client, f"/works/{works['posted'].pk}/chapters").json()) == 1
    assert len(api_get(client, f"/works/{works['posted'].pk}/chapters", author_token).json()) == 2


def test_tags(client, works):
    tag = api_get(client, "/tags/A*s*B").json()
    assert tag["name"] == "A/B" and tag["kind"] == "relationship"
    assert tag["works_api_url"] == "http://testserver/api/v1/tags/A*s*B/works"
    assert ids(api_get(client, "/tags/A*s*B/works")) == [works["posted"].pk]
    assert api_get(client, "/tags/No such tag").status_code == 404
    assert api_get(client, "/tags/bad%00name").status_code == 404


def test_users(client, works):
    user = api_get(client, "/users/AUTHOR").json()
    assert user["username"] == "author"
    assert [p["name"] for p in user["pseuds"]] == ["author"] and user["pseuds"][0]["default"]
    assert api_get(client, "/users/nobody").status_code == 404
    assert ids(api_get(client, "/users/author/works")) == [works["adult"].pk, works["posted"].pk]


def _series(author, title, *works):
    series = create_series(creator=author, title=title, user=author)
    for work in works:
        add_work_to_series(series=series, work=work, user=author)
    return series


def test_series_shows_only_the_works_the_caller_may_see(client, works, author, reader_token):
    series = _series(author, "Saga", works["posted"], works["restricted"])
    found = api_get(client, f"/series/{series.pk}").json()
    assert [w["id"] for w in found["works"]] == [works["posted"].pk]
    found = api_get(client, f"/series/{series.pk}", reader_token).json()
    assert [w["id"] for w in found["works"]] == [works["posted"].pk, works["restricted"].pk]
    work = api_get(client, f"/works/{works['posted'].pk}").json()
    assert work["series"][0]["id"] == series.pk and work["series"][0]["part"] == 1
    hidden = _series(author, "Secret", works["restricted"])
    assert api_get(client, f"/series/{hidden.pk}").status_code == 404


def test_unknown_ids_and_wrong_types_are_404_or_400(client, db):
    make_user("someone")
    assert api_get(client, "/works/12345").status_code == 404
    assert api_get(client, "/works/abc").status_code == 400
    assert api_get(client, "/works/99999999999999999999").status_code == 400
    assert api_get(client, "/series/0").status_code == 400
    assert api_get(client, "/works", limit="many").status_code == 400
    assert api_get(client, "/works", limit=101).status_code == 400


def test_the_openapi_document_is_served_and_no_cdn_docs_page(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/works", "/api/v1/works/{work_id}", "/api/v1/series/{series_id}"} <= set(
        document["paths"]
    )
    assert set(document["paths"]["/api/v1/works"]) == {"get", "post"}
    assert client.get("/api/v1/docs").status_code == 404


def test_a_page_of_works_costs_the_same_queries_for_more_works(
    client, author, django_assert_max_num_queries
):
    make_work(author, freeforms=["Fluff"])
    with django_assert_max_num_queries(12) as few:
        api_get(client, "/works")
    for _ in range(4):
        make_work(author, freeforms=["Fluff", "Angst"], relationships=["A/B"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(ids(api_get(client, "/works"))) == 5
