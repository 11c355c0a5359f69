"""Demo readers' feedback on the demo work, so `make run` shows what answering back looks like:
kudos on the work and its first chapter, inline comments on passages of the seed chapter, and a
threaded comment with the author's reply. Every comment says it is demo data, and the accounts
are named for it."""

import secrets

from django.db import transaction

from ficshelf.accounts.models import User
from ficshelf.accounts.services import sign_up
from ficshelf.userstuff.paragraphs import paragraphs_of
from ficshelf.works.models import Work

from .anchors import Anchor
from .models import Comment
from .services.comments import post_comment
from .services.kudos import give_kudos

DEMO_READER = "demo_reader"
DEMO_MARK = "\n\n(Demo data, made by make run.)"
# Passages of the founding story that a reader would question, with what they would say; for
# another seed story, the first paragraphs get a general remark instead.
INLINE_REMARKS = [
    ("said and dead", "“Said and done”, surely? This one made me laugh at a tense moment."),
    ("highly populate area", "I think this wants “a highly populated area”."),
]
GENERAL_REMARK = "This line pulled me straight in."


def _reader() -> User:
    user = User.objects.filter(username=DEMO_READER).first()
    if user is None:
        # Nobody logs in as the demo reader: the password is thrown away.
        user = sign_up(
            username=DEMO_READER, email="demo_reader@example.org", password=secrets.token_urlsafe()
        )
    return user


def _inline_anchors(chapter) -> list[tuple[Anchor, str]]:
    paragraphs = [p for p in paragraphs_of(chapter.text) if p.id and p.text.strip()]
    anchors = []
    for quote, remark in INLINE_REMARKS:
        for paragraph in paragraphs:
            start = paragraph.text.find(quote)
            if start >= 0:
                anchor = Anchor(int(paragraph.id), quote, start, start + len(quote))
                anchors.append((anchor, remark))
                break
    if not anchors and paragraphs:
        first = paragraphs[0]
        quote = " ".join(first.text.split()[:6])
        anchors.append((Anchor(int(first.id), quote, 0, len(quote)), GENERAL_REMARK))
    return anchors


@transaction.atomic
def add_demo_feedback(work: Work) -> str:
    """Add the demo feedback once; says what was added ("" when it was there already)."""
    reader = _reader()
    if Comment.objects.filter(work=work, user=reader).exists():
        return ""
    chapter = work.chapters.order_by("position").first()
    author = work.creator_pseuds()[0].user
    give_kudos(work=work, giver=reader)
    if chapter is not None:
        give_kudos(work=work, chapter=chapter, giver=reader)
    comments = 0
    if chapter is not None:
        review = post_comment(
            work=work,
            chapter=chapter,
            commenter=reader,
            text="Please continue! Olivia on that roof had me holding my breath, and I want to "
            "know what Cabot does with the case." + DEMO_MARK,
        )
        post_comment(
            work=work,
            chapter=chapter,
            commenter=author,
            parent=review,
            text="Thank you! That is exactly what I hoped to hear: chapter two is on its way."
            + DEMO_MARK,
        )
        post_comment(
            work=work,
            chapter=chapter,
            commenter=reader,
            is_critique=True,
            text="Some concrit, since you asked: watch “then” and “than” (“more then "
            "necessary”), and a few sentences run on. The pacing of the chase is great."
            + DEMO_MARK,
        )
        comments = 3
        if work.inline_comments:
            for anchor, remark in _inline_anchors(chapter):
                post_comment(
                    work=work,
                    chapter=chapter,
                    commenter=reader,
                    anchor=anchor,
                    is_critique=True,
                    text=remark + DEMO_MARK,
                )
                comments += 1
    return f"{comments} comments and 2 kudos by {DEMO_READER}, with a reply by {author.username}"
