"""Serving readers: the production server (Granian) beside nginx serving the same bytes.

    .venv/bin/python benchmarks/serving.py [--duration 10] [--connections 16] [--no-write]

On 127.0.0.1 only. It builds a throwaway archive in a temporary FICSHELF_VAR_DIR (SQLite), starts
two servers with `python -m ficshelf.server` (WORKERS=2, FICSHELF_DEBUG=0): one as shipped (the
page cache in Django's default cache, LocMem, one per worker process) and one whose settings
module, written to the temporary directory, only swaps the cache for Django's DummyCache, so
every request renders (no page and no fragment is ever found; the product has no switch for
this, and a query string cannot bust the page cache: its key holds only the query values a page
reads). nginx (worker_processes 1) serves each page's body as fetched once from the app as a
guest. `wrk -t2 -cN -dDs --latency` measures each app/nginx pair back to back, alternating which
goes first, 3 times; the table gives medians. Then a per-core model with a simulated cache hit
ratio (Zipf popularity) estimates app cores and PostgreSQL replicas for AO3's peak.
"""

# ruff: noqa: S603, S607, S310  (local tools and 127.0.0.1 URLs built here)

import argparse
import bisect
import itertools
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PYTHON = ROOT / ".venv" / "bin" / "python"
WORKERS = 2
NGINX_WORKERS = 1
REPEATS = 3
TAG = "Found Family"

# --- AO3's load, and the model's assumptions (each printed with the table) --------------------
AO3_VIEWS_PER_DAY = 141_000_000
AO3_AVERAGE_RPS = 1_600  # 141M / 86,400 s ≈ 1,632
AO3_PEAK_RPS = 4_800  # the peak hour at 3× the average
MODEL_WORKS = 10_000
MODEL_LISTINGS = 2_000  # tag pages, the index and its pages: the listing keys
MODEL_ZIPF_S = 1.1
MODEL_LISTING_SHARE = 0.25  # a quarter of page views are lists of works
MODEL_CACHE_ENTRIES = 5_000
MODEL_LISTINGS_CHANGE_EVERY = 5.0  # seconds: any post or edit moves the one listings version
MODEL_WORK_CHANGE_SHARE = 0.001  # of work-page requests follow an edit of that work (new key)
MODEL_REQUESTS = 300_000
MODEL_UTILISATION = 0.6  # plan cores to run at 60% at the peak
MODEL_REPLICA_QPS = 15_000  # simple indexed reads per second one PostgreSQL replica serves
MODEL_MIN_REPLICAS = 2  # for redundancy, whatever the load


# --- The pure parts (tested in tests/benchmarks/test_serving_model.py) ------------------------


def zipf_cumulative(n: int, s: float) -> list[float]:
    """Cumulative probabilities of ranks 1..n with weight 1/rank**s."""
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank**s
        out.append(total)
    return [c / total for c in out]


def zipf_sample(cumulative: list[float], rng: random.Random) -> int:
    """A rank index (0-based) drawn from `zipf_cumulative`'s distribution."""
    return min(bisect.bisect_left(cumulative, rng.random()), len(cumulative) - 1)


class LRU:
    """A cache of at most `entries` keys, least recently used out first (Redis's allkeys-lru,
    roughly), with an optional time to live."""

    def __init__(self, entries: int, ttl: float | None = None):
        self.entries, self.ttl, self.data = entries, ttl, OrderedDict()

    def get_or_put(self, key, now: float = 0.0) -> bool:
        """True for a hit; on a miss the key is stored (the page is rendered and kept)."""
        stored = self.data.get(key)
        if stored is not None and (self.ttl is None or now - stored < self.ttl):
            self.data.move_to_end(key)
            return True
        if self.entries <= 0:
            return False
        self.data[key] = now
        self.data.move_to_end(key)
        while len(self.data) > self.entries:
            self.data.popitem(last=False)
        return False


@dataclass
class HitRatios:
    works: float
    listings: float
    overall: float


