"""The archive the access matrix reads (tests/security/test_access_matrix.py): one of each kind
of object, each actor, and how a cell's HTTP answer is read as an outcome."""

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ficshelf.api.tokens import create_token
from ficshelf.bookmarks.services import bookmark_work
from ficshelf.feedback.services.blocking import block_user
from ficshelf.feedback.services.comments import post_comment
from ficshelf.inbox.models import InboxItem
from ficshelf.moderation.services import hide_work
from ficshelf.series.services import add_work_to_series, create_series
from ficshelf.shelf.searches import save_search
from ficshelf.works.services import leave_work
from tests.factories import add_co_creator, make_account, make_work, make_wrangler

ACTORS = ("guest", "other", "blocked", "creator", "cocreator", "wrangler", "admin")
FANDOM = "Access Matrix Fandom"

# Each work's title has a word of its own, searched for; its freeform is a tag of its own,
# looked for among the search page's facets.
WORDS = {
    "draft": "Quokka",
    "posted": "Narwhal",
    "restricted": "Pangolin",
    "orphaned": "Axolotl",
    "hidden": "Dugong",
}


class Archive:
    """One archive with every kind of object and every actor, built through the services."""

    def __init__(self):
        cache.clear()
        self.clients = {}
        self.actors = {
            "guest": None,
            "other": make_account("other"),
            "blocked": make_account("blocked"),
            "creator": make_account("creator"),
            "cocreator": make_account("cocreator"),
            "wrangler": make_wrangler(),
            "admin": make_account("admin", is_staff=True, is_superuser=True),
        }
        creator = self.actors["creator"]
        other = self.actors["other"]
        block_user(blocker=creator, blocked=self.actors["blocked"])

        def work(kind, *, co=True, **meta):
            word = WORDS[kind]
            made = make_work(
                creator,
                title=f"{kind.title()} {word}",
                text=f"<p>The text of the {word} work.</p>",
                fandoms=[FANDOM],
                freeforms=[f"Freeform {word}"],
                **meta,
            )
            return add_co_creator(made, by=creator, user=self.actors["cocreator"]) if co else made

        self.works = {
            "draft": work("draft", post=False),
            "posted": work("posted"),
            "restricted": work("restricted", restricted=True),
            "orphaned": work("orphaned", co=False),
            "hidden": work("hidden"),
        }
        self.series = create_series(creator=creator, title="Matrix Series", user=creator)
        for kind in ("posted", "restricted", "draft", "orphaned", "hidden"):
            add_work_to_series(series=self.series, work=self.works[kind], user=creator)
        # The creator orphans the work: it stays up, credited to orphan_account.
        leave_work(work=self.works["orphaned"], user=creator)

        posted, restricted, hidden = (self.works[k] for k in ("posted", "restricted", "hidden"))
        self.comments = {
            "comment on posted": post_comment(
                work=posted,
                chapter=posted.chapters.get(position=1),
                commenter=other,
                text="A comment about a Wombat.",
            ),
            "comment on restricted": post_comment(
                work=restricted,
                chapter=restricted.chapters.get(position=1),
                commenter=other,
                text="A comment about an Okapi.",
            ),
            # Made while the work could still be read; an admin hides the work below.
            "comment on hidden": post_comment(
                work=hidden,
                chapter=hidden.chapters.get(position=1),
                commenter=other,
                text="A comment about a Manatee.",
            ),
        }
        hide_work(work=hidden, admin=self.actors["admin"], reason="Hidden for the matrix.")
        self.works["hidden"].refresh_from_db()
        self.private_bookmark = bookmark_work(
            user=other, work=posted, notes="My private note on a Gecko.", private=True
        )
        self.saved_search = save_search(user=creator, name="Search Lemur", query="Narwhal")
        # Each account's API token (the API reads no session: the token is the caller).
        self.api_tokens = {
            name: create_token(user=user, name="Matrix")[1]
            for name, user in self.actors.items()
            if user is not None
        }

    def settle(self):
        """What waits for the commit has run (in the fixture): the creator's inbox items."""
        self.inbox_item = InboxItem.objects.filter(recipient=self.actors["creator"]).first()

    def api_client(self, actor: str) -> Client:
        """The actor's API client: their bearer token, no session."""
        token = self.api_tokens.get(actor)
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}") if token else Client()

    def client(self, actor: str) -> Client:
        """The actor's browser, logged in once a test (`forget_clients` after each: the
        session rows a test wrote are rolled back with it)."""
        if actor not in self.clients:
            client = Client()
            if self.actors[actor] is not None:
                client.force_login(self.actors[actor])
            self.clients[actor] = client
        return self.clients[actor]

    def forget_clients(self):
        self.clients = {}


def outcome(response, secret: str | None) -> str:
    """One HTTP answer as a cell's outcome: "shown" (200, with the secret when there is one),
    "absent" (200 without it), "404", "login" (sent to log in, or a 403 asking to), "403",
    "302" (sent elsewhere), or the status code."""
    status = response.status_code
    if status == 302:
        return "login" if response["Location"].startswith(reverse("accounts:login")) else "302"
    if status in (404, 405, 400, 410):
        return str(status)
    body = _body(response)
    if status == 403:
        guest = not response.wsgi_request.user.is_authenticated
        asks = guest and "log in" in body.lower() and (not secret or secret not in body)
        return "login" if asks else "403"
    if status != 200:
        return str(status)
    if secret is None:
        return "shown"
    return "shown" if secret in body else "absent"


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content[:2] == b"PK":  # an EPUB: its pages, unzipped
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return "".join(book.read(n).decode(errors="replace") for n in book.namelist())
    return content.decode(errors="replace")
