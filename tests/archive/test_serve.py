"""The production server: gunicorn with ficshelf/gunicorn.conf.py, as `make serve` runs it."""

import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

CONFIG = settings.BASE_DIR / "ficshelf" / "gunicorn.conf.py"
BIN = Path(sys.executable).parent


def load_config(monkeypatch, **environ):
    for name in ("HOST", "PORT", "WORKERS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_the_server_runs_two_workers_a_cpu_plus_one_by_default(monkeypatch):
    config = load_config(monkeypatch)
    assert config["default_workers"](1) == 3
    assert config["default_workers"](4) == 9
    assert config["workers"] == 2 * config["cpu_limit"]() + 1
    assert 1 <= config["cpu_limit"]() <= (os.cpu_count() or 1)
    assert config["bind"] == ["127.0.0.1:8000"]


def test_workers_host_and_port_come_from_the_environment(monkeypatch):
    config = load_config(monkeypatch, WORKERS="3", HOST="0.0.0.0", PORT="8234")  # noqa: S104
    assert config["workers"] == 3
    assert config["bind"] == ["0.0.0.0:8234"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (local)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def test_gunicorn_serves_the_archive_with_debug_off_and_stops_on_sigterm(tmp_path):
    """A fresh SQLite archive of its own (never the test database), one worker."""
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "CACHE_URL", "DATABASE_REPLICA_URLS"}
    }
    environ |= {
        "FICSHELF_VAR_DIR": str(tmp_path),
        "FICSHELF_DEBUG": "0",
        "FICSHELF_SECRET_KEY": "test-serve-secret-key",
        "FICSHELF_TASK_BACKEND": "immediate",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run(  # noqa: S603 (our own command line)
            manage + command, cwd=settings.BASE_DIR, env=environ, check=True, capture_output=True
        )
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        [BIN / "gunicorn", "--config", CONFIG, "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=settings.BASE_DIR,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(150):
            try:
                status, body = _get(f"http://127.0.0.1:{port}/ready")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200, body
        assert b'"status": "ready"' in body
        status, body = _get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert b"Ficshelf" in body
        status, body = _get(f"http://127.0.0.1:{port}/no-such-page")
        assert status == 404
        assert b"Traceback" not in body and b"URLconf" not in body  # DEBUG is off
        status, body = _get(f"http://127.0.0.1:{port}/static/css/ficshelf.css")
        assert status == 200
        workers = _children(server.pid)
        assert len(workers) == 1
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            returncode = server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert returncode == 0, server.stderr.read().decode()
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
