"""Making, editing and deleting bookmarks, and the work's count of public bookmarks."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ficshelf.accounts.models import Pseud
from ficshelf.bookmarks.models import Bookmark
from ficshelf.bookmarks.services import (
    NOTES_MAX,
    TAGS_MAX,
    AlreadyBookmarked,
    bookmark_work,
    delete_bookmark,
    edit_bookmark,
)
from ficshelf.tags.models import Tag, TagKind
from ficshelf.works.models import Work
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def _count(work) -> int:
    return Work.objects.values_list("bookmarks_count", flat=True).get(pk=work.pk)


def _version(work) -> int:
    return Work.objects.values_list("content_version", flat=True).get(pk=work.pk)


def test_a_public_bookmark_counts_on_the_work_and_moves_its_version(author, reader):
    work = make_work(author)
    before = _version(work)
    bookmark = bookmark_work(user=reader, work=work, notes="<p>Lovely</p>", tag_names=["fluff"])
    assert bookmark.pseud == reader.default_pseud
    assert not bookmark.private and not bookmark.rec
    assert _count(work) == 1
    assert _version(work) > before


def test_a_private_bookmark_is_not_counted(author, reader):
    work = make_work(author)
    before = _version(work)
    bookmark_work(user=reader, work=work, private=True)
    assert _count(work) == 0
    assert _version(work) == before  # nothing a guest sees changed


def test_going_private_and_public_again_moves_the_count(author, reader):
    work = make_work(author)
    bookmark = bookmark_work(user=reader, work=work)
    edit_bookmark(user=reader, bookmark=bookmark, private=True)
    assert _count(work) == 0
    edit_bookmark(user=reader, bookmark=bookmark, private=False)
    assert _count(work) == 1
    edit_bookmark(user=reader, bookmark=bookmark, notes="<p>Still good</p>", rec=True)
    assert _count(work) == 1
    bookmark.refresh_from_db()
    assert bookmark.rec and bookmark.notes == "<p>Still good</p>"


def test_deleting_a_bookmark_moves_the_count_down(author, reader):
    work = make_work(author)
    bookmark = bookmark_work(user=reader, work=work)
    delete_bookmark(user=reader, bookmark=bookmark)
    assert _count(work) == 0
    assert not Bookmark.objects.exists()


def test_deleting_a_private_bookmark_leaves_the_count(author, reader):
    work = make_work(author)
    bookmark_work(user=author, work=work)
    bookmark = bookmark_work(user=reader, work=work, private=True)
    delete_bookmark(user=reader, bookmark=bookmark)
    assert _count(work) == 1


def test_a_draft_cannot_be_bookmarked_even_by_its_creator(author, reader):
    draft = make_work(author, post=False)
    for user in (author, reader):
        with pytest.raises(ValidationError) as refusal:
            bookmark_work(user=user, work=draft)
        assert refusal.value.error_dict["__all__"][0].code == "unreachable"
    assert not Bookmark.objects.exists()


def test_a_guest_cannot_bookmark(author):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        bookmark_work(user=AnonymousUser(), work=make_work(author))


def test_a_restricted_work_is_bookmarked_by_a_logged_in_reader(author, reader):
    work = make_work(author, restricted=True)
    bookmark_work(user=reader, work=work)
    assert _count(work) == 1


def test_a_second_bookmark_of_the_same_work_is_refused_offering_the_first(author, reader):
    work = make_work(author)
    first = bookmark_work(user=reader, work=work)
    with pytest.raises(AlreadyBookmarked) as refusal:
        bookmark_work(user=reader, work=work, notes="again")
    assert refusal.value.bookmark == first
    assert _count(work) == 1


def test_a_pseud_of_someone_else_is_refused(author, reader):
    work = make_work(author)
    with pytest.raises(ValidationError) as refusal:
        bookmark_work(user=reader, work=work, pseud=author.default_pseud)
    assert "pseud" in refusal.value.error_dict


def test_a_bookmark_under_another_of_ones_pseuds(author, reader):
    other = Pseud.objects.create(user=reader, name="Second Name")
    bookmark = bookmark_work(user=reader, work=make_work(author), pseud=other)
    assert bookmark.pseud == other


def test_over_long_notes_and_too_many_tags_are_refused(author, reader):
    work = make_work(author)
    with pytest.raises(ValidationError) as refusal:
        bookmark_work(
            user=reader,
            work=work,
            notes="x" * (NOTES_MAX + 1),
            tag_names=[f"tag {n}" for n in range(TAGS_MAX + 1)],
        )
    assert set(refusal.value.error_dict) == {"notes", "tags"}
    assert not Bookmark.objects.exists()
    assert not Tag.objects.filter(name="tag 1").exists()


def test_notes_are_sanitized(author, reader):
    bookmark = bookmark_work(
        user=reader, work=make_work(author), notes='<p onclick="x()">Hi<script>bad()</script></p>'
    )
    bookmark.refresh_from_db()
    assert "script" not in bookmark.notes and "onclick" not in bookmark.notes
    assert "Hi" in bookmark.notes


def test_bookmarkers_tags_are_found_or_made_as_additional_tags(author, reader):
    work = make_work(author, characters=["Olivia Benson"])
    bookmark = bookmark_work(
        user=reader, work=work, tag_names=["olivia benson", "Slow Burn", "slow burn"]
    )
    names = {(tag.name, tag.kind) for tag in bookmark.tags.all()}
    # An existing tag (any kind) is reused; a new name becomes an additional tag.
    assert names == {("Olivia Benson", TagKind.CHARACTER), ("Slow Burn", TagKind.FREEFORM)}
    edit_bookmark(user=reader, bookmark=bookmark, tag_names=["Angst"])
    assert [tag.name for tag in bookmark.tags.all()] == ["Angst"]


def test_only_the_owner_edits_or_deletes(author, reader):
    bookmark = bookmark_work(user=reader, work=make_work(author))
    other = make_user("someone")
    with pytest.raises(PermissionDenied):
        edit_bookmark(user=other, bookmark=bookmark, notes="mine now")
    with pytest.raises(PermissionDenied):
        delete_bookmark(user=other, bookmark=bookmark)
    assert Bookmark.objects.filter(pk=bookmark.pk).exists()
