"""The demo reader's bookmark of the demo work, so `make run` shows a bookmark with a note, the
bookmarker's own tags and a rec, and the count on the work's blurb."""

from ficshelf.accounts.models import User
from ficshelf.feedback.demo import DEMO_MARK, DEMO_READER
from ficshelf.works.models import Work

from .models import Bookmark
from .services import bookmark_work

DEMO_NOTE = "Rereading for the storm scene. Waiting for chapter two!" + DEMO_MARK
DEMO_TAGS = ["to reread", "storms"]


def add_demo_bookmark(work: Work) -> str:
    """Bookmark the demo work once as the demo reader (made with the demo feedback); says what
    was added ("" if nothing)."""
    reader = User.objects.filter(username=DEMO_READER).first()
    if reader is None or Bookmark.objects.filter(user=reader, work=work).exists():
        return ""
    bookmark_work(user=reader, work=work, notes=DEMO_NOTE, tag_names=DEMO_TAGS, rec=True)
    return f"a public rec bookmark by {DEMO_READER}"
