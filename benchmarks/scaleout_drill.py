"""The scale-out drill: nginx in front of two app servers, a PostgreSQL primary and a streaming
replica, Redis; a bounded load of guest readers and authors; one app server killed, then the
replica stopped. Everything runs on 127.0.0.1, in a temporary directory, and is removed after.

    .venv/bin/python benchmarks/scaleout_drill.py [--seconds 40]

Needs Debian's postgresql, nginx and redis-server; runs as root (the clusters run as the
`postgres` user). It reports; it does not pass or fail (the exit status is 1 only when the drill
could not be set up). `benchmarks/README.md` ("Scale-out drill") has the figures of one run.
"""

# The drill starts the local tools it names (postgres, nginx, redis-server) with fixed arguments.
# ruff: noqa: S603, S607

import argparse
import glob
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.scaleout_pieces import (  # noqa: E402
    REQUEST_TIMEOUT,
    csrf_token,
    group_alive,
    longest,
    nginx_conf,
    pct,
    request,
    share,
)

PYTHON = ROOT / ".venv" / "bin" / "python"
WINDOW = 10.0  # seconds after each failure reported as its window
HARD_LIMIT = 360  # seconds for the whole drill, set-up, warm-up and clean-up included (set-up
# alone took 115–150 s on the shared machine on 2026-12-02)
READERS = 8
SERVER = {"name": "granian"}  # set from --server
AUTHORS = 2
PASSWORD = "drill-" + secrets.token_urlsafe(12)


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        sys.exit(f"{name} not found: apt-get install -y postgresql")
    return found[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=kwargs.pop("timeout", 60),
        **kwargs,
    )


