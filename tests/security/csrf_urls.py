"""The URLconf, enumerated, and a small archive whose rows fill each URL's arguments
(tests/security/test_csrf_everywhere.py)."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ficshelf.accounts import signups
from ficshelf.api.tokens import create_token
from ficshelf.bookmarks.services import bookmark_work
from ficshelf.feedback.services.comments import post_comment, report_comment
from ficshelf.inbox import emails
from ficshelf.inbox.models import InboxItem
from ficshelf.inbox.services import settings_of
from ficshelf.news.services import publish_news_post
from ficshelf.series.services import add_work_to_series, create_series
from ficshelf.shelf.searches import save_search
from ficshelf.works.models import CreatorInvitation
from ficshelf.works.services import set_creators
from tests.factories import make_account, make_work

FANDOM = "Csrf Fandom"


@dataclass(frozen=True)
class Url:
    route: str  # the pattern, as written
    name: str  # namespace:name
    params: tuple[str, ...]


def enumerate_urls() -> list[Url]:
    """Every named URL of the URLconf but Django's admin (its own, CSRF-protected app)."""
    found = []

    def walk(patterns, prefix, namespace, params):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith("admin/"):
                    continue
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(
                    pattern.url_patterns,
                    route,
                    ns,
                    params + tuple(pattern.pattern.converters),
                )
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or route)
                found.append(Url(route, name, params + tuple(pattern.pattern.converters)))

    walk(get_resolver().url_patterns, "", "", ())
    return found


def distinct_routes(urls: list[Url]) -> list[Url]:
    """One URL for each route (the API names a route once for each method it answers)."""
    seen, distinct = set(), []
    for url in urls:
        if url.route not in seen:
            seen.add(url.route)
            distinct.append(url)
    return distinct


class SampleArchive:
    """An owner with one of each thing a URL names, and a neighbour who comments on it."""

    def __init__(self):
        self.owner = make_account("owner")
        self.neighbour = make_account("neighbour")
        owner = self.owner
        self.work = make_work(owner, title="Csrf Work", fandoms=[FANDOM], chapters=2)
        self.chapter = self.work.chapters.get(position=1)
        self.restricted = make_work(
            owner, title="Csrf Restricted", fandoms=[FANDOM], restricted=True
        )
        self.comment = post_comment(
            work=self.work, chapter=self.chapter, commenter=owner, text="The owner's comment."
        )
        self.neighbours_comment = post_comment(
            work=self.work, chapter=self.chapter, commenter=self.neighbour, text="A comment."
        )
        self.report = report_comment(
            comment=self.neighbours_comment, reporter=owner, reason="A reason for the report."
        )
        self.bookmark = bookmark_work(user=owner, work=self.work, notes="Notes.")
        self.series = create_series(creator=owner, title="Csrf Series", user=owner)
        add_work_to_series(series=self.series, work=self.work, user=owner)
        self.search = save_search(user=owner, name="Csrf Search", query="Csrf")
        neighbours = make_work(self.neighbour, title="Neighbour's Work", fandoms=[FANDOM])
        set_creators(
            work=neighbours,
            editor=self.neighbour,
            pseuds=[self.neighbour.default_pseud, owner.default_pseud],
        )
        self.invitation = CreatorInvitation.objects.get(work=neighbours, pseud__user=owner)
        self.inbox_settings = settings_of(owner)
        self.api_token, self.api_secret = create_token(user=owner, name="Csrf token")
        self.news_post = publish_news_post(
            author=make_account("csrf_news_admin", is_staff=True), title="News", body="x"
        )

    def settle(self):
        self.item = InboxItem.objects.filter(recipient=self.owner).first()

    def argument(self, url: Url, param: str):
        """The sample for one parameter, by its name (and, for tokens, the URL's)."""
        owner = self.owner
        if param == "token":
            return {
                "accounts:activate": lambda: signups.activation_tokens.make_token(owner),
                "accounts:password_reset_confirm": lambda: default_token_generator.make_token(
                    owner
                ),
                "inbox:feed": lambda: self.inbox_settings.feed_token,
                "inbox:unsubscribe": lambda: emails.unsubscribe_token(owner.pk, "comments"),
            }[url.name]()
        values = {
            "username": lambda: owner.username,
            "pseud": lambda: owner.default_pseud.name,
            "work_id": lambda: self.work.pk,
            "chapter_id": lambda: self.chapter.pk,
            "number": lambda: 1,
            "comment_id": lambda: self.comment.pk,
            "paragraph_id": lambda: 1,
            "report_id": lambda: self.report.pk,
            "bookmark_id": lambda: self.bookmark.pk,
            "series_id": lambda: self.series.pk,
            "search_id": lambda: self.search.pk,
            "item_id": lambda: self.item.pk,
            "invitation_id": lambda: self.invitation.pk,
            "session_id": lambda: owner.account_sessions.values_list("pk", flat=True).first() or 1,
            "tag": lambda: FANDOM,
            "name": lambda: FANDOM,
            "token_id": lambda: self.api_token.pk,
            "news_id": lambda: self.news_post.pk,
            "account_request_id": lambda: 1,
            "uidb64": lambda: urlsafe_base64_encode(force_bytes(owner.pk)),
            "slug": lambda: _download_name(self.work),
            "extension": lambda: "epub",
        }
        if param not in values:
            raise LookupError(f"{url.name}: no sample for the parameter {param!r}; add one")
        return values[param]()

    def path(self, url: Url) -> str:
        kwargs = {param: self.argument(url, param) for param in url.params}
        return reverse(url.name, kwargs=kwargs)


def _download_name(work):
    from ficshelf.downloads.views import download_name

    return download_name(work)


def snapshot(skip: frozenset[str] = frozenset()) -> dict[str, tuple]:
    """Every model's rows (all columns, by primary key): the archive's whole state, small as it
    is. `skip`: model labels left out."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in skip or not model._meta.managed:
            continue
        state[label] = tuple(model._base_manager.order_by("pk").values_list())
    return state


def differences(before: dict, after: dict) -> list[str]:
    changed = []
    for label, rows in after.items():
        old = before.get(label, ())
        if rows != old:
            changed.append(f"{label} ({len(old)} -> {len(rows)} rows)")
    return changed


class Watch:
    """The database watched between requests: `changes()` says what changed since the last
    look (one snapshot a request, not two)."""

    def __init__(self, skip: frozenset[str]):
        self.skip = skip
        self.last = snapshot(skip)

    def changes(self, allowed: frozenset[str] = frozenset()) -> list[str]:
        now = snapshot(self.skip)
        changed = [d for d in differences(self.last, now) if d.split(" ")[0] not in allowed]
        self.last = now
        return changed
