"""Reads from replicas, writes to the primary, and a browser reads its own writes.

A "replica" here is a second connection to the test database: it answers like a replica that
has caught up, so each test shows where the queries went. Transactional tests, so that both
connections see the rows a test makes.
"""

import copy
import time

import pytest
from django.db import OperationalError, connections, transaction
from django.db.utils import load_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ficshelf.accounts.models import User
from ficshelf.archive import replicas
from ficshelf.archive.replicas import WROTE_COOKIE, ReplicaRouter, replica_reads, replica_status
from ficshelf.works.models import Work
from tests.factories import PASSWORD, make_user, make_work

pytestmark = pytest.mark.django_db(transaction=True)

ON_POSTGRESQL = connections["default"].vendor == "postgresql"


@pytest.fixture
def add_replica(settings, monkeypatch):
    """Adds a database alias the router treats as a replica; by default the test database."""
    monkeypatch.setattr(replicas, "_down_until", {})
    monkeypatch.setattr(replicas, "_lag_checked", {})
    settings.DATABASE_REPLICAS = []
    added = []

    def add(alias, **changes):
        # A connection made here, not declared in settings.DATABASES: Django's test case lets
        # such a connection through, as it does one a test creates itself.
        settings_dict = copy.deepcopy(connections["default"].settings_dict) | changes
        backend = load_backend(settings_dict["ENGINE"])
        connections[alias] = backend.DatabaseWrapper(settings_dict, alias)
        settings.DATABASE_REPLICAS = [*settings.DATABASE_REPLICAS, alias]
        added.append(alias)
        return alias

    yield add
    for alias in added:
        connections[alias].close()
        del connections[alias]


def queries_on(alias):
    return CaptureQueriesContext(connections[alias])


def test_without_replicas_the_router_leaves_every_choice_to_django():
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Work) is None
        assert router.db_for_write(Work) is None


def test_a_guest_reads_pages_from_a_replica(client, add_replica):
    make_work(title="Served From A Replica")
    add_replica("replica")
    with queries_on("default") as on_primary, queries_on("replica") as on_replica:
        page = client.get("/")
    assert "Served From A Replica" in page.content.decode()
    assert on_replica.captured_queries
    assert not on_primary.captured_queries


