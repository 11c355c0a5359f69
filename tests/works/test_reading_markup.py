"""What a rendered reading page is made from: the work read for it by one written query is the
work the ORM reads for lists, field for field, with the chapter count lists show."""

import pytest
from django.test import Client

from ficshelf.works.models import Work
from ficshelf.works.services import ChapterContent, add_chapter
from ficshelf.works.views.reading import _read_shown_work
from tests.factories import make_user, make_work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _fields(work: Work) -> dict:
    values = {f.attname: getattr(work, f.attname) for f in Work._meta.concrete_fields}
    return {**values, "posted_chapter_count": work.posted_chapter_count}


@pytest.mark.parametrize("post", [True, False])
def test_the_shown_work_is_the_listed_work_with_its_chapter_count(post):
    """A posted work counts its posted chapters (not a draft one); a draft counts them all."""
    writer = make_user("writer")
    work = make_work(writer, chapters=2, post=post, summary="<p>A ferry &amp; a letter.</p>")
    add_chapter(work=work, editor=writer, content=ChapterContent(text="<p>Later.</p>"), post=False)
    listed = Work.objects.with_listing_data().get(pk=work.pk)
    shown = _read_shown_work(work.pk)
    assert _fields(shown) == _fields(listed)
    assert shown.posted_chapter_count == (2 if post else 3)
    assert shown.chapter_count_display == listed.chapter_count_display
    assert _read_shown_work(work.pk + 1000) is None


def test_a_guest_sees_the_chapter_count_of_posted_chapters():
    writer = make_user("writer")
    work = make_work(writer, chapters=2)
    add_chapter(work=work, editor=writer, content=ChapterContent(text="<p>Later.</p>"), post=False)
    first = work.chapters.order_by("position").first()
    page = Client().get(f"/works/{work.pk}/chapters/{first.pk}")
    assert page.status_code == 200
    count = Work.objects.with_listing_data().get(pk=work.pk).chapter_count_display
    assert count.startswith("2/")
    assert f'<dd class="chapters">{count}</dd>' in page.content.decode()
