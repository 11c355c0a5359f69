"""Posting a work through the /works/new form, drafts, form errors, shared tags, co-creators."""

import pytest

from ficshelf.tags.models import Tag, TagKind
from ficshelf.userstuff.paragraphs import strip_paragraph_ids
from ficshelf.works.models import Chapter, CreatorInvitation, Work
from tests.factories import make_user, make_work
from tests.works.pages import parse

pytestmark = pytest.mark.django_db


def _post_new(client, data):
    return client.post("/works/new", data)


def _only_work() -> Work:
    return Work.objects.get()


def _tag_names(work: Work, kind: str) -> list[str]:
    return [tag.name for tag in work.tags_of_kind(kind)]


# --- Posting --------------------------------------------------------------------------------


def test_a_guest_is_asked_to_log_in_before_posting(client):
    response = client.get("/works/new")
    assert response.status_code == 302
    assert "/users/login" in response["Location"]


def test_a_writer_posts_a_work_with_all_its_metadata(author_client, author, work_form):
    response = _post_new(
        author_client,
        work_form(
            title="Quiet Hours",
            rating="mature",
            warnings=["Graphic Depictions Of Violence", "Major Character Death"],
            categories=["F/M", "Gen"],
            fandoms="Law & Order: Special Victims Unit, Law & Order",
            relationships="Alex Cabot/Olivia Benson, Olivia Benson & Elliot Stabler",
            characters="Olivia Benson, Alex Cabot",
            freeforms="Angst, Hurt/Comfort",
            language="de",
            summary="A <em>long</em> night.",
            notes="Thanks to my beta.",
            end_notes="Comments welcome.",
            expected_chapters="3",
            chapter_title="The Call",
            restricted="on",
            text="<p>It was a quiet night at the precinct.</p>",
        ),
    )
    work = _only_work()
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}"
    assert work.title == "Quiet Hours"
    assert work.rating == "mature"
    assert work.language == "de"
    assert work.summary == "<p>A <em>long</em> night.</p>"
    assert work.notes == "<p>Thanks to my beta.</p>"
    assert work.end_notes == "<p>Comments welcome.</p>"
    assert work.restricted is True
    assert work.posted is True
    assert work.published_at is not None
    assert work.is_complete is False
    assert work.expected_chapters == 3
    assert work.creator_pseuds() == [author.default_pseud]
    assert _tag_names(work, TagKind.WARNING) == [
        "Graphic Depictions Of Violence",
        "Major Character Death",
    ]
    assert _tag_names(work, TagKind.CATEGORY) == ["F/M", "Gen"]
    assert _tag_names(work, TagKind.FANDOM) == [
        "Law & Order: Special Victims Unit",
        "Law & Order",
    ]
    assert _tag_names(work, TagKind.RELATIONSHIP) == [
        "Alex Cabot/Olivia Benson",
        "Olivia Benson & Elliot Stabler",
    ]
    assert _tag_names(work, TagKind.CHARACTER) == ["Olivia Benson", "Alex Cabot"]
    assert _tag_names(work, TagKind.FREEFORM) == ["Angst", "Hurt/Comfort"]
    chapter = work.chapters.get()
    assert chapter.title == "The Call"
    assert chapter.posted is True
    assert strip_paragraph_ids(chapter.text) == "<p>It was a quiet night at the precinct.</p>"

    page = parse(author_client.get(f"/works/{work.pk}").content)
    assert page.one("dd.rating.tags").text == "Mature"
    assert page.one("dd.language").text == "German"
    assert page.one("dd.chapters").text == "1/3"
    assert "Work was successfully posted." in page.text


def test_a_slash_relationship_is_romantic_and_an_ampersand_one_is_platonic(
    author_client, work_form
):
    _post_new(author_client, work_form(relationships="Alex/Olivia, Olivia & Elliot"))
    work = _only_work()
    romantic, platonic = work.relationships
    assert (romantic.name, romantic.is_platonic) == ("Alex/Olivia", False)
    assert (platonic.name, platonic.is_platonic) == ("Olivia & Elliot", True)
    links = parse(author_client.get(f"/works/{work.pk}").content).select(
        "dd.relationship.tags a.tag"
    )
    assert [(a.text, "platonic" in a.classes) for a in links] == [
        ("Alex/Olivia", False),
        ("Olivia & Elliot", True),
    ]


def test_a_work_without_an_expected_chapter_count_shows_a_question_mark(author_client, work_form):
    _post_new(author_client, work_form(expected_chapters=""))
    work = _only_work()
    assert work.expected_chapters is None
    assert work.chapter_count_display == "1/?"
    page = parse(author_client.get(f"/works/{work.pk}").content)
    assert page.one("dd.chapters").text == "1/?"