def test_after_a_write_the_browser_reads_from_the_primary_for_a_while(
    client, add_replica, settings
):
    settings.READ_PRIMARY_AFTER_WRITE = 0.5
    make_user("reader")
    add_replica("replica")
    response = client.post("/users/login", {"username": "reader", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[WROTE_COOKIE]["max-age"] == 1
    with queries_on("default") as on_primary, queries_on("replica") as on_replica:
        assert client.get("/").context["user"].username == "reader"
    assert on_primary.captured_queries
    assert not on_replica.captured_queries

    time.sleep(0.6)  # the test client sends the cookie still; the archive reads its time
    with queries_on("default") as on_primary, queries_on("replica") as on_replica:
        assert client.get("/").context["user"].username == "reader"
    assert on_replica.captured_queries
    assert not on_primary.captured_queries


def test_a_refused_write_does_not_send_the_browser_to_the_primary(add_replica):
    make_user("reader")
    add_replica("replica")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/users/login", {"username": "reader", "password": PASSWORD})
    assert response.status_code == 403
    assert WROTE_COOKIE not in response.cookies


def test_a_write_cookie_the_archive_did_not_sign_is_ignored(client, add_replica):
    add_replica("replica")
    client.cookies[WROTE_COOKIE] = f"{time.time():.3f}"
    with queries_on("default") as on_primary:
        client.get("/")
    assert not on_primary.captured_queries


def test_commands_tasks_and_transactions_read_from_the_primary(add_replica):
    work = make_work()
    add_replica("replica")
    # Outside a web request (the task worker, a management command): the primary.
    assert Work.objects.get(pk=work.pk)._state.db == "default"
    with replica_reads():
        assert Work.objects.get(pk=work.pk)._state.db == "replica"
        with transaction.atomic():
            assert Work.objects.get(pk=work.pk)._state.db == "default"


def test_a_row_read_from_a_replica_is_written_to_the_primary(add_replica):
    make_user("reader")
    add_replica("replica")
    with replica_reads():
        reader = User.objects.get(username="reader")
        assert reader._state.db == "replica"
        with queries_on("default") as on_primary, queries_on("replica") as on_replica:
            reader.email = "new@example.org"
            reader.save(update_fields=["email"])
    assert any(query["sql"].startswith("UPDATE") for query in on_primary.captured_queries)
    assert not on_replica.captured_queries


def test_one_request_reads_from_one_replica(add_replica):
    make_work()
    make_work()
    add_replica("replica_a")
    add_replica("replica_b")
    for _ in range(5):
        with replica_reads():
            used = {work._state.db for work in Work.objects.all()}
            used |= {user._state.db for user in User.objects.all()}
        assert used in ({"replica_a"}, {"replica_b"})


def test_migrations_never_run_on_a_replica(add_replica):
    add_replica("replica")
    router = ReplicaRouter()
    assert router.allow_migrate("replica", "works") is False
    assert router.allow_migrate("default", "works") is None


def _refuses_connections_for_a_while(client, caplog):
    make_work(title="Still Served")
    page = client.get("/")
    assert page.status_code == 200
    assert "Still Served" in page.content.decode()
    assert "Database replica replica is unreachable" in caplog.text
    caplog.clear()
    assert client.get("/").status_code == 200
    assert "unreachable" not in caplog.text  # not tried again for REPLICA_RETRY_AFTER
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["replicas"] == {"replica": "down"}


@pytest.mark.skipif(not ON_POSTGRESQL, reason="a replica URL is a PostgreSQL server's")
def test_a_replica_on_a_closed_port_is_skipped_and_the_primary_answers(
    client, add_replica, closed_port, caplog
):
    add_replica("replica", HOST="127.0.0.1", PORT=str(closed_port))
    _refuses_connections_for_a_while(client, caplog)


@pytest.mark.skipif(ON_POSTGRESQL, reason="the PostgreSQL test points a replica at a closed port")
def test_a_replica_that_cannot_be_opened_is_skipped_and_the_primary_answers(
    client, add_replica, tmp_path, caplog
):
    add_replica("replica", NAME=str(tmp_path / "no-such-folder" / "replica.sqlite3"))
    _refuses_connections_for_a_while(client, caplog)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="replication lag is PostgreSQL's")
def test_a_replica_that_lags_behind_is_skipped(client, add_replica, settings, monkeypatch):
    settings.REPLICA_MAX_LAG = 5
    add_replica("replica")
    assert replica_status("replica") == "ok"  # the lag query, on a server that is a primary

    monkeypatch.setattr(replicas, "_lag_checked", {})
    monkeypatch.setattr(replicas, "LAG_SQL", "SELECT 60")  # a minute behind
    with queries_on("default") as on_primary:
        assert client.get("/").status_code == 200
    assert on_primary.captured_queries
    assert client.get("/ready").json()["replicas"] == {"replica": "lagging"}


class _GoesAway:
    """An execute wrapper: the replica stops answering after it was chosen for the request."""

    def __init__(self, alias):
        self.alias, self.failed = alias, 0

    def __call__(self, execute, sql, params, many, context):
        self.failed += 1
        if ON_POSTGRESQL:  # its server goes away: the connection is dead
            with connections["default"].cursor() as cursor:
                pid = context["connection"].connection.info.backend_pid
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            return execute(sql, params, many, context)
        raise OperationalError("server closed the connection unexpectedly")


def test_a_replica_that_goes_away_mid_request_leaves_the_primary_to_answer(
    add_replica, settings, caplog
):
    client = Client(raise_request_exception=False)  # as a server: the failed try is logged
    settings.REPLICA_MAX_LAG = 0  # chosen without a query: the first query is the page's
    work = make_work(title="Answered Anyway")
    add_replica("replica")
    goes_away = _GoesAway("replica")
    with connections["replica"].execute_wrapper(goes_away), queries_on("default") as on_primary:
        page = client.get(f"/works/{work.pk}")
    assert page.status_code == 200 and "Answered Anyway" in page.content.decode()
    assert goes_away.failed == 1  # one query failed, then the primary answered the request
    assert on_primary.captured_queries
    if ON_POSTGRESQL:  # its connection is dead: skipped for a while
        assert "Database replica replica is unreachable" in caplog.text
        assert replica_status("replica") == "down"
