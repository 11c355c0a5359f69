"""Saved searches: a search page's query string with a name, run again from the reader's list
or read as an Atom feed.

A saved query is parsed by the search form each time it runs, so a search saved before a tag
was renamed or removed no longer parses: it is shown as needing an edit (and its feed says
so in one entry), never an error page. A feed is fetched without logging in: its address
carries a token made from the account's secret (an HMAC of the search, the account and its
password hash), so changing one's password, or deleting the search, ends every old address.
Like every public feed it carries no work restricted to logged-in readers (Way.FEED), and the
reader's own blocklist applies (their stored one: a feed has no cookie).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.crypto import constant_time_compare, salted_hmac

from ficshelf.search.forms import WorkSearchForm
from ficshelf.search.results import find_works
from ficshelf.works.models import Work
from ficshelf.works.reading import Way, is_reader

from .models import SavedSearch

SAVED_SEARCHES_MAX = 100
FEED_ENTRIES = 25
QUERY_MAX = 10_000
# What a search page's address holds that is not part of the search itself.
_NOT_SEARCH = {"page", "show_hidden"}


def clean_query(query: str) -> str:
    """The query string without the page number and the like, its fields in the form's order."""
    params = QueryDict(query.lstrip("?"), mutable=True)
    kept = QueryDict(mutable=True)
    for name in WorkSearchForm.base_fields:
        if name in _NOT_SEARCH:
            continue
        values = [value for value in params.getlist(name) if value.strip()]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


@dataclass
class Parsed:
    form: WorkSearchForm

    @property
    def needs_edit(self) -> bool:
        return not self.form.is_valid()

    @property
    def problems(self) -> list[str]:
        return [message for errors in self.form.errors.values() for message in errors]


def parse(search: SavedSearch) -> Parsed:
    return Parsed(WorkSearchForm(QueryDict(search.query)))


def _name_taken(user, name: str, *, other_than=None) -> bool:
    taken = SavedSearch.objects.filter(user=user, name__iexact=name)
    if other_than is not None:
        taken = taken.exclude(pk=other_than.pk)
    return taken.exists()


def save_search(*, user, name: str, query: str) -> SavedSearch:
    """Keep the search `query` under `name`, unique (ignoring case) among `user`'s."""
    if not is_reader(user):
        raise ValidationError("Log in to save a search.", code="guest")
    query = clean_query(query)
    if len(query) > QUERY_MAX:
        raise ValidationError("This search is too long to save.", code="too_long")
    with transaction.atomic():
        # The account's row, locked: its searches are counted under it.
        get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)
        if _name_taken(user, name):
            raise ValidationError(
                f"You already have a search named “{name}”: choose another name.",
                code="name_taken",
            )
        if SavedSearch.objects.filter(user=user).count() >= SAVED_SEARCHES_MAX:
            raise ValidationError(
                f"You can save at most {SAVED_SEARCHES_MAX} searches. Delete one first.",
                code="limit",
            )
        try:
            with transaction.atomic():
                return SavedSearch.objects.create(user=user, name=name, query=query)
        except IntegrityError:
            raise ValidationError(
                f"You already have a search named “{name}”: choose another name.",
                code="name_taken",
            ) from None


def rename_search(*, user, search: SavedSearch, name: str) -> SavedSearch:
    if search.user_id != user.pk:
        raise ValidationError("There is no such saved search.", code="not_yours")
    if _name_taken(user, name, other_than=search):
        raise ValidationError(
            f"You already have a search named “{name}”: choose another name.",
            code="name_taken",
        )
    with transaction.atomic():
        search.name = name
        try:
            with transaction.atomic():
                search.save(update_fields=["name"])
        except IntegrityError:
            raise ValidationError(
                f"You already have a search named “{name}”: choose another name.",
                code="name_taken",
            ) from None
    return search


def delete_search(*, user, search: SavedSearch) -> None:
    if search.user_id != user.pk:
        raise ValidationError("There is no such saved search.", code="not_yours")
    search.delete()


# --- Its feed ----------------------------------------------------------------------------------


def feed_token(search: SavedSearch) -> str:
    user = search.user
    return salted_hmac(
        "ficshelf.shelf.saved_search_feed", f"{search.pk}:{user.pk}:{user.password}"
    ).hexdigest()[:32]


def check_feed_token(search: SavedSearch, token: str) -> bool:
    return bool(token) and constant_time_compare(feed_token(search), token)


def feed_works(search: SavedSearch) -> list:
    """The newest works the saved search finds for its owner, as a feed may show them; empty
    when the search no longer parses."""
    parsed = parse(search)
    if parsed.needs_edit:
        return []
    criteria = {**parsed.form.cleaned_data, "sort": "updated"}
    works = find_works(search.user, criteria, request=None).filter(
        pk__in=Work.objects.visible_to(search.user, Way.FEED).values("pk")
    )
    return list(works.with_listing_data()[:FEED_ENTRIES])