def test_a_work_marked_complete_shows_its_chapters_as_all_there(author_client, work_form):
    _post_new(author_client, work_form(is_complete="on"))
    work = _only_work()
    assert work.is_complete is True
    assert work.chapter_count_display == "1/1"
    page = parse(author_client.get("/works/").content)
    assert page.one("li.iswip").text == "Complete Work"


def test_a_one_of_three_work_is_a_work_in_progress(author_client, work_form):
    _post_new(author_client, work_form(expected_chapters="3"))
    assert _only_work().is_complete is False
    page = parse(author_client.get("/works/").content)
    assert page.one("li.iswip").text == "Work in Progress"
    assert page.one("dd.chapters").text == "1/3"


def test_a_restricted_work_is_kept_from_guests(client, author, work_form):
    client.force_login(author)
    _post_new(client, work_form(restricted="on", text="<p>Members only.</p>"))
    work = _only_work()
    client.logout()
    assert client.get(f"/works/{work.pk}").status_code == 403
    assert "Quiet Hours" not in client.get("/works/").content.decode()


def test_plain_text_is_turned_into_paragraphs(author_client, work_form):
    _post_new(author_client, work_form(text_format="plain", text="One.\n\nTwo <b>bold</b>."))
    assert (
        strip_paragraph_ids(_only_work().chapters.get().text)
        == "<p>One.</p>\n<p>Two &lt;b&gt;bold&lt;/b&gt;.</p>"
    )


def test_blank_lines_in_notes_make_paragraphs(author_client, work_form):
    _post_new(
        author_client,
        work_form(notes="Thanks to my beta.\r\n\r\nEnjoy!\r\nReally.", summary="<p>Set.</p>"),
    )
    work = _only_work()
    assert work.notes == "<p>Thanks to my beta.</p>\n<p>Enjoy!<br>\nReally.</p>"
    # Markup that already has paragraphs is kept as it is.
    assert work.summary == "<p>Set.</p>"
    notes = parse(author_client.get(f"/works/{work.pk}").content).one(
        "div.notes.module blockquote.userstuff"
    )
    assert [p.text for p in notes.select("p")] == ["Thanks to my beta.", "Enjoy! Really."]


def test_the_work_text_is_sanitized_when_posted(author_client, work_form):
    _post_new(
        author_client,
        work_form(text='<p onclick="steal()">Hi<script>alert(1)</script></p>'),
    )
    text = _only_work().chapters.get().text
    assert strip_paragraph_ids(text) == "<p>Hi</p>"


# --- Drafts ---------------------------------------------------------------------------------


def test_a_writer_saves_a_draft_that_only_they_can_see(client, author, work_form):
    client.force_login(author)
    data = work_form()
    del data["post"]
    response = _post_new(client, {**data, "save_draft": "Save as draft"})
    work = _only_work()
    assert response.status_code == 302
    assert work.posted is False
    assert work.published_at is None
    assert work.chapters.get().posted is False
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "Draft saved. Only you can see it." in page
    assert "This work is a draft" in page
    client.logout()
    assert client.get(f"/works/{work.pk}").status_code == 404
    client.force_login(make_user())
    assert client.get(f"/works/{work.pk}").status_code == 404


def test_a_writer_posts_their_draft(client, author, work_form):
    client.force_login(author)
    data = work_form(text="<p>Five words in this draft.</p>")
    del data["post"]
    _post_new(client, {**data, "save_draft": "Save as draft"})
    work = _only_work()

    response = client.post(f"/works/{work.pk}/post")
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.posted is True
    assert work.published_at is not None
    assert work.revised_at is not None
    assert work.word_count == 5
    assert work.chapters.get().posted is True
    client.logout()
    assert client.get(f"/works/{work.pk}").status_code == 200


def test_a_draft_is_posted_from_its_edit_form(author_client, author, work_form):
    work = make_work(author, post=False, title="Unfinished")
    data = work_form(title="Finished")
    for name in ("chapter_title", "text_format", "text"):
        del data[name]
    response = author_client.post(f"/works/{work.pk}/edit", data)
    assert response.status_code == 302
    work.refresh_from_db()
    assert (work.title, work.posted) == ("Finished", True)


def test_posting_a_draft_is_refused_to_other_users(client, author):
    work = make_work(author, post=False)
    client.force_login(make_user())
    assert client.post(f"/works/{work.pk}/post").status_code == 404
    work.refresh_from_db()
    assert work.posted is False


# --- Form errors ----------------------------------------------------------------------------


