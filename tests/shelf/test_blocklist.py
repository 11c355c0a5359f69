"""A reader's blocklist: tags they never want to see (everywhere, or within one fandom), and
the works they have read or gave kudos to, left out of their lists; a notice says how many,
with a link to show them; bad input is a form error, and 10,000 blocked tags still answer."""

import time

import pytest
from django.utils import timezone

from ficshelf.feedback.services.kudos import give_kudos
from ficshelf.shelf import blocklist
from ficshelf.shelf.models import BlockedTag, Reading, ShelfSettings
from ficshelf.tags.models import Tag, TagKind
from ficshelf.tags.services import add_parent, find_or_create_tag, make_canonical, merge_tag
from tests.factories import make_user, make_work, make_wrangler
from tests.works.pages import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def titles(client, url: str, **params) -> list[str]:
    """The works' titles a list of blurbs shows, in order."""
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return [h.select("a")[0].text for h in parse(response.content).select("li.work h4.heading")]


def notice(client, url: str, **params) -> str:
    """The text of the list's "hidden by your filters" notice ('' when there is none)."""
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return " ".join(p.text for p in parse(response.content).select("p.hidden-notice"))


def block(client, tag: str, fandom: str = ""):
    return client.post("/blocklist/tags/add", {"tag": tag, "fandom": fandom})


@pytest.fixture
def works(author):
    return {
        "angst": make_work(author, title="Sad Harbour", freeforms=["Angst"]),
        "fluff": make_work(author, title="Warm Kitchen", freeforms=["Fluff"]),
        "sherlock_angst": make_work(
            author, title="Baker Street Rain", fandoms=["Sherlock"], freeforms=["Angst"]
        ),
    }


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client


def test_a_blocked_tag_leaves_the_readers_lists_only(client, reader, works):
    client.force_login(reader)
    response = block(client, "angst")
    assert response.status_code == 302
    assert titles(client, "/works/") == ["Warm Kitchen"]
    assert BlockedTag.objects.get(user=reader).tag.name == "Angst"
    client.logout()
    assert len(titles(client, "/works/")) == 3


def test_a_tag_blocked_within_one_fandom_stays_in_the_others(reader_client, works):
    assert block(reader_client, "Angst", fandom="sherlock").status_code == 302
    assert set(titles(reader_client, "/works/")) == {"Sad Harbour", "Warm Kitchen"}
    page = reader_client.get("/blocklist").content.decode()
    assert "only in" in page and "Sherlock" in page


def test_blocking_a_synonym_blocks_its_canonical_and_every_subtag(
    reader_client, author, django_capture_on_commit_callbacks
):
    wrangler = make_wrangler()
    make_work(author, title="Tagged Canonical", freeforms=["Hurt/Comfort"])
    make_work(author, title="Tagged Synonym", freeforms=["h/c"])
    make_work(author, title="Tagged Subtag", freeforms=["Whump"])
    make_work(author, title="Elsewhere", freeforms=["Picnic"])
    with django_capture_on_commit_callbacks(execute=True):
        canonical = Tag.objects.named("Hurt/Comfort")
        make_canonical(wrangler=wrangler, tag=canonical)
        merge_tag(wrangler=wrangler, tag=Tag.objects.named("h/c"), into=canonical)
        whump = Tag.objects.named("Whump")
        make_canonical(wrangler=wrangler, tag=whump)
        add_parent(wrangler=wrangler, tag=whump, parent=canonical)
    block(reader_client, "H/C")
    assert titles(reader_client, "/works/") == ["Elsewhere"]
    # Kept as the canonical, which the synonym's works are filed under too.
    assert BlockedTag.objects.get().tag == canonical


def test_an_unknown_tag_or_a_fandom_that_is_not_one_is_a_form_error(reader_client, works):
    response = block(reader_client, "No Such Tag")
    assert response.status_code == 400
    assert "No tag is named “No Such Tag”" in response.content.decode()
    response = block(reader_client, "Angst", fandom="Fluff")
    assert response.status_code == 400
    assert "“Fluff” is not a fandom." in response.content.decode()
    response = block(reader_client, "Sherlock", fandom="Sherlock")
    assert response.status_code == 400
    assert not BlockedTag.objects.exists()


def test_blocking_twice_keeps_one_row_and_unblocking_shows_the_works_again(
    reader_client, reader, works
):
    block(reader_client, "Angst")
    block(reader_client, "angst")
    row = BlockedTag.objects.get(user=reader)
    response = reader_client.post("/blocklist/tags/remove", {"tag": row.tag_id})
    assert response.status_code == 302
    assert not BlockedTag.objects.exists()
    assert len(titles(reader_client, "/works/")) == 3
    # Nonsense is no 500: the page says so.
    assert reader_client.post("/blocklist/tags/remove", {"tag": "x"}).status_code == 302


def test_hiding_what_one_has_read_and_what_one_gave_kudos_to(reader_client, reader, works):
    Reading.objects.create(user=reader, work=works["angst"], viewed_at=timezone.now())
    give_kudos(work=works["fluff"], giver=reader)
    # Marked for later but never opened: not read.
    Reading.objects.create(user=reader, work=works["sherlock_angst"], marked_for_later=True)
    assert len(titles(reader_client, "/works/")) == 3  # nothing hidden until asked
    reader_client.post("/blocklist/hiding", {"hide_read": "on"})
    assert set(titles(reader_client, "/works/")) == {"Warm Kitchen", "Baker Street Rain"}
    reader_client.post("/blocklist/hiding", {"hide_read": "on", "hide_kudosed": "on"})
    assert titles(reader_client, "/works/") == ["Baker Street Rain"]
    settings = ShelfSettings.objects.get(user=reader)
    assert settings.hide_read and settings.hide_kudosed
    page = parse(reader_client.get("/blocklist").content)
    boxes = {box.attrs["name"]: "checked" in box.attrs for box in page.select("input")}
    assert boxes["hide_read"] and boxes["hide_kudosed"]


