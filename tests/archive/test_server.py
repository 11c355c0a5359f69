"""The production server: Granian with ficshelf/server.py's settings, as `make serve` runs it."""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings

from benchmarks.scaleout_drill import nginx_conf
from ficshelf import server
from tests.archive.test_serve import _children, _free_port, _get


def test_one_worker_a_cpu_four_threads_each_no_access_log_and_the_address_from_the_environment():
    args = server.granian_args({})
    assert args[args.index("--workers") + 1] == str(server.cpu_limit())
    assert args[args.index("--blocking-threads") + 1] == "4"
    assert args[args.index("--host") + 1] == "127.0.0.1" and "--access-log" not in args
    args = server.granian_args({"WORKERS": "3", "HOST": "0.0.0.0", "PORT": "8234"})  # noqa: S104
    assert args[args.index("--workers") + 1] == "3"
    at = args.index("--host")
    assert args[at + 1 : at + 4] == ["0.0.0.0", "--port", "8234"]  # noqa: S104
    assert "--access-log" in server.granian_args({"FICSHELF_ACCESS_LOG": "1"})
    assert args[-2:] == ["--factory", "ficshelf.server:warmed_application"]


def test_each_worker_gets_the_archive_with_its_urls_loaded_before_the_first_request():
    from django.urls import clear_url_caches, get_resolver

    from ficshelf.wsgi import application

    clear_url_caches()
    assert "url_patterns" not in get_resolver().__dict__
    assert server.warmed_application() is application
    assert "url_patterns" in get_resolver().__dict__  # imported, not waiting for a request


def _wait_ready(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _ = _get(f"http://127.0.0.1:{port}/ready")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"nothing ready on {port}")


def test_granian_serves_the_archive_reloads_on_hup_and_stops_on_sigterm(tmp_path):
    """A fresh SQLite archive of its own (never the test database), one worker."""
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "CACHE_URL", "DATABASE_REPLICA_URLS"}
    }
    port = _free_port()
    environ |= {
        "FICSHELF_VAR_DIR": str(tmp_path),
        "FICSHELF_DEBUG": "0",
        "FICSHELF_SECRET_KEY": "test-serve-secret-key",
        "FICSHELF_TASK_BACKEND": "immediate",
        "WORKERS": "1",
        "PORT": str(port),
        "RESPAWN_SECONDS": "1",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run(  # noqa: S603 (our own command line)
            manage + command, cwd=settings.BASE_DIR, env=environ, check=True, capture_output=True
        )
    process = subprocess.Popen(  # noqa: S603 (our own command line)
        [sys.executable, "-m", "ficshelf.server"],
        cwd=settings.BASE_DIR,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_ready(port)
        status, body = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and b"Ficshelf" in body
        status, body = _get(f"http://127.0.0.1:{port}/no-such-page")
        assert status == 404
        assert b"Traceback" not in body and b"URLconf" not in body  # DEBUG is off
        status, _ = _get(f"http://127.0.0.1:{port}/static/css/ficshelf.css")
        assert status == 200
        before = _children(process.pid)
        assert len(before) == 1
        process.send_signal(signal.SIGHUP)  # a new worker, then the old one stopped
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            after = _children(process.pid)
            if len(after) == 1 and after != before:
                break
            time.sleep(0.2)
        assert len(after) == 1 and after != before
        _wait_ready(port)
        assert _get(f"http://127.0.0.1:{port}/")[0] == 200
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            returncode = process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert returncode == 0, process.stderr.read().decode()
    assert not any(os.path.exists(f"/proc/{pid}") for pid in after)


def _nginx_block(text: str, opening: str) -> list[str]:
    """The directives of the block that starts with `opening`, comments and nested blocks out."""
    body = text[text.index(opening) + len(opening) :]
    directives, depth = [], 0
    for line in body.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.endswith("{"):
            depth += 1
        elif line == "}":
            if depth == 0:
                return directives
            depth -= 1
        elif line and depth == 0:
            directives.append(" ".join(line.split()))
    raise AssertionError(f"{opening!r} is not closed")


def _docs_nginx() -> str:
    text = (settings.BASE_DIR / "docs" / "running.md").read_text()
    start = text.index("### nginx in front of two app servers")
    return text[start : text.index("```\n", text.index("```nginx", start) + 8)]


def test_the_drill_runs_nginx_as_the_docs_configure_it(tmp_path):
    drill = nginx_conf(tmp_path, dict.fromkeys(("app1", "app2", "nginx"), 8000))
    for opening in ("upstream ficshelf {", "location / {"):
        documented = _nginx_block(_docs_nginx(), opening)
        run = _nginx_block(drill, opening)
        assert documented, opening
        for directive in documented:
            if directive.startswith(("server ", "proxy_set_header Host")):
                continue  # the addresses; the drill keeps the port in Host for Django's check
            assert directive in run, directive


def test_nginx_drops_idle_upstream_connections_before_granian_closes_them():
    """Else nginx may send a request on a connection Granian is closing: a POST gets a 502."""
    upstream = _nginx_block(_docs_nginx(), "upstream ficshelf {")
    (timeout,) = [d for d in upstream if d.startswith("keepalive_timeout ")]
    seconds = int(timeout.removeprefix("keepalive_timeout ").removesuffix("s;"))
    args = server.granian_args({})
    granian_ms = int(args[args.index("--http1-header-read-timeout") + 1])
    assert seconds * 1000 < granian_ms
    # A silent machine is left soon, and only a request nothing answered goes to the next one.
    location = _nginx_block(_docs_nginx(), "location / {")
    assert "proxy_connect_timeout 2s;" in location
    assert not any("non_idempotent" in d for d in location)


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_drills_configuration(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_conf(tmp_path, {"app1": 8001, "app2": 8002, "nginx": _free_port()}))
    result = subprocess.run(  # noqa: S603 (nginx's own check of a file we wrote)
        [shutil.which("nginx"), "-t", "-p", str(tmp_path), "-c", str(conf)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
