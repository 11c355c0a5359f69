"""The crash drill: writers post chapters and comments over HTTP while the app server is killed
with SIGKILL again and again; after each kill, every write that got a success answer must be
in the database, and the database must pass its own integrity checks.

    .venv/bin/python benchmarks/crash_durability.py [--kills 50] [--database sqlite|postgresql]

On SQLite the app server holds the database (WAL, synchronous=FULL): a kill stops it in the
middle of whatever it was writing. On PostgreSQL the kill cuts the server's connections in the
middle of transactions. The archive lives in a temporary folder (SQLite) or a new database
(PostgreSQL on 127.0.0.1:5432, trust auth) and is removed after.
`tests/archive/test_crash_durability.py` runs it in CI; `docs/security.md` has the figure.
"""

# The drill starts gunicorn and the database's own check tools with fixed arguments.
# ruff: noqa: S603, S607

import argparse
import glob
import html
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# One HTTP request and the CSRF token of a page, as the scale-out drill makes them (this folder
# is on the path whether the drill runs as a script or from its test).
from scaleout_drill import REQUEST_TIMEOUT, csrf_token, free_port, request

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.parent / "gunicorn"
PASSWORD = "crash-" + secrets.token_urlsafe(12)
WRITERS = 3
# One kill in FULL_KILL_EVERY takes the whole server down (master and worker, then a cold
# start); the others kill the worker, the process that holds the database connection and
# answers requests, and the master starts a new one.
FULL_KILL_EVERY = 10


def pg_tool(name: str) -> str:
    """A PostgreSQL tool: on the PATH, or in Debian's versioned folder (pg_amcheck is only
    there)."""
    found = (
        shutil.which(name) or (sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [""])[-1]
    )
    if not found:
        raise RuntimeError(f"{name} not found: apt-get install -y postgresql")
    return found


@dataclass
class Figures:
    database: str
    kills: int = 0
    acknowledged_chapters: int = 0
    acknowledged_comments: int = 0
    lost: list[str] = field(default_factory=list)
    integrity_failures: list[str] = field(default_factory=list)
    full_kills: int = 0
    unanswered: int = 0  # requests cut off by a kill (never acknowledged, never counted)
    seconds: float = 0.0

    @property
    def acknowledged(self) -> int:
        return self.acknowledged_chapters + self.acknowledged_comments

    def summary(self) -> str:
        return (
            f"{self.database}: {self.kills} kills ({self.full_kills} of the whole server), "
            f"{self.acknowledged} acknowledged writes "
            f"({self.acknowledged_chapters} chapters, {self.acknowledged_comments} comments), "
            f"{len(self.lost)} lost, {len(self.integrity_failures)} integrity failures, "
            f"{self.unanswered} requests cut off by kills, {self.seconds:.0f} s"
        )


