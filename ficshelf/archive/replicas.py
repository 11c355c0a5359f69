"""Reads from PostgreSQL replicas, writes to the primary, and each browser reads its own writes.

`settings.DATABASE_REPLICAS` names the replicas (from DATABASE_REPLICA_URLS; none by default,
and then nothing here changes anything). Only a web request with a safe method (GET, HEAD) may
read from one, as ReadYourWritesMiddleware allows: after a successful POST (or PUT, PATCH,
DELETE) the browser gets a signed cookie, and its requests read from the primary for
READ_PRIMARY_AFTER_WRITE seconds. Everything else uses the primary: writes, reads inside a
transaction, management commands and the task worker (a task re-reads rows that were written
a moment ago). A replica that refuses a connection is skipped for REPLICA_RETRY_AFTER seconds,
one further behind than REPLICA_MAX_LAG seconds until it catches up; with none left, the
primary answers. A replica that goes away in the middle of a safe request is marked down too,
and the request is answered again from the primary.
"""

import contextlib
import contextvars
import logging
import math
import random
import sys
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DEFAULT_DB_ALIAS, Error, InterfaceError, OperationalError, connections
from django.dispatch import receiver

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
WROTE_COOKIE = "ficshelf_wrote"
_COOKIE_SALT = "ficshelf.archive.replicas"
# How long this process trusts a replica's measured lag before asking again.
LAG_CHECK_EVERY = 5.0
# How far behind the primary a replica is, in seconds: 0 when it has replayed all it has
# received and its WAL receiver runs (an idle primary sends nothing new), else the age of the
# last transaction it replayed. The receiver's status is hidden from a role without
# pg_read_all_stats; then a running receiver is taken to be streaming.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
        AND EXISTS (
            SELECT 1 FROM pg_stat_wal_receiver WHERE status IS NULL OR status = 'streaming'
        ) THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


class _ReplicaReads:
    """A block whose reads may use a replica: the first read picks one, the rest keep it, so a
    page never mixes two replicas' views of the archive. `failed` is set when the replica
    stopped answering during the block."""

    alias: str | None = None
    failed: bool = False


_replica_reads: contextvars.ContextVar[_ReplicaReads | None] = contextvars.ContextVar(
    "replica_reads", default=None
)


@contextlib.contextmanager
def replica_reads(allowed: bool = True):
    """Within this block, reads outside a transaction may go to a replica (if `allowed`)."""
    reads = _ReplicaReads() if allowed else None
    token = _replica_reads.set(reads)
    try:
        yield reads
    finally:
        _replica_reads.reset(token)


@receiver(got_request_exception, dispatch_uid="archive.replicas.request_failed")
def _request_failed(**kwargs):
    """A request failed with a database error while it read from a replica (which went away,
    or cancelled a query in conflict with recovery): the request is asked again of the
    primary, and a replica that no longer answers is skipped for REPLICA_RETRY_AFTER."""
    reads = _replica_reads.get()
    error = sys.exc_info()[1]
    if reads is None or reads.alias in (None, DEFAULT_DB_ALIAS) or reads.failed:
        return
    if isinstance(error, OperationalError | InterfaceError):
        reads.failed = True
        if not _answers(reads.alias):
            _mark_down(reads.alias, error)


def _answers(alias: str) -> bool:
    connection = connections[alias]
    try:
        return connection.connection is not None and connection.is_usable()
    except Error:
        return False


def _close_quietly(alias: str) -> None:
    try:
        connections[alias].close()
    except Error:
        pass  # it is gone already


# What this process knows of each replica (monotonic clock): skipped until, lag measured at.
_down_until: dict[str, float] = {}
_lag_checked: dict[str, tuple[float, bool]] = {}


def replica_status(alias: str) -> str:
    """The replica's state: ok, down (refused a connection lately) or lagging."""
    now = time.monotonic()
    if _down_until.get(alias, 0.0) > now:
        return "down"
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except Error as error:
        _mark_down(alias, error)
        return "down"
    lag_checked = settings.REPLICA_MAX_LAG and connection.vendor == "postgresql"
    if lag_checked and not _keeps_up(alias, now):
        return "lagging"
    return "ok"


def _mark_down(alias: str, error: Exception) -> None:
    _down_until[alias] = time.monotonic() + settings.REPLICA_RETRY_AFTER
    logger.warning(
        "Database replica %s is unreachable (%s): reading from the primary for %ss",
        alias,
        str(error).strip(),
        settings.REPLICA_RETRY_AFTER,
    )


def _keeps_up(alias: str, now: float) -> bool:
    checked = _lag_checked.get(alias)
    if checked and now - checked[0] < LAG_CHECK_EVERY:
        return checked[1]
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            lag = float(cursor.fetchone()[0])
    except Error as error:
        _mark_down(alias, error)
        return False
    keeps_up = lag <= settings.REPLICA_MAX_LAG
    if not keeps_up:
        logger.warning("Database replica %s is %.1fs behind: reading from the primary", alias, lag)
    _lag_checked[alias] = (now, keeps_up)
    return keeps_up


def _choose_replica() -> str:
    replicas = list(settings.DATABASE_REPLICAS)
    random.shuffle(replicas)
    return next((alias for alias in replicas if replica_status(alias) == "ok"), DEFAULT_DB_ALIAS)


class ReplicaRouter:
    """Reads on a replica where `replica_reads` allows it, everything else on the primary."""

    def db_for_read(self, model, **hints):
        if not settings.DATABASE_REPLICAS:
            return None
        reads = _replica_reads.get()
        # Inside a transaction, a read must see what the transaction wrote, and what it reads
        # is usually the basis of a write.
        if reads is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if reads.alias is None:
            reads.alias = _choose_replica()
        return reads.alias

    def db_for_write(self, model, **hints):
        # Explicit, or Django would write a row read from a replica back to that replica.
        return DEFAULT_DB_ALIAS if settings.DATABASE_REPLICAS else None

    def allow_relation(self, obj1, obj2, **hints):
        same_data = {DEFAULT_DB_ALIAS, *settings.DATABASE_REPLICAS}
        return True if {obj1._state.db, obj2._state.db} <= same_data else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas copy the primary's schema; migrate never runs on them.
        return False if db in settings.DATABASE_REPLICAS else None


def wrote_lately(request) -> bool:
    """Whether this browser's last successful write is under READ_PRIMARY_AFTER_WRITE old."""
    value = request.get_signed_cookie(WROTE_COOKIE, default=None, salt=_COOKIE_SALT)
    try:
        return time.time() - float(value) < settings.READ_PRIMARY_AFTER_WRITE
    except (TypeError, ValueError):
        return False


class ReadYourWritesMiddleware:
    """Lets safe requests read from replicas, except for a while after the browser wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        safe = request.method in SAFE_METHODS
        with replica_reads(safe and not wrote_lately(request)) as reads:
            response = self.get_response(request)
        if reads is not None and reads.failed:
            # The replica failed after it was chosen (its error page is made and logged, not
            # sent): a safe request is asked again, of the primary.
            response.close()
            _close_quietly(reads.alias)
            with replica_reads(False):
                response = self.get_response(request)
        if not safe and response.status_code < 400:
            # The time the write was made: checked by whichever app server gets the next
            # request; the browser also drops the cookie when it is no longer needed.
            response.set_signed_cookie(
                WROTE_COOKIE,
                f"{time.time():.3f}",
                salt=_COOKIE_SALT,
                max_age=math.ceil(settings.READ_PRIMARY_AFTER_WRITE),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