class Drill:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.tmp = Path(tempfile.mkdtemp(prefix="ficshelf-scaleout-"))
        self.tmp.chmod(0o755)
        self.pg_dir = self.tmp / "pg"
        self.pg_dir.mkdir()
        shutil.chown(self.pg_dir, "postgres", "postgres")
        self.processes: dict[str, subprocess.Popen] = {}
        self.clusters: list[Path] = []
        self.ports = {
            name: free_port() for name in ("primary", "replica", "redis", "app1", "app2", "nginx")
        }
        self.env = self._app_env()
        self.lock = threading.Lock()
        self.records: list[dict] = []  # every request: kind, start, seconds, status, error
        self.posts: list[dict] = []  # every acknowledged post and its check
        self.errors: list[dict] = []
        self.events: dict[str, float] = {}
        self.chapter_urls: list[str] = []
        self.stop = threading.Event()
        self.orphans: list = []  # render locks in Redis right after app server 1 was killed
        self.clock = 0.0

    # --- set-up ------------------------------------------------------------------------------
    def _app_env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FICSHELF_", "DATABASE"))}
        p = self.ports
        env.update(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{p['primary']}/ficshelf",
            DATABASE_REPLICA_URLS=f"postgres://postgres@127.0.0.1:{p['replica']}/ficshelf",
            CACHE_URL=f"redis://127.0.0.1:{p['redis']}/0",
            FICSHELF_SECRET_KEY=secrets.token_urlsafe(50),
            FICSHELF_DEBUG="0",
            FICSHELF_VAR_DIR=str(self.tmp / "var"),
            FICSHELF_ALLOWED_HOSTS="127.0.0.1,localhost",
            FICSHELF_TASK_BACKEND="database",
            WORKERS="2",
            HOST="127.0.0.1",
            PYTHONUNBUFFERED="1",
        )
        return env

    def _spawn(self, name: str, args: list, env=None, cwd=ROOT) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "wb")
        process = subprocess.Popen(
            args, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def start_postgres(self) -> None:
        primary, replica = self.pg_dir / "primary", self.pg_dir / "replica"
        as_postgres(
            pg_bin("initdb"),
            "-D",
            str(primary),
            *"-U postgres --auth=trust --no-sync -E UTF8".split(),
        )
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.ports['primary']}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.pg_dir}'\nwal_level = replica\n"
                "max_wal_senders = 5\nhot_standby = on\nmax_connections = 100\n"
            )
        with open(primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 trust\n")
        self._pg_start(primary)
        at = ["-h", "127.0.0.1", "-p", str(self.ports["primary"]), "-U", "postgres"]
        as_postgres(pg_bin("createdb"), *at, "ficshelf")
        as_postgres(
            pg_bin("pg_basebackup"),
            *at,
            "-D",
            str(replica),
            *"-R -X stream -c fast --no-sync".split(),
        )
        with open(replica / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {self.ports['replica']}\n")
        self._pg_start(replica)

    def _pg_start(self, data: Path) -> None:
        log = str(self.pg_dir / f"{data.name}.log")
        as_postgres(pg_bin("pg_ctl"), "-D", str(data), "-l", log, *"-w -t 30 start".split())
        self.clusters.append(data)

    def stop_replica(self) -> None:
        as_postgres(
            pg_bin("pg_ctl"), "-D", str(self.pg_dir / "replica"), "-m", "immediate", "-w", "stop"
        )

    def start_redis(self) -> None:
        port, options = str(self.ports["redis"]), "--maxmemory 256mb --maxmemory-policy allkeys-lru"
        self._spawn(
            "redis",
            ["redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly"]
            + ["no", "--dir", str(self.tmp), *options.split()],
        )
        self._wait_port(self.ports["redis"], "redis")

    def manage(self, *args: str, timeout=120) -> str:
        result = subprocess.run(
            [str(PYTHON), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args[:2])} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def set_up_archive(self) -> dict:
        self.manage("migrate", "--no-input", "--verbosity", "0")
        code = f"""
import json
from ficshelf.accounts.services import sign_up
from ficshelf.works import services
authors, works = [], []
for n in range({AUTHORS}):
    user = sign_up(username=f"drillauthor{{n}}", email=f"drill{{n}}@example.org",
                   password={PASSWORD!r})
    own = []
    for w in range(3):
        work = services.create_work(
            creators=[user.default_pseud],
            metadata=services.WorkMetadata(title=f"Drill work {{n}}-{{w}}", fandoms=["Drill"],
                warnings=["No Archive Warnings Apply"], summary="A work for the drill."),
            chapter=services.ChapterContent(text="<p>" + "The first chapter of the drill. " * 60
                                            + "</p>"),
        )
        chapter = work.chapters.get()
        own.append(work.pk)
        works.append((work.pk, chapter.pk))
    authors.append({{"username": user.username, "works": own}})
print("DRILL" + json.dumps({{"authors": authors, "works": works}}))
"""
        out = self.manage("shell", "-c", code)
        return json.loads(out.split("DRILL", 1)[1])

    def start_apps(self) -> None:
        for name in ("app1", "app2"):
            env = dict(self.env, PORT=str(self.ports[name]))
            # The shipped server, as `make serve` runs it (Granian, ficshelf/server.py), or
            # gunicorn with ficshelf/gunicorn.conf.py (--server gunicorn) to compare.
            if SERVER["name"] == "gunicorn":
                command = [str(PYTHON.with_name("gunicorn")), "-c", "ficshelf/gunicorn.conf.py"]
            else:
                command = [str(PYTHON), "-m", "ficshelf.server"]
            self._spawn(name, command, env=env)
        for name in ("app1", "app2"):
            self._wait_http(self.ports[name], "/health", name)

    def start_nginx(self) -> None:
        ngx = self.tmp / "nginx"
        ngx.mkdir()
        ngx.chmod(0o777)
        p = self.ports
        conf = nginx_conf(ngx, p)
        (ngx / "nginx.conf").write_text(conf)
        subprocess.run(
            ["nginx", "-t", "-p", str(ngx), "-c", str(ngx / "nginx.conf")],
            check=True,
            capture_output=True,
        )
        self._spawn(
            "nginx", ["nginx", "-p", str(ngx), "-c", str(ngx / "nginx.conf"), "-g", "daemon off;"]
        )
        self._wait_http(p["nginx"], "/health", "nginx")

    def _wait_port(self, port: int, name: str, limit=30.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{name} did not listen on {port}")

    def _wait_http(self, port: int, path: str, name: str, limit=60.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            process = self.processes.get(name)
            if process and process.poll() is not None:
                raise RuntimeError(f"{name} exited: {self.log_tail(name)}")
            try:
                status, _, _ = request(port, "GET", path, {})
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer {path}: {self.log_tail(name)}")

    def wait_replica_caught_up(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        at = dict(host="127.0.0.1", user="postgres", dbname="ficshelf", autocommit=True)
        with psycopg.connect(port=self.ports["primary"], **at) as primary:
            lsn = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        with psycopg.connect(port=self.ports["replica"], **at) as replica:
            while time.monotonic() < deadline:
                if replica.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]
                ).fetchone()[0]:
                    return
                time.sleep(0.2)
        raise RuntimeError("the replica did not catch up")

    def log_tail(self, name: str, chars=2000) -> str:
        try:
            return (self.tmp / f"{name}.log").read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    # --- clean-up ----------------------------------------------------------------------------
    def clean_up(self, keep_logs: Path | None = None) -> None:
        for process in reversed(list(self.processes.values())):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for process in self.processes.values():
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=5)
        # The server's workers are in its main process's group; a worker orphaned by SIGKILL too.
        for name in ("app1", "app2"):
            process = self.processes.get(name)
            if process:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for data in reversed(self.clusters):
            if (data / "postmaster.pid").exists():
                try:
                    stop = ["-m", "immediate", "-w", "stop"]
                    as_postgres(pg_bin("pg_ctl"), "-D", str(data), *stop, timeout=30)
                except subprocess.SubprocessError as error:
                    print(f"could not stop {data}: {error}", file=sys.stderr)
        if keep_logs:
            keep_logs.mkdir(parents=True, exist_ok=True)
            for log in [*self.tmp.glob("*.log"), *self.tmp.glob("*/*.log")]:
                shutil.copy(log, keep_logs / f"{log.parent.name}-{log.name}")
        shutil.rmtree(self.tmp, ignore_errors=True)

    def left_behind(self) -> list[str]:
        """What clean_up did not remove: live processes it started, or the temporary directory."""
        left = [
            f"{name} (pid {process.pid})"
            for name, process in self.processes.items()
            if process.poll() is None or group_alive(process.pid)
        ]
        if self.tmp.exists():
            left.append(str(self.tmp))
        return left

    # --- load --------------------------------------------------------------------------------
    def phase_at(self, moment: float) -> str:
        if moment >= self.events.get("replica_down", float("inf")):
            return "replica down"
        if moment >= self.events.get("app_down", float("inf")):
            return "one app server down"
        return "steady"

    def record(self, kind: str, start: float, status: int | None, error: str | None, path: str):
        elapsed = time.monotonic() - start
        failed = error is not None or (status is not None and status >= 500)
        entry = dict(kind=kind, start=start, seconds=elapsed, status=status, error=error)
        entry |= dict(failed=failed, phase=self.phase_at(start + elapsed), path=path)
        with self.lock:
            self.records.append(entry)
            if failed:
                self.errors.append(entry)
        return entry

    def call(self, kind: str, method: str, path: str, cookies: dict, body=None):
        start = time.monotonic()
        try:
            status, headers, text = request(self.ports["nginx"], method, path, cookies, body)
        except (OSError, http.client.HTTPException) as error:
            self.record(kind, start, None, f"{type(error).__name__}: {error}", path)
            return None, {}, ""
        self.record(kind, start, status, None, path)
        return status, headers, text

    def reader(self, seed: int, works: list) -> None:
        rng = random.Random(seed)
        while not self.stop.is_set():
            choice = rng.random()
            if choice < 0.15:
                path = "/works/"
            elif choice < 0.2:
                path = "/"
            elif choice < 0.5:
                path = f"/works/{rng.choice(works)[0]}"
            else:
                with self.lock:
                    posted = list(self.chapter_urls[-20:])
                if posted and rng.random() < 0.3:
                    path = rng.choice(posted)
                else:
                    work, chapter = rng.choice(works)
                    path = f"/works/{work}/chapters/{chapter}"
            self.call("guest", "GET", path, {})

    def author(self, number: int, account: dict) -> None:
        cookies: dict = {}
        while not self.stop.is_set() and not self.log_in(account, cookies):
            time.sleep(0.5)
        count = 0
        while not self.stop.is_set():
            work = account["works"][count % len(account["works"])]
            count += 1
            status, _, page = self.call("author", "GET", f"/works/{work}/chapters/new", cookies)
            token = csrf_token(page)
            if status != 200 or not token:
                time.sleep(0.2)
                continue
            marker = f"drillmark-{number}-{count}-{secrets.token_hex(4)}"
            body = dict.fromkeys(("summary", "notes", "end_notes", "base_revision"), "")
            body |= {"csrfmiddlewaretoken": token, "title": f"Drill chapter {count}"}
            body |= {"text_format": "html", "post": "Post"}
            body["text"] = f"<p>Posted during the drill: {marker}.</p>"
            status, headers, _ = self.call(
                "author", "POST", f"/works/{work}/chapters/new", cookies, body
            )
            if status != 302:
                continue
            location = headers.get("location", "")
            post = {"phase": self.phase_at(time.monotonic()), "location": location}
            status, _, chapter_page = self.call("author", "GET", location, cookies)
            post["status"] = status
            post["readable"] = status == 200 and marker in chapter_page
            with self.lock:
                self.posts.append(post)
                if post["readable"]:
                    self.chapter_urls.append(location)

    def log_in(self, account: dict, cookies: dict) -> bool:
        status, _, page = self.call("author", "GET", "/users/login", cookies)
        token = csrf_token(page)
        if status != 200 or not token:
            return False
        form = {"csrfmiddlewaretoken": token, "username": account["username"]}
        status, _, _ = self.call(
            "author", "POST", "/users/login", cookies, form | {"password": PASSWORD}
        )
        return status == 302 and "sessionid" in cookies

    def warm_up(self, archive: dict, limit: float = 45.0) -> float:
        """Each page of the load once or twice on each app server directly, from a few threads
        so that every worker gets some: the first render of a page in a new process (templates
        compiled, the release digest) took 2–5 s on the loaded machine, which is a cold start,
        not a failover. Returns the seconds it took (bounded by `limit`)."""
        paths = ["/", "/works/", "/users/login"]
        paths += [f"/works/{work}" for work, _ in archive["works"]]
        paths += [f"/works/{work}/chapters/{chapter}" for work, chapter in archive["works"]]
        started = time.monotonic()
        deadline = started + limit

        def fetch(port: int, offset: int) -> None:
            for path in paths[offset:] + paths[:offset]:
                if time.monotonic() > deadline:
                    return
                try:
                    request(port, "GET", path, {})
                except (OSError, http.client.HTTPException):
                    pass

        threads = [
            threading.Thread(target=fetch, args=(self.ports[name], n * 3), daemon=True)
            for name in ("app1", "app2")
            for n in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT)
        return time.monotonic() - started

    def run_load(self, archive: dict) -> None:
        self.clock = time.time() - time.monotonic()  # nginx logs wall-clock times
        threads = [
            threading.Thread(target=self.reader, args=(n, archive["works"]), daemon=True)
            for n in range(READERS)
        ]
        threads += [
            threading.Thread(target=self.author, args=(n, account), daemon=True)
            for n, account in enumerate(archive["authors"])
        ]
        self.events["start"] = time.monotonic()
        for thread in threads:
            thread.start()
        third = self.seconds / 3
        time.sleep(third)
        self.events["app_down"] = time.monotonic()
        os.killpg(self.processes["app1"].pid, signal.SIGKILL)  # master and workers at once
        self.orphans = self.render_locks()
        time.sleep(max(0.0, self.events["start"] + 2 * third - time.monotonic()))
        self.events["replica_down"] = time.monotonic()
        self.stop_replica()
        time.sleep(max(0.0, self.events["start"] + self.seconds - time.monotonic()))
        self.stop.set()
        self.events["end"] = time.monotonic()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT * 3)

    def render_locks(self) -> list[tuple[str, int]]:
        """The page cache's render locks in Redis now, with their seconds to live."""
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.ports["redis"], socket_timeout=5)
        try:
            return [
                (key.decode(), client.ttl(key))
                for key in client.scan_iter("*:rendering*", count=1000)
            ]
        except redis.RedisError:
            return []

    # --- report ------------------------------------------------------------------------------
    def nginx_log(self) -> list[tuple[float, int, list[str]]]:
        """(end on the drill's clock, status, upstream statuses) of each request nginx logged."""
        entries = []
        try:
            text = (self.tmp / "nginx" / "access.log").read_text(errors="replace")
        except OSError:
            return entries
        for line in text.splitlines():
            match = re.match(r"([\d.]+) (\d+) .* status=(.*?) time=", line)
            if match:
                tried = [code.strip() for code in match.group(3).split(",")]
                entries.append((float(match.group(1)) - self.clock, int(match.group(2)), tried))
        return entries

    def windows(self) -> list[tuple[str, float, float]]:
        """The failure windows: WINDOW seconds from each failure (no further than the next)."""
        start, down, stopped, end = (
            self.events[e] for e in ("start", "app_down", "replica_down", "end")
        )
        first = f"first {WINDOW:.0f} s"
        return [
            ("steady (the whole phase, for comparison)", start, down),
            (f"app server 1 killed: {first}", down, min(down + WINDOW, stopped)),
            (f"replica stopped: {first}", stopped, min(stopped + WINDOW, end)),
        ]

    def window_table(self) -> list[str]:
        logged = self.nginx_log()
        lines = [
            "| Window | Guest requests | Guest errors | Guest requests unanswered "
            "| Guest max latency | Author requests | Author errors | Author max latency "
            "| Retried by nginx | Longest pause |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for name, start, end in self.windows():
            ended = [r for r in self.records if start <= r["start"] + r["seconds"] < end]
            guest = [r for r in ended if r["kind"] == "guest"]
            author = [r for r in ended if r["kind"] == "author"]
            unanswered = sum(r["status"] is None for r in guest)
            retried = sum(len(tried) > 1 for at, _, tried in logged if start <= at < end)
            # The longest stretch of the window in which no request of any kind was answered.
            answered = sorted(r["start"] + r["seconds"] for r in ended if r["status"] is not None)
            moments = [start, *answered, end]
            pause = max(b - a for a, b in zip(moments, moments[1:], strict=False))
            lines.append(
                f"| {name} | {len(guest)} | {sum(r['failed'] for r in guest)} | {unanswered} "
                f"| {longest(guest)} | {len(author)} | {sum(r['failed'] for r in author)} "
                f"| {longest(author)} | {retried} | {pause:.1f} s |"
            )
        return lines

    def report(self) -> str:
        phases = ["steady", "one app server down", "replica down"]
        moments = [self.events[e] for e in ("start", "app_down", "replica_down", "end")]
        bounds = dict(zip(phases, zip(moments, moments[1:], strict=False), strict=True))
        killed = self.events["app_down"] - self.events["start"]
        stopped = self.events["replica_down"] - self.events["start"]
        lines = [
            f"Load: {READERS} guest readers, {AUTHORS} authors, {self.seconds:.0f} s through "
            f"nginx; app server 1 SIGKILLed at {killed:.1f} s, the replica stopped (immediate) "
            f"at {stopped:.1f} s (app server 1 still down). Requests count in the phase in "
            "which they ended.",
            "",
            "| Phase | Time | Guest requests | Guest errors | Guest p50 / p99 | Author requests "
            "| Author errors | Posts acknowledged | Read back by the author |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for phase in phases:
            guest = [r for r in self.records if r["phase"] == phase and r["kind"] == "guest"]
            author = [r for r in self.records if r["phase"] == phase and r["kind"] == "author"]
            posts = [p for p in self.posts if p["phase"] == phase]
            g_err = sum(r["failed"] for r in guest)
            a_err = sum(r["failed"] for r in author)
            ok = sum(p["readable"] for p in posts)
            start, end = bounds[phase]
            lines.append(
                f"| {phase} | {end - start:.1f} s | {len(guest)} | {g_err} ({share(g_err, guest)}) "
                f"| {pct(guest, 50)} / {pct(guest, 99)} ms | {len(author)} "
                f"| {a_err} ({share(a_err, author)}) | {len(posts)} "
                f"| {ok} ok, {len(posts) - ok} failed |"
            )
        lines += [
            "",
            "Failure windows (a request counts in the window in which it ended; an error is a "
            "status ≥ 500, a refused or dropped connection or a time-out; unanswered: no "
            f"response in {REQUEST_TIMEOUT:.0f} s or a dropped connection; longest pause: the "
            "longest stretch with no request answered):",
            "",
            *self.window_table(),
            "",
        ]
        live = [ttl for _, ttl in self.orphans if ttl > 0]
        lines.append(
            f"- Render locks in the cache right after the kill: {len(live)}"
            + (f" (seconds to live: {', '.join(str(t) for t in live)})." if live else ".")
        )
        guests = [r for r in self.records if r["kind"] == "guest"]
        answered = len(guests) - sum(r["failed"] for r in guests)
        ok = sum(p["readable"] for p in self.posts)
        unanswered = sum(p["status"] is None or p["status"] >= 500 for p in self.posts)
        missing = len(self.posts) - ok - unanswered
        lines += [
            "",
            f"- Guest requests answered (status < 500, no connection error): {answered} of "
            f"{len(guests)} ({share(answered, guests)}).",
            f"- Acknowledged posts (302) read back by their author on the next request: {ok} of "
            f"{len(self.posts)} checked, {len(self.posts) - ok} failed ({missing} answered "
            f"without the new text, {unanswered} not answered: error or time-out).",
        ]
        for name in ("app1", "app2"):
            log = self.log_tail(name, chars=5_000_000)
            restarts = log.count("Respawning worker")
            if restarts:
                lines.append(f"- {name}: {restarts} Granian worker(s) respawned in the run.")
        for post in self.posts:
            if not post["readable"]:
                where = f"(status {post['status']}, {post['phase']})"
                lines.append(f"  - not readable: {post['location']} {where}")
        if self.errors:
            lines.append("- Errors:")
            seen: dict = {}
            for error in self.errors:
                key = (error["phase"], error["kind"], error["status"], (error["error"] or "")[:80])
                key += (re.sub(r"\d+", "N", error["path"]),)
                ended = error["start"] + error["seconds"] - self.events["start"]
                seen.setdefault(key, []).append(ended)
            for (phase, kind, status, message, path), moments in seen.items():
                lines.append(
                    f"  - {phase}, {kind}: {len(moments)} × {status or message} on {path} "
                    f"(ended at {min(moments):.1f}–{max(moments):.1f} s)"
                )
        else:
            lines.append("- Errors: none.")
        return "\n".join(lines)

    def app_tracebacks(self) -> str:
        """Each distinct server error in the app servers' logs, shortened to the exceptions
        and the archive's own frames (file, line, code), with how often it was logged."""
        found: dict[str, list] = {}  # shape (digits masked) -> [first text, count]
        for name in ("app1", "app2"):
            lines = self.log_tail(name, chars=2_000_000).splitlines()
            for index, line in enumerate(lines):
                if not line.startswith("Internal Server Error"):
                    continue
                kept = [f"[{name}] {line}"]
                for position in range(index + 1, len(lines)):
                    follow = lines[position]
                    if re.match(r"(\d+\.\d+\.\d+\.\d+ - |\[\d{4}-|Internal Server Error)", follow):
                        break
                    if (
                        re.match(r"\w[\w.]*(Error|Exception)\b", follow)
                        or "direct cause" in follow
                        or "During handling" in follow
                    ):
                        kept.append(follow)
                    elif follow.strip().startswith(f'File "{ROOT}/ficshelf'):
                        kept.append(follow.replace(f"{ROOT}/", ""))
                        if position + 1 < len(lines):
                            kept.append(lines[position + 1])
                text = "\n".join(kept)
                shape = re.sub(r"\d+", "N", "\n".join(kept[1:]))
                found.setdefault(shape, [text, 0])[1] += 1
        return "\n\n".join(f"({count}×)\n{text}" for text, count in found.values())


class TimeUp(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=40.0, help="load duration (max 90)")
    parser.add_argument("--keep-logs", type=Path, help="copy every log here before clean-up")
    parser.add_argument(
        "--server", choices=["granian", "gunicorn"], default="granian", help="app server"
    )
    args = parser.parse_args()
    seconds = max(6.0, min(args.seconds, 90.0))
    SERVER["name"] = args.server

    def time_up(signum, frame):
        raise TimeUp(f"stopped after {HARD_LIMIT} s" if signum == signal.SIGALRM else "stopped")

    signal.signal(signal.SIGALRM, time_up)
    signal.signal(signal.SIGTERM, time_up)
    signal.alarm(HARD_LIMIT)
    drill = Drill(seconds)
    started = time.monotonic()
    status = 0
    try:
        print(f"temp dir {drill.tmp}; ports {drill.ports}", flush=True)
        drill.start_postgres()
        drill.start_redis()
        archive = drill.set_up_archive()
        drill.wait_replica_caught_up()
        drill.start_apps()
        drill.start_nginx()
        print(f"warmed up in {drill.warm_up(archive):.1f} s", flush=True)
        print(f"load average before the load: {os.getloadavg()[0]:.2f}", flush=True)
        print(f"set up in {time.monotonic() - started:.1f} s; load for {seconds:.0f} s", flush=True)
        drill.run_load(archive)
        print(f"load average after the load: {os.getloadavg()[0]:.2f}")
        print()
        print(drill.report())
        tracebacks = drill.app_tracebacks()
        if tracebacks:
            print("\nServer errors logged by the app servers (shortened):\n")
            print(tracebacks)
    except (Exception, TimeUp, KeyboardInterrupt) as error:
        print(f"drill failed: {type(error).__name__}: {error}", file=sys.stderr)
        for name in drill.processes:
            print(f"--- {name} log ---\n{drill.log_tail(name)}", file=sys.stderr)
        status = 1
    finally:
        signal.alarm(0)
        drill.stop.set()
        drill.clean_up(args.keep_logs)
        left = drill.left_behind()
        print(
            f"\ncleaned up ({'left behind: ' + ', '.join(left) if left else 'nothing left behind'}"
            f"); {time.monotonic() - started:.0f} s in all",
            flush=True,
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
