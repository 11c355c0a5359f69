"""Text no database can store: a NUL character is refused by the services themselves, with
the form fields' own words, on both databases (PostgreSQL would otherwise fail the insert)."""

import pytest
from django.core.exceptions import ValidationError

from ficshelf.works.models import Work
from ficshelf.works.services import ChapterContent, add_chapter
from tests.factories import make_user, make_work

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_title_or_tag_is_refused_before_anything_is_stored():
    author = make_user(username="nul_writer")
    with pytest.raises(ValidationError) as refused:
        make_work(author, title="Nul\x00Title", freeforms=["Fine", "Bad\x00Tag"])
    assert set(refused.value.message_dict) >= {"title", "freeforms"}
    assert "Null characters are not allowed." in refused.value.message_dict["title"]
    assert not Work.objects.exists()


def test_a_nul_in_chapter_text_is_refused():
    author = make_user(username="nul_chapter")
    work = make_work(author)
    with pytest.raises(ValidationError) as refused:
        add_chapter(work=work, editor=author, content=ChapterContent(text="<p>a\x00b</p>"))
    assert "text" in refused.value.message_dict
    assert work.chapters.count() == 1