def simulate_hit_ratio(
    *,
    requests: int = MODEL_REQUESTS,
    works: int = MODEL_WORKS,
    listings: int = MODEL_LISTINGS,
    s: float = MODEL_ZIPF_S,
    listing_share: float = MODEL_LISTING_SHARE,
    entries: int = MODEL_CACHE_ENTRIES,
    ttl: float | None = None,
    rate: float = AO3_PEAK_RPS,
    listings_change_every: float | None = MODEL_LISTINGS_CHANGE_EVERY,
    work_change_share: float = MODEL_WORK_CHANGE_SHARE,
    seed: int = 2026,
) -> HitRatios:
    """Replay `requests` page views arriving at `rate` per second: each is a listing page with
    probability `listing_share`, else a work's page, each drawn by Zipf popularity. Keys are
    moved on as pagecache.py moves them: every listing key when the listings version changes
    (every `listings_change_every` seconds), one work's key when that work is edited."""
    rng = random.Random(seed)
    work_cdf, listing_cdf = zipf_cumulative(works, s), zipf_cumulative(max(listings, 1), s)
    cache = LRU(entries, ttl)
    work_versions: dict[int, int] = {}
    hits = {"w": 0, "l": 0}
    counts = {"w": 0, "l": 0}
    for number in range(requests):
        now = number / rate
        if listings and rng.random() < listing_share:
            kind = "l"
            generation = int(now // listings_change_every) if listings_change_every else 0
            key = ("l", zipf_sample(listing_cdf, rng), generation)
        else:
            kind = "w"
            work = zipf_sample(work_cdf, rng)
            if work_change_share and rng.random() < work_change_share:
                work_versions[work] = work_versions.get(work, 0) + 1
            key = ("w", work, work_versions.get(work, 0))
        counts[kind] += 1
        hits[kind] += cache.get_or_put(key, now)

    def ratio(kind):
        return hits[kind] / counts[kind] if counts[kind] else 0.0

    return HitRatios(ratio("w"), ratio("l"), (hits["w"] + hits["l"]) / max(requests, 1))


@dataclass
class Estimate:
    app_cores: int
    app_core_seconds: float  # busy core-seconds per second at the peak, before headroom
    db_queries_per_second: float
    replicas: int


def estimate(
    *,
    peak_rps: float,
    share_listings: float,
    hit_works: float,
    hit_listings: float,
    per_core: dict[str, float],
    queries: dict[str, float],
    utilisation: float = MODEL_UTILISATION,
    replica_qps: float = MODEL_REPLICA_QPS,
    min_replicas: int = MODEL_MIN_REPLICAS,
) -> Estimate:
    """App cores and replicas for `peak_rps` page views. `per_core` and `queries` are keyed
    "work_hit", "work_miss", "listing_hit", "listing_miss": requests/s one core serves, and
    database queries one request makes."""
    shares = {
        "work_hit": (1 - share_listings) * hit_works,
        "work_miss": (1 - share_listings) * (1 - hit_works),
        "listing_hit": share_listings * hit_listings,
        "listing_miss": share_listings * (1 - hit_listings),
    }
    busy = sum(peak_rps * share / per_core[kind] for kind, share in shares.items())
    qps = sum(peak_rps * share * queries[kind] for kind, share in shares.items())
    return Estimate(
        app_cores=math.ceil(busy / utilisation),
        app_core_seconds=busy,
        db_queries_per_second=qps,
        replicas=max(min_replicas, math.ceil(qps / (replica_qps * utilisation))),
    )


def parse_wrk(output: str) -> dict:
    """Requests/s, latency p50 and p99 (ms), and the count of non-2xx/3xx and socket errors."""

    def ms(label):
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return float("nan")
        value, unit = float(match[1]), match[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": float(rps[1]) if rps else float("nan"),
        "p50": ms("50"),
        "p99": ms("99"),
        "bad": int(bad[1]) if bad else 0,
        "errors": sum(int(g) for g in errors.groups()) if errors else 0,
    }


# --- Building the archive (runs in a subprocess: `serving.py --build`) ------------------------

SUBJECTS = [
    "Mara",
    "The archivist",
    "Her brother",
    "The old captain",
    "Theo",
    "The girl from the ferry",
    "Nobody in the village",
    "The second detective",
    "Ines",
    "The boy with the lantern",
]
VERBS = [
    "folded the letter twice and",
    "looked at the harbour while she",
    "laughed, because he",
    "waited by the door until they",
    "counted the steps as it",
    "remembered the winter when she",
    "pretended not to notice that he",
    "said nothing, and",
    "turned the key slowly, as if it",
    "wrote it down before anyone",
]
ENDS = [
    "could change their mind about the house on the hill.",
    "had promised to be back before the tide turned.",
    "knew exactly how much the silence was costing them.",
    "would never say the name out loud again.",
    "had kept the photograph in the lining of a coat for years.",
    "was finally, stupidly, happy.",
    "was not the person the town remembered.",
    "heard the train long before it came round the bend.",
    "could smell rain on the wind coming off the water.",
    "left the kettle on and forgot about it entirely.",
]
LINES = [
    "“You could have told me,” she said.",
    "“I know,” he said. “I didn't.”",
    "The clock in the hall struck four.",
    "Outside, the gulls were arguing again.",
    "It was, she thought later, the beginning of everything.",
    "Nobody answered.",
]


def prose(words: int, seed: int = 5) -> str:
    """Paragraphs of varied sentences (subject, verb phrase, ending, some dialogue), as HTML."""
    rng = random.Random(seed)
    paragraphs, count = [], 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(3, 7)):
            if rng.random() < 0.2:
                sentence = rng.choice(LINES)
            else:
                sentence = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(ENDS)}"
            sentences.append(sentence)
        text = " ".join(sentences)
        words_here = text.split()
        if count + len(words_here) > words:
            text = " ".join(words_here[: words - count]).rstrip(",;") + "."
        count += len(text.split())
        paragraphs.append(f"<p>{text}</p>")
    return "\n".join(paragraphs)


