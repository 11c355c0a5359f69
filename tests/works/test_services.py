"""Every public service of works checks its own permission and keeps its invariants, also
when two people act at once."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from ficshelf.accounts.models import Pseud
from ficshelf.works import services
from ficshelf.works.models import Chapter, CreatorInvitation, Creatorship, Work
from ficshelf.works.services import ChapterContent
from tests.factories import add_co_creator, make_account, make_metadata, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator(db):
    return make_account("creator")


@pytest.fixture
def stranger(db):
    return make_account("stranger")


@pytest.fixture
def work(creator):
    return make_work(creator, title="Mine", chapters=2)


def _content(text="<p>New words here.</p>", **fields) -> ChapterContent:
    return ChapterContent(text=text, **fields)


# --- Permissions: every service refuses someone who is not a creator --------------------------

REFUSALS = {
    "update_work": lambda work, user: services.update_work(
        work=work, editor=user, metadata=make_metadata(title="Taken over")
    ),
    "post_work": lambda work, user: services.post_work(work=work, editor=user),
    "delete_work": lambda work, user: services.delete_work(work=work, editor=user),
    "add_chapter": lambda work, user: services.add_chapter(
        work=work, editor=user, content=_content()
    ),
    "edit_chapter": lambda work, user: services.edit_chapter(
        chapter=work.chapters.first(), editor=user, content=_content()
    ),
    "post_chapter": lambda work, user: services.post_chapter(
        chapter=work.chapters.first(), editor=user
    ),
    "reorder_chapters": lambda work, user: services.reorder_chapters(
        work=work, editor=user, chapter_ids=list(work.chapters.values_list("pk", flat=True))
    ),
    "delete_chapter": lambda work, user: services.delete_chapter(
        chapter=work.chapters.last(), editor=user
    ),
    "set_creators": lambda work, user: services.set_creators(
        work=work, editor=user, pseuds=list(Pseud.objects.filter(user__pk=user.pk))
    ),
    "leave_work": lambda work, user: services.leave_work(work=work, user=user),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_a_service_refuses_anyone_who_is_not_a_creator(name, work, stranger):
    before = (work.title, work.chapters.count(), list(work.creator_pseuds()))
    with pytest.raises(PermissionDenied):
        REFUSALS[name](work, stranger)
    work = Work.objects.get(pk=work.pk)
    assert (work.title, work.chapters.count(), list(work.creator_pseuds())) == before


@pytest.mark.parametrize("name", list(REFUSALS))
def test_a_service_refuses_a_guest(name, work):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        REFUSALS[name](work, AnonymousUser())


def test_an_invited_co_creator_cannot_edit_before_accepting(work, creator, stranger):
    services.set_creators(
        work=work, editor=creator, pseuds=[creator.default_pseud, stranger.default_pseud]
    )
    with pytest.raises(PermissionDenied):
        services.update_work(work=work, editor=stranger, metadata=make_metadata(title="Mine too"))


# --- Co-creators: invitations and leaving -------------------------------------------------


def test_crediting_someone_else_invites_them_instead(work, creator, stranger):
    services.set_creators(
        work=work, editor=creator, pseuds=[creator.default_pseud, stranger.default_pseud]
    )
    assert list(work.creator_pseuds()) == [creator.default_pseud]
    assert CreatorInvitation.objects.filter(work=work, pseud=stranger.default_pseud).exists()
    assert not Work.objects.by_user(stranger).exists()


def test_an_invitation_accepted_credits_the_co_creator(work, creator, stranger):
    add_co_creator(work, by=creator, user=stranger)
    assert set(Work.objects.get(pk=work.pk).creator_pseuds()) == {
        creator.default_pseud,
        stranger.default_pseud,
    }
    assert not CreatorInvitation.objects.exists()


def test_only_the_invited_creator_can_accept(work, creator, stranger):
    services.set_creators(
        work=work, editor=creator, pseuds=[creator.default_pseud, stranger.default_pseud]
    )
    invitation = CreatorInvitation.objects.get()
    with pytest.raises(PermissionDenied):
        services.accept_creator_invitation(invitation=invitation, user=creator)
    with pytest.raises(PermissionDenied):
        services.decline_creator_invitation(invitation=invitation, user=creator)


def test_a_declined_invitation_leaves_no_credit(work, creator, stranger):
    services.set_creators(
        work=work, editor=creator, pseuds=[creator.default_pseud, stranger.default_pseud]
    )
    services.decline_creator_invitation(invitation=CreatorInvitation.objects.get(), user=stranger)
    assert not CreatorInvitation.objects.exists()
    assert list(Work.objects.get(pk=work.pk).creator_pseuds()) == [creator.default_pseud]


def test_a_creator_cannot_remove_an_accepted_co_creator(work, creator, stranger):
    add_co_creator(work, by=creator, user=stranger)
    with pytest.raises(ValidationError, match="can remove themselves"):
        services.set_creators(work=work, editor=creator, pseuds=[creator.default_pseud])
    assert Creatorship.objects.filter(work=work, pseud=stranger.default_pseud).exists()


def test_a_creator_cannot_drop_their_own_last_pseud(work, creator):
    with pytest.raises(ValidationError):
        services.set_creators(work=work, editor=creator, pseuds=[])


def test_a_co_creator_leaves_a_work_and_it_stays_with_the_others(work, creator, stranger):
    add_co_creator(work, by=creator, user=stranger)
    services.leave_work(work=work, user=stranger)
    assert list(Work.objects.get(pk=work.pk).creator_pseuds()) == [creator.default_pseud]


def test_the_last_creator_leaving_orphans_the_work(work, creator):
    services.leave_work(work=work, user=creator)
    work = Work.objects.get(pk=work.pk)
    assert [pseud.user.username for pseud in work.creator_pseuds()] == ["orphan_account"]
    assert not Work.objects.editable_by(creator).exists()


def test_creating_a_work_invites_other_peoples_pseuds(creator, stranger):
    work = services.create_work(
        creators=[creator.default_pseud, stranger.default_pseud],
        metadata=make_metadata(),
        chapter=_content(),
        author=creator,
    )
    assert list(work.creator_pseuds()) == [creator.default_pseud]
    assert CreatorInvitation.objects.filter(work=work, pseud=stranger.default_pseud).exists()


def test_a_work_cannot_be_credited_only_to_someone_else(creator, stranger):
    with pytest.raises(ValidationError):
        services.create_work(
            creators=[stranger.default_pseud],
            metadata=make_metadata(),
            chapter=_content(),
            author=creator,
        )
    assert not Work.objects.exists()


# --- Invariants -----------------------------------------------------------------------------


def test_create_work_reports_metadata_and_text_problems_together(creator):
    with pytest.raises(ValidationError) as refused:
        services.create_work(
            creators=[creator.default_pseud],
            metadata=make_metadata(title="", fandoms=[]),
            chapter=_content(text="   \n\n  "),
        )
    assert {"title", "fandoms", "text"} <= set(refused.value.message_dict)
    assert not Work.objects.exists()


def test_a_chapter_of_only_whitespace_is_refused(work, creator):
    with pytest.raises(ValidationError, match="no text"):
        services.add_chapter(work=work, editor=creator, content=_content(text=" \n\t\n "))
    assert work.chapters.count() == 2


def test_save_and_post_is_one_call(creator):
    draft = make_work(creator, post=False)
    chapter = draft.chapters.get()
    services.edit_chapter(
        chapter=chapter, editor=creator, content=_content("<p>Final words.</p>"), post=True
    )
    draft.refresh_from_db()
    chapter.refresh_from_db()
    assert draft.posted and chapter.posted
    assert "Final words." in chapter.text


def test_update_and_post_a_draft_is_one_call(creator):
    draft = make_work(creator, post=False)
    services.update_work(
        work=draft, editor=creator, metadata=make_metadata(title="Out now"), post=True
    )
    draft.refresh_from_db()
    assert draft.posted and draft.title == "Out now"
    assert draft.chapters.filter(posted=False).count() == 0


def test_a_draft_counts_its_chapters_and_words(creator):
    draft = make_work(creator, post=False, chapters=2)
    assert draft.word_count > 0
    assert Work.objects.with_listing_data().get(pk=draft.pk).chapter_count_display == "2/?"


def test_completing_a_work_records_the_date(work, creator):
    services.update_work(
        work=work, editor=creator, metadata=make_metadata(title="Mine", is_complete=True)
    )
    work.refresh_from_db()
    assert work.is_complete and work.completed_at is not None
    services.update_work(work=work, editor=creator, metadata=make_metadata(title="Mine"))
    work.refresh_from_db()
    assert not work.is_complete and work.completed_at is None


def test_an_edit_from_a_stale_form_is_refused_and_nothing_is_overwritten(work, creator):
    chapter = work.chapters.first()
    loaded_at = chapter.revision
    services.edit_chapter(
        chapter=chapter,
        editor=creator,
        content=_content("<p>Tab one.</p>"),
        base_revision=loaded_at,
    )
    with pytest.raises(ValidationError) as refused:
        services.edit_chapter(
            chapter=chapter,
            editor=creator,
            content=_content("<p>Tab two.</p>"),
            base_revision=loaded_at,
        )
    assert refused.value.code == "conflict"
    assert "Tab one." in Chapter.objects.get(pk=chapter.pk).text


def test_a_metadata_edit_from_a_stale_form_is_refused(work, creator):
    loaded_at = work.revision
    services.update_work(
        work=work, editor=creator, metadata=make_metadata(title="First"), base_revision=loaded_at
    )
    with pytest.raises(ValidationError):
        services.update_work(
            work=work,
            editor=creator,
            metadata=make_metadata(title="Second"),
            base_revision=loaded_at,
        )
    assert Work.objects.get(pk=work.pk).title == "First"


def test_a_chapter_edit_does_not_put_back_an_older_title(work, creator):
    """A co-creator's chapter edit saves only what it changes, even from a stale object."""
    stale = Work.objects.get(pk=work.pk)
    services.update_work(work=work, editor=creator, metadata=make_metadata(title="Renamed"))
    chapter = stale.chapters.first()
    chapter.work = stale  # the object the other co-creator's page loaded, with the old title
    services.edit_chapter(chapter=chapter, editor=creator, content=_content())
    assert Work.objects.get(pk=work.pk).title == "Renamed"