def _assert_refused(client, data, field: str, message: str) -> None:
    """The form comes back with `message` on `field` and nothing was written."""
    counts = (Work.objects.count(), Chapter.objects.count(), Tag.objects.count())
    response = _post_new(client, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert any(message in error for error in form.errors[field]), form.errors[field]
    assert message in response.content.decode()
    assert (Work.objects.count(), Chapter.objects.count(), Tag.objects.count()) == counts


def test_a_work_needs_a_fandom(author_client, work_form):
    _assert_refused(author_client, work_form(fandoms=""), "fandoms", "Please add a fandom.")


def test_a_fandom_field_of_only_commas_is_no_fandom(author_client, work_form):
    _assert_refused(
        author_client, work_form(fandoms=" , ,"), "fandoms", "Please add at least one fandom."
    )


def test_a_work_needs_an_archive_warning(author_client, work_form):
    _assert_refused(
        author_client,
        work_form(warnings=None),
        "warnings",
        "Please choose at least one archive warning.",
    )


def test_a_title_is_at_most_255_characters(author_client, work_form):
    _assert_refused(author_client, work_form(title="t" * 256), "title", "at most 255 characters")


def test_a_title_of_255_characters_is_accepted(author_client, work_form):
    _post_new(author_client, work_form(title="t" * 255))
    assert len(_only_work().title) == 255


def test_a_summary_is_at_most_1250_characters(author_client, work_form):
    _assert_refused(
        author_client, work_form(summary="s" * 1251), "summary", "at most 1,250 characters"
    )


def test_notes_are_at_most_5000_characters(author_client, work_form):
    _assert_refused(author_client, work_form(notes="n" * 5001), "notes", "at most 5,000 characters")
    _assert_refused(
        author_client, work_form(end_notes="n" * 5001), "end_notes", "at most 5,000 characters"
    )


def test_a_work_has_at_most_75_additional_tags(author_client, work_form):
    tags = ", ".join(f"Tag {number}" for number in range(76))
    _assert_refused(
        author_client, work_form(freeforms=tags), "freeforms", "at most 75 additional tags"
    )


def test_75_additional_tags_are_accepted(author_client, work_form):
    tags = ", ".join(f"Tag {number}" for number in range(75))
    _post_new(author_client, work_form(freeforms=tags))
    assert len(_only_work().freeforms) == 75


def test_a_chapter_text_is_at_most_510000_characters(author_client, work_form):
    _assert_refused(
        author_client,
        work_form(text="a" * 510_001),
        "text",
        "the most a chapter can hold is 510,000",
    )


def test_a_work_needs_some_text(author_client, work_form):
    _assert_refused(author_client, work_form(text=""), "text", "This field is required.")
    _assert_refused(author_client, work_form(text="<p> </p><script>x</script>"), "text", "no text")


def test_a_tag_with_a_forbidden_character_is_refused(author_client, work_form):
    _assert_refused(
        author_client, work_form(characters="Olivia <Benson>"), "characters", "cannot contain"
    )


def test_an_unknown_co_creator_is_refused(author_client, work_form):
    _assert_refused(
        author_client, work_form(co_creators="nobody_here"), "co_creators", "nobody_here"
    )


def test_a_pseud_of_another_user_cannot_be_chosen_as_ones_own(author_client, work_form):
    other = make_user("someone")
    _assert_refused(
        author_client,
        work_form(pseuds=[other.default_pseud.pk]),
        "pseuds",
        "Select a valid choice",
    )


# --- Shared tags ----------------------------------------------------------------------------


def test_works_share_one_row_per_tag_whatever_its_case(author_client, work_form):
    _post_new(author_client, work_form(title="One", relationships="Alex/Olivia"))
    _post_new(
        author_client,
        work_form(
            title="Two",
            fandoms="law & order: special victims unit",
            relationships="alex / olivia",
        ),
    )
    one, two = Work.objects.order_by("pk")
    assert one.fandoms[0].pk == two.fandoms[0].pk
    assert one.relationships[0].pk == two.relationships[0].pk
    # The first spelling is the one kept.
    assert two.relationships[0].name == "Alex/Olivia"
    assert Tag.objects.filter(kind=TagKind.RELATIONSHIP).count() == 1


def test_a_name_used_as_two_kinds_is_two_tags(author_client, work_form):
    _post_new(author_client, work_form(characters="Sherlock", freeforms="Sherlock"))
    work = _only_work()
    assert work.characters[0].pk != work.freeforms[0].pk


def test_a_tag_typed_twice_is_kept_once(author_client, work_form):
    _post_new(author_client, work_form(freeforms="Angst, angst, Angst "))
    assert _tag_names(_only_work(), TagKind.FREEFORM) == ["Angst"]


# --- Co-creators ----------------------------------------------------------------------------


def _accept_invitation(client, user):
    """`user` opens their co-creator requests and accepts the one there."""
    client.force_login(user)
    page = client.get(f"/users/{user.username}/creatorships")
    assert page.status_code == 200
    invitation = CreatorInvitation.objects.get(pseud__user=user)
    response = client.post(
        f"/users/{user.username}/creatorships/{invitation.pk}", {"accept": "Accept"}
    )
    assert response.status_code == 302


def test_a_co_creator_added_by_user_name_is_invited_then_credited_and_can_edit(
    client, author, work_form
):
    partner = make_user("partner")
    client.force_login(author)
    _post_new(client, work_form(co_creators="partner"))
    work = _only_work()
    # Nobody is credited without consent: the partner is invited first.
    assert work.creator_pseuds() == [author.default_pseud]
    client.force_login(partner)
    assert client.get(f"/works/{work.pk}/edit").status_code == 404
    assert "Co-creator requests (1)" in client.get("/users/partner").content.decode()

    _accept_invitation(client, partner)
    assert work.creator_pseuds() == [author.default_pseud, partner.default_pseud]
    byline = parse(client.get(f"/works/{work.pk}").content).one("h3.byline.heading")
    assert [a.text for a in byline.select("a")] == ["author", "partner"]

    assert client.get(f"/works/{work.pk}/edit").status_code == 200
    data = work_form(title="Written Together", pseuds=[partner.default_pseud.pk])
    data["co_creators"] = "author"
    response = client.post(f"/works/{work.pk}/edit", data)
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "Written Together"
    assert set(work.creator_pseuds()) == {author.default_pseud, partner.default_pseud}
    assert client.get(f"/works/{work.pk}/chapters/new").status_code == 200


def test_an_invited_creator_can_decline(client, author, work_form):
    partner = make_user("partner")
    client.force_login(author)
    _post_new(client, work_form(co_creators="partner"))
    client.force_login(partner)
    invitation = CreatorInvitation.objects.get()
    client.post(f"/users/partner/creatorships/{invitation.pk}", {"decline": "Decline"})
    assert not CreatorInvitation.objects.exists()
    assert _only_work().creator_pseuds() == [author.default_pseud]


def test_someone_elses_co_creator_requests_are_private(client, author, work_form):
    make_user("partner")
    client.force_login(author)
    _post_new(client, work_form(co_creators="partner"))
    assert client.get("/users/partner/creatorships").status_code == 403


def test_a_co_creator_removes_themselves_from_a_work(client, author, work_form):
    partner = make_user("partner")
    client.force_login(author)
    _post_new(client, work_form(co_creators="partner"))
    _accept_invitation(client, partner)
    work = _only_work()
    assert "Remove me as creator" in client.get(f"/works/{work.pk}").content.decode()
    assert client.post(f"/works/{work.pk}/remove_me").status_code == 302
    assert work.creator_pseuds() == [author.default_pseud]


def test_a_co_creator_can_be_named_by_another_of_their_pseuds(client, author, work_form):
    from ficshelf.accounts.services import add_pseud

    partner = make_user("partner")
    pen_name = add_pseud(user=partner, name="Pen Name")
    client.force_login(author)
    _post_new(client, work_form(co_creators="Pen Name (partner)"))
    _accept_invitation(client, partner)
    assert pen_name in _only_work().creator_pseuds()


@pytest.mark.parametrize(
    "url",
    [
        "/works/{id}/edit",
        "/works/{id}/confirm_delete",
        "/works/{id}/chapters/new",
        "/works/{id}/chapters/manage",
        "/works/{id}/chapters/{chapter}/edit",
        "/works/{id}/chapters/{chapter}/delete",
    ],
)
def test_a_reader_who_is_not_a_creator_gets_404_on_creator_pages(client, author, url):
    work = make_work(author)
    chapter = work.chapters.get()
    client.force_login(make_user())
    url = url.format(id=work.pk, chapter=chapter.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Hijacked", "text": "<p>Mine now.</p>"}).status_code == 404
    work.refresh_from_db()
    assert work.title == "A Work"
    assert work.chapters.count() == 1
    assert strip_paragraph_ids(work.chapters.get().text) == "<p>The first chapter's text.</p>"


def test_a_guest_is_sent_to_log_in_from_the_edit_page(client, author):
    work = make_work(author)
    response = client.get(f"/works/{work.pk}/edit")
    assert response.status_code == 302
    assert "/users/login" in response["Location"]


def test_posting_an_already_posted_work_leaves_its_draft_chapters_alone(db):
    from ficshelf.works.services import ChapterContent, add_chapter, post_work
    from tests.factories import make_user, make_work

    author = make_user()
    work = make_work(author)
    draft = add_chapter(
        work=work, editor=author, content=ChapterContent(text="<p>Later.</p>"), post=False
    )
    post_work(work=work, editor=author)
    draft.refresh_from_db()
    assert not draft.posted