def build() -> dict:
    """The archive: one long General work, 60 more tagged works. Returns the URLs and how many
    database queries a guest's request makes, on a miss and on a hit (Django's test client,
    LocMem cache, in this process)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ficshelf.accounts.services import sign_up
    from ficshelf.tags.models import tag_to_param
    from ficshelf.works.models import Chapter
    from ficshelf.works.services import ChapterContent, WorkMetadata, create_work

    rng = random.Random(11)
    authors = [
        sign_up(username=f"writer{n}", email=f"writer{n}@example.org", password="bench-pass-29x!")  # noqa: S106
        for n in range(1, 11)
    ]
    long_text = prose(10_000)
    work = create_work(
        creators=[authors[0].default_pseud],
        metadata=WorkMetadata(
            title="The House on the Hill",
            fandoms=["Original Work"],
            rating="general",
            warnings=["No Archive Warnings Apply"],
            characters=["Mara", "Theo"],
            freeforms=["Slow Burn"],
            summary="A ferry, a letter, and a house nobody will sell.",
        ),
        chapter=ChapterContent(text=long_text, title="Low Tide"),
        post=True,
    )
    fandoms = ["Original Work", "Law & Order: Special Victims Unit", "Star Trek", "Good Omens"]
    characters = ["Mara", "Theo", "Ines", "Olivia Benson", "Crowley", "Aziraphale", "Kira Nerys"]
    for number in range(1, 61):
        create_work(
            creators=[rng.choice(authors).default_pseud],
            metadata=WorkMetadata(
                title=f"Harbour Lights {number}",
                fandoms=[rng.choice(fandoms)],
                rating=rng.choice(["general", "teen"]),
                warnings=["No Archive Warnings Apply"],
                characters=rng.sample(characters, 2),
                freeforms=[TAG, rng.choice(["Fluff", "Angst", "Hurt/Comfort", "Slow Burn"])],
                summary=prose(60, seed=number).removeprefix("<p>").removesuffix("</p>"),
            ),
            chapter=ChapterContent(text=prose(rng.randint(800, 3000), seed=100 + number)),
            post=True,
        )
    chapter = Chapter.objects.filter(work=work).order_by("position").first()
    urls = {
        "chapter": f"/works/{work.pk}/chapters/{chapter.pk}",
        "index": "/works/",
        "tag": f"/tags/{urllib.request.quote(tag_to_param(TAG))}/works",
    }
    queries = {}
    client = Client()
    for name, url in urls.items():
        for state in ("miss", "hit"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            queries[f"{name}_{state}"] = len(captured)
    words = len(re.sub(r"<[^>]+>", " ", long_text).split())
    return {"urls": urls, "queries": queries, "words": words}


# --- Running servers -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, path: str = "/", seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"Nothing answered on 127.0.0.1:{port}{path} within {seconds} s.")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group it leads, then SIGKILL after 15 s."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


def fetch(port: int, path: str) -> bytes:
    # As wrk asks: no Accept-Encoding, so the body is the identity HTML.
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return response.read()


def _unsigned(body: bytes) -> bytes:
    return re.sub(rb'name="rendered" value="[^"]*"', b'name="rendered" value=""', body)


def nginx_config(tmp: Path, port: int) -> str:
    return f"""
