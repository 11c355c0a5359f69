"""Listings and search at scale: AO3-style queries against the bare "newest works" page, in
the same run, on whichever database DATABASE_URL names (a generated archive).

    DATABASE_URL=sqlite:////tmp/scale/scale1m.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/scale/scale1m.sqlite3 nice -n 10 \\
        .venv/bin/python manage.py generate_archive --works 1000000
    DATABASE_URL=sqlite:////tmp/scale/scale1m.sqlite3 .venv/bin/python benchmarks/listing.py --write

Each query is a GET through Django's test client, by a guest who carries a reading-settings
cookie (so the page is made for them, never taken from the page cache) or, with `--viewer
reader`, by a logged-in reader; with the local-memory cache. For every
request it records the database time (the sum of the queries' wall times, through
`connection.execute_wrapper`) and the whole request's time. The queries run in turn, round
after round, so that each meets the same machine; two warm-up rounds are not counted.

A search keeps what it found (first results and facet counts) in the shared cache under the
listings version (search.views). Each search therefore runs twice per round: "cold", right
after the listings version was moved on (as any post or edit does: nothing kept applies; the
tag sizes that steer the plan stay cached, as they do between posts), and "warm", the same
URL again at once (what was kept is used). Reported:
p50 and p99 of both, and each query's p99 over the bare page's p99 (the target is at most 5×;
and the bare page itself in single-digit milliseconds of database time at any depth).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ficshelf.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from benchmarks.readme import replace_section  # noqa: E402
from ficshelf.accounts.models import User  # noqa: E402
from ficshelf.archive.synthetic import BROAD_TAG, PHRASE  # noqa: E402
from ficshelf.tags.models import Tag, TagKind, tag_to_param  # noqa: E402
from ficshelf.works import keyset, versions  # noqa: E402
from ficshelf.works.models import FilterTagging, Work  # noqa: E402

TARGET_RATIO = 5.0
TARGET_BARE_MS = 10.0
DEEP_PAGE = 1_000


class DatabaseTimer:
    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def _top(kind: str, among, exclude=(), count: int = 1) -> list[Tag]:
    rows = (
        FilterTagging.objects.filter(work__in=among, tag__kind=kind, tag__merger__isnull=True)
        .exclude(tag__in=exclude)
        .values("tag")
        .annotate(n=Count("work"))
        .order_by("-n")[:count]
    )
    return [Tag.objects.get(pk=row["tag"]) for row in rows]


def deep_cursor(works, page: int) -> tuple[str, int]:
    """The cursor a reader following "Next" holds on `page` (the key of the last work before
    it), made in one query instead of `page` requests; a smaller archive gets its last page."""
    page = min(page, works.count() // keyset.PER_PAGE)
    order = keyset.NEWEST_UPDATED
    pk, key = (
        works.annotate(_key=order.key)
        .order_by(*order.order_by())
        .values_list("pk", "_key")[(page - 1) * keyset.PER_PAGE - 1]
    )
    return keyset._cursor(order, key, pk, page), page


def queries() -> dict[str, str]:
    """Name -> URL of each query in the run, the bare page first."""
    listed = Work.objects.filter(posted=True, restricted=False, hidden_by_admin=False)
    fandom = (
        FilterTagging.objects.filter(tag__kind=TagKind.FANDOM, tag__parents__isnull=False)
        .values("tag")
        .annotate(n=Count("work"))
        .order_by("-n")
        .first()
    )
    fandom = Tag.objects.get(pk=fandom["tag"])
    # A sample of the fandom's works picks the tags its readers would filter by.
    sample = FilterTagging.objects.filter(tag=fandom).values("work")[:2_000]
    character = _top(TagKind.CHARACTER, sample)[0]
    relationship = _top(TagKind.RELATIONSHIP, sample)[0]
    broad = Tag.objects.get(name=BROAD_TAG)
    freeform = _top(TagKind.FREEFORM, sample, exclude=[broad])[0]
    excluded = _top(TagKind.FREEFORM, sample, exclude=[broad, freeform], count=2)
    broad_path = f"/tags/{tag_to_param(broad.name)}/works"
    broad_works = listed.filter(pk__in=FilterTagging.objects.filter(tag=broad).values("work"))
    ao3 = {
        "include": ", ".join(t.name for t in (fandom, character, relationship, freeform)),
        "exclude": ", ".join(t.name for t in excluded),
        "rating": "teen",
        "status": "complete",
        "sort": "updated",
    }
    deep, deep_page = deep_cursor(listed, DEEP_PAGE)
    broad_deep, broad_page = deep_cursor(broad_works, DEEP_PAGE)
    return {
        "bare newest works, page 1": "/works/",
        f"bare newest works, page {deep_page:,} (cursor)": "/works/?" + urlencode({"after": deep}),
        "bare newest works, page 50 (numbered)": "/works/?page=50",
        "fandom + 3 tags − 2 tags, rating, complete, 7 facets": "/works/search?" + urlencode(ao3),
        f"broadest tag alone ({BROAD_TAG}), tag page": broad_path,
        f"broadest tag alone ({BROAD_TAG}), search with facets": "/works/search?"
        + urlencode({"include": broad.name}),
        f"broadest tag, page {broad_page:,} (cursor)": broad_path
        + "?"
        + urlencode({"after": broad_deep}),
        f'full-text phrase "{PHRASE}", with facets': "/works/search?"
        + urlencode({"q": f'"{PHRASE}"'}),
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(rounds: int, viewer: str = "guest") -> tuple[list[dict], dict]:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    if viewer == "reader":
        reader, _ = User.objects.get_or_create(
            username="listing_benchmark", defaults={"email": "listing_benchmark@example.invalid"}
        )
        client.force_login(reader)
    else:
        # A guest with a cookie of their own (reading settings) gets pages made for them,
        # never the shared cached copy.
        client.cookies["ficshelf_reading"] = "benchmark"
    urls = {}
    for name, url in queries().items():
        if url.startswith("/works/search"):
            urls[f"{name}, cold"] = url
            urls[f"{name}, warm"] = url
        else:
            urls[name] = url
    samples = {name: ([], [], []) for name in urls}
    for number in range(rounds + 2):
        for name, url in urls.items():
            if name.endswith(", cold"):
                versions.bump_listings()
            timer = DatabaseTimer()
            with connection.execute_wrapper(timer):
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            if number >= 2:
                db_ms, request_ms, counts = samples[name]
                db_ms.append(timer.seconds * 1000)
                request_ms.append(elapsed * 1000)
                counts.append(timer.queries)
    results = []
    bare = None
    for name, url in urls.items():
        db_ms, request_ms, counts = samples[name]
        row = {
            "name": name,
            "url": url,
            "db_p50": statistics.median(db_ms),
            "db_p99": _percentile(db_ms, 0.99),
            "request_p50": statistics.median(request_ms),
            "request_p99": _percentile(request_ms, 0.99),
            "queries": max(counts),
        }
        bare = bare or row
        row["db_ratio"] = row["db_p99"] / bare["db_p99"]
        row["request_ratio"] = row["request_p99"] / bare["request_p99"]
        results.append(row)
    facts = {
        "vendor": connection.vendor,
        "works": Work.objects.count(),
        "rounds": rounds,
        "viewer": viewer,
        "date": time.strftime("%Y-%m-%d"),
    }
    return results, facts


def table(results: list[dict], facts: dict) -> str:
    lines = [
        f"{facts['vendor']}, {facts['works']:,} works, {facts['viewer']}, "
        f"{facts['rounds']} rounds, {facts['date']} (2 shared cores):",
        "",
        "| query | DB p50 ms | DB p99 ms | DB p99 ÷ bare | request p50 ms | request p99 ms "
        "| request p99 ÷ bare | queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results:
        lines.append(
            f"| {row['name']} | {row['db_p50']:.1f} | {row['db_p99']:.1f} | "
            f"{row['db_ratio']:.1f}× | {row['request_p50']:.1f} | {row['request_p99']:.1f} | "
            f"{row['request_ratio']:.1f}× | {row['queries']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--viewer", choices=["guest", "reader"], default="guest")
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    arguments = parser.parse_args()
    results, facts = run(arguments.rounds, arguments.viewer)
    text = table(results, facts)
    print(text)
    for row in results:
        print(f"  {row['name']}: {row['url'][:160]}")
    if arguments.write:
        replace_section(f"listing-{facts['vendor']}-{facts['viewer']}", text)


if __name__ == "__main__":
    main()