def test_the_hidden_count_is_bounded_so_a_long_list_costs_no_full_count(
    reader_client, works, monkeypatch
):
    from ficshelf.works import extensions

    monkeypatch.setattr(extensions, "HIDDEN_COUNT_BOUND", 1)
    block(reader_client, "Angst")
    assert "1+ works hidden by your filters." in notice(reader_client, "/works/")


def test_a_list_says_how_many_it_hid_and_shows_them_on_request(reader_client, works):
    block(reader_client, "Angst")
    text = notice(reader_client, "/works/")
    assert "2 works hidden by your filters." in text and "Show them" in text
    assert len(titles(reader_client, "/works/", show_hidden="1")) == 3
    shown = notice(reader_client, "/works/", show_hidden="1")
    assert "Showing 2 works your filters hide." in shown and "Hide them again" in shown
    page = parse(reader_client.get("/works/").content)
    links = [a.attrs["href"] for a in page.select("p.hidden-notice a")]
    assert links == ["?show_hidden=1", "/blocklist"]


def test_a_blocklist_that_hides_everything_explains_instead_of_an_empty_page(reader_client, works):
    block(reader_client, "Angst")
    block(reader_client, "Fluff")
    for url in ("/works/", "/tags/Angst/works", "/"):
        response = reader_client.get(url)
        text = " ".join(p.text for p in parse(response.content).select("p.hidden-notice"))
        assert "Your filters hide all" in text, url
        assert "Show them" in text and "Edit filters" in text
        assert "No works have been posted yet." not in response.content.decode()
    assert "Your filters hide all 3 works here." in notice(reader_client, "/works/")


def test_the_tag_page_offers_block_this_tag(client, reader, works):
    page = parse(client.get("/tags/Angst/works").content)
    # A guest's copy is shared: a link to the blocklist page, no form and no token.
    assert [a.attrs["href"] for a in page.select(".block-tag a")] == ["/blocklist?tag=Angst"]
    form_page = client.get("/blocklist?tag=Angst").content.decode()
    assert 'value="Angst"' in form_page
    client.force_login(reader)
    page = parse(client.get("/tags/Angst/works").content)
    (form,) = page.select("form.block-tag")
    assert form.attrs["method"] == "post"
    client.post(form.attrs["action"], {"tag": "Angst"})
    assert titles(client, "/tags/Angst/works") == []


def test_the_blocklist_page_links_to_muted_creators_and_hidden_works(reader_client, reader):
    page = reader_client.get("/blocklist").content.decode()
    assert f"/users/{reader.username}/muted" in page
    assert f"/users/{reader.username}/hidden_works" in page
    assert "You have not blocked any tags." in page


@pytest.mark.parametrize("url", ["/blocklist/hiding"])
def test_guests_cannot_change_account_only_choices(client, url):
    response = client.post(url, {"hide_read": "on"})
    assert response.status_code == 302 and "/login" in response["Location"]


def test_ten_thousand_blocked_tags_still_answer_quickly(reader_client, reader, works):
    tags = Tag.objects.bulk_create(
        Tag(kind=TagKind.FREEFORM, name=f"Blocked {n}", name_key=f"blocked {n}")
        for n in range(blocklist.BLOCKED_TAGS_MAX - 1)
    )
    BlockedTag.objects.bulk_create(BlockedTag(user=reader, tag=tag) for tag in tags)
    block(reader_client, "Angst")
    assert BlockedTag.objects.filter(user=reader).count() == blocklist.BLOCKED_TAGS_MAX
    started = time.monotonic()
    for url in ("/works/", "/", "/tags/Fluff/works", "/works/search?q=kitchen"):
        assert titles(reader_client, url) == ["Warm Kitchen"], url
    assert "2 works hidden" in notice(reader_client, "/works/")
    assert time.monotonic() - started < 5
    # Over the limit: a clear refusal, on the page.
    response = block(reader_client, "Fluff")
    assert response.status_code == 400
    assert "You can block at most 10,000 tags." in response.content.decode()
    started = time.monotonic()
    page = reader_client.get("/blocklist").content.decode()
    assert "10000 tags blocked; page 1 of 100." in page
    assert time.monotonic() - started < 2


def test_a_fandom_can_be_found_through_a_synonym(reader_client, works):
    fandom = find_or_create_tag(kind=TagKind.FANDOM, name="BBC Sherlock")
    wrangler = make_wrangler()
    make_canonical(wrangler=wrangler, tag=Tag.objects.named("Sherlock"))
    merge_tag(wrangler=wrangler, tag=fandom, into=Tag.objects.named("Sherlock"))
    block(reader_client, "Angst", fandom="BBC Sherlock")
    assert BlockedTag.objects.get().fandom.name == "Sherlock"
    assert "Baker Street Rain" not in titles(reader_client, "/works/")


def test_one_readers_blocklist_is_theirs_alone(client, reader, works):
    other = make_user("other")
    client.force_login(reader)
    block(client, "Angst")
    client.force_login(other)
    assert len(titles(client, "/works/")) == 3
    assert notice(client, "/works/") == ""


def test_a_search_counts_only_the_hidden_works_it_would_have_found(reader_client, works):
    block(reader_client, "Angst")
    # Two works tagged Angst; only one is about a harbour.
    assert titles(reader_client, "/works/search", q="harbour") == []
    assert "Your filters hide all 1 work here." in notice(
        reader_client, "/works/search", q="harbour"
    )