worker_processes {NGINX_WORKERS};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    access_log {tmp}/nginx-access.log;
    default_type "text/html; charset=utf-8";
    sendfile on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
        index index.html;
    }}
}}
"""


def wrk(port: int, path: str, duration: int, connections: int) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
        f"http://127.0.0.1:{port}{path}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    result = parse_wrk(done.stdout)
    if done.returncode or result["bad"] or result["errors"] or math.isnan(result["rps"]):
        print(done.stdout, done.stderr, file=sys.stderr)
    return result


# --- The benchmark --------------------------------------------------------------------------


def server_kind() -> str:
    """The server and threads `ficshelf/server.py` ships."""
    from ficshelf.server import granian_args

    args = granian_args({"WORKERS": str(WORKERS)})
    threads = args[args.index("--blocking-threads") + 1]
    log = "access log on" if "--access-log" in args else "no access log"
    version = subprocess.run(
        [PYTHON.with_name("granian"), "--version"], capture_output=True, text=True
    ).stdout.strip()
    return f"{version or 'granian'}, WSGI, {threads} threads a worker, {log}"


def fmt(n: float, digits: int = 0) -> str:
    return f"{n:,.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (10)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--no-write", action="store_true", help="do not update README.md")
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(json.dumps(build()))
        return
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is missing: apt-get install -y wrk nginx")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"

    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="ficshelf-serving-"))
    tmp.chmod(0o711)  # nginx's workers (user nobody when started as root) must reach www/
    processes: list[subprocess.Popen] = []
    logs = []
    try:
        env = {
            **os.environ,
            "FICSHELF_VAR_DIR": str(tmp / "var"),
            "FICSHELF_DEBUG": "0",
            "FICSHELF_SECRET_KEY": "serving-benchmark-" + "x" * 40,
            "FICSHELF_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "ficshelf.settings",
            "PYTHONPATH": str(ROOT),
        }
        for name in ("DATABASE_URL", "CACHE_URL", "DATABASE_REPLICA_URLS", "FICSHELF_CACHE_PREFIX"):
            env.pop(name, None)
        print(f"Archive in {tmp} …", file=sys.stderr)
        for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
            subprocess.run(
                [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300
            )
        built = json.loads(
            subprocess.run(
                [PYTHON, __file__, "--build"],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=600,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        urls, queries = built["urls"], built["queries"]

        # The settings of the uncached server: the shipped ones, with a cache that keeps nothing.
        (tmp / "nocache_settings.py").write_text(
            "from ficshelf.settings import *  # noqa\n"
            "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.dummy.DummyCache'}}\n"
        )
        ports = {"cached": free_port(), "uncached": free_port(), "nginx": free_port()}
        for name, settings_module in (
            ("cached", "ficshelf.settings"),
            ("uncached", "nocache_settings"),
        ):
            log = open(tmp / f"app-{name}.log", "wb")
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    [PYTHON, "-m", "ficshelf.server"],
                    cwd=ROOT,
                    env={
                        **env,
                        "WORKERS": str(WORKERS),
                        "PORT": str(ports[name]),
                        "HOST": "127.0.0.1",
                        "DJANGO_SETTINGS_MODULE": settings_module,
                        "PYTHONPATH": f"{tmp}:{ROOT}",
                    },
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        for name in ("cached", "uncached"):
            wait_for(ports[name], urls["index"])

        # nginx serves what a guest was sent, byte for byte.
        sizes, same = {}, {}
        for name, url in urls.items():
            body = fetch(ports["cached"], url)
            # The comment form's signed render time differs by the second it was rendered in.
            same[name] = _unsigned(body) == _unsigned(fetch(ports["uncached"], url))
            target = tmp / "www" / urllib.request.unquote(url).lstrip("/")
            if url.endswith("/"):
                target = target / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
            sizes[name] = len(body)
        (tmp / "nginx.conf").write_text(nginx_config(tmp, ports["nginx"]))
        log = open(tmp / "nginx.log", "wb")
        logs.append(log)
        processes.append(
            subprocess.Popen(
                [nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        wait_for(ports["nginx"], urls["index"])
        for name, url in urls.items():
            if len(fetch(ports["nginx"], url)) != sizes[name]:
                raise SystemExit(f"nginx does not serve the saved body of {url}")

        # Warm up every server and path (fills each cached worker's LocMem cache).
        for server, name in itertools.product(ports, urls):
            wrk(ports[server], urls[name], 2, args.connections)

        pairs = [
            (page, state)
            for page in ("chapter", "index", "tag")
            for state in ("uncached", "cached")
        ]
        runs = {pair: {"app": [], "nginx": []} for pair in pairs}
        for repeat in range(REPEATS):
            for page, state in pairs:
                order = ["app", "nginx"] if repeat % 2 == 0 else ["nginx", "app"]
                for side in order:
                    port = ports[state] if side == "app" else ports["nginx"]
                    result = wrk(port, urls[page], args.duration, args.connections)
                    runs[(page, state)][side].append(result)
                    print(
                        f"  {page:7} {state:8} {side:5} run {repeat + 1}: "
                        f"{fmt(result['rps'])} req/s",
                        file=sys.stderr,
                    )
    finally:
        for process in reversed(processes):
            stop(process)
        for log in logs:
            log.close()
    shutil.rmtree(tmp, ignore_errors=True)
    load_after = os.getloadavg()

    # --- The table ------------------------------------------------------------------------
    def med(results, key):
        return statistics.median(r[key] for r in results)

    targets = {"uncached": 1 / 25, "cached": 1 / 3}
    rows, verdicts, per_core = [], [], {}
    for page, state in pairs:
        app, ngx = runs[(page, state)]["app"], runs[(page, state)]["nginx"]
        ratios = [a["rps"] / n["rps"] for a, n in zip(app, ngx, strict=True)]
        ratio = statistics.median(ratios)
        met = ratio >= targets[state]
        bad = sum(r["bad"] + r["errors"] for r in app + ngx)
        rows.append(
            f"| {page} | {fmt(sizes[page] / 1024, 1)} KiB | {state} | {fmt(med(app, 'rps'))} "
            f"| {fmt(med(app, 'p50'), 1)} / {fmt(med(app, 'p99'), 1)} | {fmt(med(ngx, 'rps'))} "
            f"| {fmt(med(ngx, 'p50'), 2)} / {fmt(med(ngx, 'p99'), 2)} "
            f"| 1/{fmt(1 / ratio, 1)} ({', '.join('1/' + fmt(1 / r, 1) for r in ratios)}) "
            f"| ≥ 1/{round(1 / targets[state])}: **{'met' if met else 'not met'}**"
            f"{f' ({bad} errors)' if bad else ''} |"
        )
        verdicts.append(met)
        per_core[(page, state)] = med(app, "rps") / WORKERS

    table = [
        "| Page | body | app cache | app req/s | p50 / p99 ms | nginx req/s | p50 / p99 ms "
        "| app / nginx, median (3 runs) | target |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | --- | --- |",
        *rows,
    ]

    hits = simulate_hit_ratio()
    # Work pages cost what the chapter page costs; listing pages what the tag page costs.
    model = estimate(
        peak_rps=AO3_PEAK_RPS,
        share_listings=MODEL_LISTING_SHARE,
        hit_works=hits.works,
        hit_listings=hits.listings,
        per_core={
            "work_hit": per_core[("chapter", "cached")],
            "work_miss": per_core[("chapter", "uncached")],
            "listing_hit": per_core[("tag", "cached")],
            "listing_miss": per_core[("tag", "uncached")],
        },
        queries={
            "work_hit": queries["chapter_hit"],
            "work_miss": queries["chapter_miss"],
            "listing_hit": queries["tag_hit"],
            "listing_miss": queries["tag_miss"],
        },
    )
    model_lines = [
        "| Model input or output | value |",
        "| --- | ---: |",
        f"| per-core rate, chapter page hit / miss (req/s ÷ {WORKERS} workers) | "
        f"{fmt(per_core[('chapter', 'cached')])} / {fmt(per_core[('chapter', 'uncached')])} |",
        f"| per-core rate, tag page hit / miss | {fmt(per_core[('tag', 'cached')])} / "
        f"{fmt(per_core[('tag', 'uncached')])} |",
        f"| database queries a request, chapter hit / miss | {queries['chapter_hit']} / "
        f"{queries['chapter_miss']} |",
        f"| database queries a request, tag page hit / miss | {queries['tag_hit']} / "
        f"{queries['tag_miss']} |",
        f"| simulated hit ratio: work pages / listings / all | {hits.works:.1%} / "
        f"{hits.listings:.1%} / {hits.overall:.1%} |",
        f"| busy app cores at {fmt(AO3_PEAK_RPS)} views/s | {model.app_core_seconds:.1f} |",
        f"| **app cores to provision** (at {MODEL_UTILISATION:.0%} busy) | **{model.app_cores}** |",
        f"| database queries/s at the peak | {fmt(model.db_queries_per_second)} |",
        f"| **PostgreSQL read replicas** ({fmt(MODEL_REPLICA_QPS)} q/s each, "
        f"{MODEL_UTILISATION:.0%} busy, at least {MODEL_MIN_REPLICAS}) | **{model.replicas}** |",
    ]
    met_all = all(verdicts)
    summary = (
        "Targets (uncached ≥ 1/25 of nginx, cached ≥ 1/3): "
        f"**{'all met' if met_all else 'not all met'}**"
        f" ({sum(verdicts)} of {len(verdicts)} rows)."
    )
    machine = (
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), Python "
        f"{platform.python_version()}, wrk -t2 -c{args.connections} -d{args.duration}s, "
        f"app WORKERS={WORKERS} ({server_kind()}), nginx worker_processes {NGINX_WORKERS}; "
        "bodies identical from both app servers (but the comment form's signed render time): "
        f"{all(same.values())}; "
        f"chapter {built['words']:,} words; load average (1 min) {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after (other processes share the machine)."
    )
    body = "\n".join(
        [
            *table,
            "",
            summary,
            "",
            *model_lines,
            "",
            f"Run: {machine}",
            "",
            f"Last run: {date.today()}.",
        ]
    )
    print(body)
    if not args.no_write:
        from benchmarks.readme import replace_section

        replace_section("serving", body)


if __name__ == "__main__":
    main()
