"""The production server: Granian with ficshelf/server.py's settings, as `make serve` runs it."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings

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
    assert args[-1] == "ficshelf.wsgi:application"


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
