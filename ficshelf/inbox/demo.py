"""The demo reader follows the demo work and its author, so that posting chapter 2 of the seed's
story on the demo fills their inbox and sends them an email (to the console or var/mail/)."""

from django.contrib.auth import get_user_model

from ficshelf.feedback.demo import DEMO_READER
from ficshelf.works.models import Work

from .services import subscribe_to_creator, subscribe_to_work


def add_demo_subscriptions(work: Work) -> str:
    """Subscribe the demo reader (made by feedback's demo) to `work` and to its first
    creator's account; says what was done ("" when there is no demo reader, or it was done)."""
    reader = get_user_model().objects.filter(username=DEMO_READER).first()
    if reader is None:
        return ""
    author = work.creator_pseuds()[0].user
    done = []
    if not reader.subscriptions.filter(work=work).exists():
        subscribe_to_work(user=reader, work=work)
        done.append(f"“{work.title}”")
    if author.pk != reader.pk and not reader.subscriptions.filter(creator=author).exists():
        subscribe_to_creator(user=reader, creator=author)
        done.append(author.username)
    return f"{DEMO_READER} subscribed to {' and '.join(done)}" if done else ""
