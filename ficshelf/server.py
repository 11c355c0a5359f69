"""The production server: Granian serving `ficshelf.wsgi`, as `make serve` runs it.

    python -m ficshelf.server [any granian option …]

HOST, PORT, WORKERS and THREADS come from the environment; options given on the command line
come last and win (Granian takes the last of a repeated option). `docs/running.md`
("Production server") says more; docs/decisions.md (2026-12-02) says why Granian.
"""

import math
import os
import sys
from pathlib import Path

GRANIAN = Path(sys.executable).with_name("granian")
# Granian closes a keep-alive connection that sends no request for this long (its header read
# timeout, 30 s by default, measured at 29.5 s). A proxy keeping idle connections must drop
# them sooner, or it may send a request on one that is being closed: a GET is retried, a POST
# answered 502 (docs/running.md's nginx has keepalive_timeout 20s).
IDLE_SECONDS = 30


def cpu_limit() -> int:
    """How many CPUs this process may use: its affinity mask, capped by a cgroup v2 CPU quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            cpus = min(cpus, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cpus)


def default_workers(cpus: int) -> int:
    """One worker process a CPU: Granian reads and writes HTTP in Rust threads outside the GIL,
    and each worker's Python threads (THREADS) cover the waits on the database and the cache."""
    return cpus


def granian_args(environ=os.environ) -> list[str]:
    """Granian's command line for this archive, from the environment."""
    workers = int(environ.get("WORKERS") or default_workers(cpu_limit()))
    return [
        "--interface",
        "wsgi",
        "--host",
        environ.get("HOST", "127.0.0.1"),
        "--port",
        environ.get("PORT", "8000"),
        "--workers",
        str(workers),
        # Python threads a worker: while one waits on PostgreSQL or Redis, another runs.
        "--blocking-threads",
        environ.get("THREADS") or "4",
        # HTTP/1.1 with keep-alive (a proxy's `keepalive` upstream reuses its connections).
        "--http",
        "1",
        "--http1-header-read-timeout",
        str(IDLE_SECONDS * 1000),
        "--no-ws",
        # No access log unless FICSHELF_ACCESS_LOG=1: the proxy in front logs every request, and
        # Granian's log line goes through Python's logging, which halved the rate of cached
        # pages (docs/decisions.md, 2026-12-02).
        *(["--access-log"] if environ.get("FICSHELF_ACCESS_LOG", "0") == "1" else []),
        # A worker that dies is replaced; SIGHUP replaces them all, one at a time, each new one
        # started (and given RESPAWN_SECONDS to load Django) before the old one is stopped.
        "--respawn-failed-workers",
        "--respawn-interval",
        environ.get("RESPAWN_SECONDS") or "5",
        # A worker whose memory grew past this is replaced the same way (a library that keeps
        # memory cannot take the machine); one at a time, so they never all restart together.
        "--workers-max-rss",
        environ.get("WORKER_MAX_RSS_MIB") or "1024",
        # Requests in progress get this long to finish when stopping or reloading.
        "--workers-kill-timeout",
        "30",
        # Each worker gets the application from warmed_application, ready before its first
        # request.
        "--factory",
        "ficshelf.server:warmed_application",
    ]


def warmed_application():
    """`ficshelf.wsgi.application`, with what its first request would do once a process done
    before the worker takes any: the URLconf imported (every view module; 1.7 s on the loaded
    machine) and the release digest of the code computed (0.4 s). Granian gives each worker
    its own listening socket, so a cold worker still gets its share of the new connections:
    a worker started by a respawn or a reload would make that share wait."""
    from ficshelf.wsgi import application  # noqa: I001  (first: it sets Django up)
    from django.urls import get_resolver
    from ficshelf.works import pagecache

    get_resolver().url_patterns  # noqa: B018  (the property imports the URLconf)
    pagecache.release()
    return application


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = granian_args()
    # The options given here come after ours, before the application's name.
    args[-1:-1] = argv
    os.execv(GRANIAN, [str(GRANIAN), *args])  # noqa: S606  (our own venv's granian)


if __name__ == "__main__":
    main()