class Drill:
    def __init__(self, database: str, kills: int):
        self.database = database
        self.kills = kills
        self.tmp = Path(tempfile.mkdtemp(prefix="ficshelf-crash-"))
        self.port = free_port()
        self.pg_name = f"ficshelf_crash_{os.getpid()}_{secrets.token_hex(3)}"
        self.figures = Figures(database)
        self.lock = threading.Lock()
        self.acknowledged: list[tuple[str, str]] = []  # (kind, marker)
        self.server: subprocess.Popen | None = None
        self.env = self._env()

    # --- set-up ------------------------------------------------------------------------------
    def _env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FICSHELF_", "DATABASE"))}
        if self.database == "sqlite":
            url = f"sqlite:///{self.tmp / 'var' / 'ficshelf.sqlite3'}"
        else:
            url = f"postgres://postgres@127.0.0.1:5432/{self.pg_name}"
        env.update(
            DATABASE_URL=url,
            FICSHELF_SECRET_KEY=secrets.token_urlsafe(50),
            FICSHELF_DEBUG="0",
            FICSHELF_VAR_DIR=str(self.tmp / "var"),
            FICSHELF_ALLOWED_HOSTS="127.0.0.1,localhost",
            FICSHELF_TASK_BACKEND="database",  # queued, as in production
            PORT=str(self.port),
            HOST="127.0.0.1",
            WORKERS="1",
            # Preloaded, the master forks a new worker in a moment after each worker kill.
            GUNICORN_CMD_ARGS="--threads 4 --preload",
            PYTHONUNBUFFERED="1",
        )
        return env

    def manage(self, *args: str, timeout=300) -> str:
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

    def set_up(self) -> dict:
        if self.database == "postgresql":
            self._psql("postgres", f'CREATE DATABASE "{self.pg_name}"')
        self.manage("migrate", "--no-input", "--verbosity", "0")
        code = f"""
import datetime, json
from django.utils import timezone
from ficshelf.accounts.services import sign_up
from ficshelf.works import services
writers = []
for n in range({WRITERS}):
    user = sign_up(username=f"crashwriter{{n}}", email=f"crash{{n}}@example.org",
                   password={PASSWORD!r})
    # Old enough for an established account's comment allowance.
    type(user).objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - datetime.timedelta(days=30))
    work = services.create_work(
        creators=[user.default_pseud],
        metadata=services.WorkMetadata(title=f"Crash work {{n}}", fandoms=["Crash drill"],
            warnings=["No Archive Warnings Apply"], summary="A work for the crash drill."),
        chapter=services.ChapterContent(text="<p>The first chapter of the crash drill.</p>"),
    )
    writers.append({{"username": user.username, "work": work.pk}})
print("CRASH" + json.dumps(writers))
"""
        return json.loads(self.manage("shell", "-c", code).split("CRASH", 1)[1])

    def _psql(self, database: str, sql: str) -> str:
        result = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tA", "-c", sql],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode:
            raise RuntimeError(f"psql failed: {result.stderr}")
        return result.stdout

    # --- the server --------------------------------------------------------------------------
    def start_server(self) -> None:
        log = open(self.tmp / "server.log", "ab")
        self.server = subprocess.Popen(
            [str(GUNICORN), "-c", "ficshelf/gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = request(self.port, "GET", "/health", {})
                if status == 200:
                    return
            except OSError:
                pass
            if self.server.poll() is not None:
                raise RuntimeError("the server stopped at start:\n" + self.log_tail())
            time.sleep(0.05)
        raise RuntimeError("the server did not answer in 60 s:\n" + self.log_tail())

    def worker_pids(self) -> list[int]:
        assert self.server is not None
        path = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def kill_server(self) -> None:
        assert self.server is not None
        os.killpg(self.server.pid, signal.SIGKILL)  # the master and its worker, mid-request
        self.server.wait(timeout=30)
        self.figures.kills += 1
        self.figures.full_kills += 1

    def kill_worker(self) -> None:
        """SIGKILL the worker mid-request; returns when its successor answers."""
        old = self.worker_pids()
        for pid in old:
            os.kill(pid, signal.SIGKILL)
        self.figures.kills += 1
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            current = self.worker_pids()
            if current and not set(current) & set(old):
                try:
                    if request(self.port, "GET", "/health", {})[0] == 200:
                        return
                except OSError:
                    pass
            time.sleep(0.02)
        raise RuntimeError("no new worker answered in 60 s:\n" + self.log_tail())

    def log_tail(self) -> str:
        path = self.tmp / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    # --- writers -----------------------------------------------------------------------------
    def writer(self, account: dict, stop: threading.Event) -> None:
        # The session outlives kills (it is in the database): one log-in per writer.
        cookies: dict = account.setdefault("cookies", {})
        count = account.get("count", 0)
        while not stop.is_set():
            try:
                if "sessionid" not in cookies and not self.log_in(account, cookies):
                    continue
                count += 1
                account["count"] = count
                if count % 2:
                    self.post_chapter(account, cookies, count)
                else:
                    self.post_comment(account, cookies, count)
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.figures.unanswered += 1
                time.sleep(0.02)

    def warm_up(self, account: dict) -> None:
        """A new worker compiles its templates on first use: open the two forms once, so the
        kill lands among writes rather than among first renders."""
        for path in (
            f"/works/{account['work']}/chapters/new",
            f"/works/{account['work']}/comments",
        ):
            request(self.port, "GET", path, dict(account["cookies"]))

    def log_in(self, account: dict, cookies: dict) -> bool:
        status, _, page = request(self.port, "GET", "/users/login", cookies)
        token = csrf_token(page)
        if status != 200 or not token:
            return False
        form = {"csrfmiddlewaretoken": token, "username": account["username"], "password": PASSWORD}
        status, _, _ = request(self.port, "POST", "/users/login", cookies, form)
        return status == 302 and "sessionid" in cookies

    def post_chapter(self, account: dict, cookies: dict, count: int) -> None:
        path = f"/works/{account['work']}/chapters/new"
        status, _, page = request(self.port, "GET", path, cookies)
        token = csrf_token(page)
        if status != 200 or not token:
            return
        marker = f"crashchapter{secrets.token_hex(8)}"
        form = {
            "csrfmiddlewaretoken": token,
            "title": f"Crash chapter {count}",
            "text_format": "html",
            "text": f"<p>Written before a kill: {marker}.</p>",
            "base_revision": "",
            "post": "Post",
        }
        status, _, _ = request(self.port, "POST", path, cookies, form)
        if status == 302:  # acknowledged: the chapter is posted
            with self.lock:
                self.acknowledged.append(("chapter", marker))

    def post_comment(self, account: dict, cookies: dict, count: int) -> None:
        # A comment form sent back within 3 s of its rendering is refused (spam control): each
        # writer keeps one form and sends it again once it is old enough.
        path = f"/works/{account['work']}/comments"
        kept = account.get("comment_form")
        if kept is None:
            status, _, page = request(self.port, "GET", path, cookies)
            form = comment_form(page, path)
            if status != 200 or form is None:
                return
            account["comment_form"] = kept = (time.monotonic(), form)
        if time.monotonic() - kept[0] < 3.5:
            return
        form = dict(kept[1])
        marker = f"crashcomment{secrets.token_hex(8)}"
        form["text"] = f"Comment {count} before a kill: {marker}"
        status, _, _ = request(self.port, "POST", path, cookies, form)
        if status in (302, 303):
            with self.lock:
                self.acknowledged.append(("comment", marker))

    # --- checks ------------------------------------------------------------------------------
    def stored_markers(self) -> set[str]:
        chapters = "SELECT text FROM works_chapter"
        comments = "SELECT text FROM feedback_comment"
        texts: list[str] = []
        if self.database == "sqlite":
            with sqlite3.connect(self.tmp / "var" / "ficshelf.sqlite3") as connection:
                for sql in (chapters, comments):
                    texts += [row[0] for row in connection.execute(sql)]
        else:
            for sql in (chapters, comments):
                texts += self._psql(self.pg_name, sql).splitlines()
        return set(re.findall(r"crash(?:chapter|comment)[0-9a-f]{16}", "\n".join(texts)))

    def check_integrity(self) -> str | None:
        if self.database == "sqlite":
            connection = sqlite3.connect(self.tmp / "var" / "ficshelf.sqlite3")
            try:
                result = connection.execute("PRAGMA integrity_check").fetchall()
                keys = connection.execute("PRAGMA foreign_key_check").fetchall()
            finally:
                connection.close()
            if result != [("ok",)]:
                return f"integrity_check: {result[:5]}"
            if keys:
                return f"foreign_key_check: {keys[:5]}"
            return None
        checked = subprocess.run(
            [
                pg_tool("pg_amcheck"),
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "--install-missing",
                "--heapallindexed",
                self.pg_name,
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if checked.returncode:
            return f"pg_amcheck: {(checked.stdout + checked.stderr)[-1000:]}"
        return None

    def check(self, *, full: bool) -> None:
        # SQLite's check is quick on the drill's small file: after every kill. pg_amcheck
        # (every heap and index) after each full kill and the last one.
        if self.database == "sqlite" or full or self.figures.kills == self.kills:
            problem = self.check_integrity()
            if problem:
                self.figures.integrity_failures.append(problem)
        stored = self.stored_markers()
        with self.lock:
            self.figures.lost = [m for _, m in self.acknowledged if m not in stored]

    # --- the drill ---------------------------------------------------------------------------
    def run(self) -> Figures:
        started = time.monotonic()
        rng = random.Random(2026)
        try:
            accounts = self.set_up()
            # Log in before the kills begin: a log-in (a slow password hash, on purpose) would
            # often be cut off; the sessions then outlive every kill.
            self.start_server()
            for account in accounts:
                account["cookies"] = {}
                if not self.log_in(account, account["cookies"]):
                    raise RuntimeError("a writer could not log in:\n" + self.log_tail())
            for number in range(1, self.kills + 1):
                if self.server is None or self.server.poll() is not None:
                    self.start_server()
                self.warm_up(accounts[0])
                stop = threading.Event()
                writers = [
                    threading.Thread(target=self.writer, args=(account, stop), daemon=True)
                    for account in accounts
                ]
                for thread in writers:
                    thread.start()
                time.sleep(rng.uniform(0.5, 1.5))
                full = number % FULL_KILL_EVERY == 0
                if full:
                    self.kill_server()
                stop.set()
                if not full:
                    self.kill_worker()
                for thread in writers:
                    thread.join(timeout=REQUEST_TIMEOUT + 5)
                self.check(full=full)
            with self.lock:
                self.figures.acknowledged_chapters = sum(
                    1 for kind, _ in self.acknowledged if kind == "chapter"
                )
                self.figures.acknowledged_comments = sum(
                    1 for kind, _ in self.acknowledged if kind == "comment"
                )
        finally:
            if self.server and self.server.poll() is None:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait(timeout=30)
            self.clean_up()
        self.figures.seconds = time.monotonic() - started
        return self.figures

    def clean_up(self) -> None:
        if self.database == "postgresql":
            try:
                self._psql("postgres", f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            except RuntimeError:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)


def comment_form(page: str, action: str) -> dict | None:
    """The fields of the comment form posting to `action`, as the page fills them in."""
    match = re.search(
        r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>(.*?)</form>', page, re.S
    )
    if not match:
        return None
    fields = {}
    for tag in re.findall(r"<input[^>]*>", match.group(1)):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or re.search(r'type="(checkbox|radio|submit)"', tag):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        fields[html.unescape(name.group(1))] = html.unescape(value.group(1)) if value else ""
    for name, options in re.findall(
        r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', match.group(1), re.S
    ):
        chosen = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', options) or re.search(
            r'<option[^>]*value="([^"]*)"', options
        )
        fields[name] = html.unescape(chosen.group(1)) if chosen else ""
    return fields


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args(argv)
    figures = Drill(args.database, args.kills).run()
    print(figures.summary())
    for marker in figures.lost[:20]:
        print("lost:", marker)
    for problem in figures.integrity_failures[:20]:
        print("integrity:", problem)
    return 0 if not figures.lost and not figures.integrity_failures else 1


if __name__ == "__main__":
    sys.exit(main())
