"""Gunicorn's settings for Ficshelf: `gunicorn -c ficshelf/gunicorn.conf.py ficshelf.wsgi`.

For an archive that keeps gunicorn (`make serve` runs Granian: ficshelf/server.py), and for the
crash drill. Flags on the command line (`--bind`, `--workers`) and
`GUNICORN_CMD_ARGS` override what is set here; `docs/running.md` ("Production server") says more.
"""

import os
import signal

from ficshelf.server import cpu_limit


def default_workers(cpus: int) -> int:
    """Gunicorn's rule, two workers a CPU plus one: while one waits on the database, another
    renders. Workers are processes, so each CPU is used whatever the GIL does."""
    return 2 * cpus + 1


wsgi_app = "ficshelf.wsgi:application"
bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]
workers = int(os.environ.get("WORKERS") or default_workers(cpu_limit()))
# Threaded workers (gthread): a few requests at a time a process, and HTTP keep-alive, which
# sync workers lack: a client (or nginx with `keepalive` upstream) reuses its connection instead
# of opening one a page (docs/decisions.md has the measurements). Django's database connections
# are per thread, kept open (CONN_MAX_AGE). Put a buffering proxy (nginx) in front, so a slow
# client never holds a thread while its request trickles in.
worker_class = "gthread"
threads = int(os.environ.get("THREADS") or 4)
# A chapter check or a long import may take a while; a stuck worker is still restarted.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Replace each worker after many requests, so memory a library keeps cannot grow for ever. Not
# too often: a new worker spends about 2 s of CPU starting Django and begins with an empty local
# cache, and a cached page takes about a millisecond, so 5,000 meant a restart every few seconds
# under load. The jitter is wide (up to half again) because evenly loaded workers otherwise
# reach the limit together: the scale-out drill saw both workers of one server restart in the
# same second and nothing answer for 8 s.
max_requests = 50_000
max_requests_jitter = 25_000
# X-Forwarded-Proto (so Django knows a request came over HTTPS) is trusted from a proxy on this
# host only, gunicorn's default; FORWARDED_ALLOW_IPS=10.0.0.5 for a proxy elsewhere.
accesslog = "-"
errorlog = "-"
# Leave the Python warnings and Django's logs on stderr, where `make serve` shows them.
capture_output = False
proc_name = "ficshelf"
# Gunicorn's control socket lives at one path per user, which two servers on one machine would
# share; signals do the same work (HUP reloads, TTIN/TTOU add or remove a worker).
control_socket_disable = True


# Ctrl-C stops gracefully, like SIGTERM: requests in progress are finished (gunicorn's own
# reading of SIGINT cuts them off), as the task worker beside it finishes its task.
def when_ready(server):
    server.handle_int = server.handle_term


def post_worker_init(worker):
    signal.signal(signal.SIGINT, worker.handle_exit)