def test_reordering_needs_every_chapter_once(work, creator):
    ids = list(work.chapters.values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        services.reorder_chapters(work=work, editor=creator, chapter_ids=ids[:1])
    services.reorder_chapters(work=work, editor=creator, chapter_ids=ids[::-1])
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == ids[::-1]


# --- Two people at once ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_one_work_lose_nothing():
    """Two co-creators on two connections: one renames the work while the other's chapter edit
    is half-way through its transaction. Both changes survive."""
    from ficshelf.works.signals import chapter_saved

    author = make_account("author")
    partner = make_account("partner")
    work = add_co_creator(make_work(author, title="Before"), by=author, user=partner)
    chapter = work.chapters.get()
    inside_edit, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold(sender, chapter_id, **kwargs):
        if threading.current_thread().name == "chapter-edit":
            inside_edit.set()
            release.wait(10)

    def run(target):
        def body():
            try:
                target()
            except BaseException as error:  # reported by the main thread
                errors.append(error)
            finally:
                connection.close()

        return body

    def edit_chapter():
        services.edit_chapter(
            chapter=Chapter.objects.select_related("work").get(pk=chapter.pk),
            editor=partner,
            content=_content("<p>Three brand new words and more.</p>"),
        )

    def rename():
        services.update_work(
            work=Work.objects.get(pk=work.pk), editor=author, metadata=make_metadata(title="After")
        )

    chapter_saved.connect(hold)
    try:
        editing = threading.Thread(target=run(edit_chapter), name="chapter-edit")
        editing.start()
        assert inside_edit.wait(10)
        renaming = threading.Thread(target=run(rename), name="rename")
        renaming.start()
        renaming.join(0.5)
        # The rename waits for the chapter edit's lock on the work, instead of racing it.
        assert renaming.is_alive()
        release.set()
        editing.join(20)
        renaming.join(20)
    finally:
        release.set()
        chapter_saved.disconnect(hold)
    assert not errors, errors
    work = Work.objects.get(pk=work.pk)
    chapter = Chapter.objects.get(pk=chapter.pk)
    assert work.title == "After"
    assert "Three brand new words" in chapter.text
    assert work.word_count == chapter.word_count == 6
