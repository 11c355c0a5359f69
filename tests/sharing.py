"""Rows built once for a whole class of tests instead of once per test.

`built_once(django_db_blocker)` opens a transaction that stays open for the class: what the
class's fixture builds inside it is seen by each of its tests, which run (pytest-django's `db`)
in a savepoint within it, so what a test writes is undone after that test and what the fixture
built is undone (rolled back, never committed) after the last test of the class. Use it from a
`scope="class"` fixture whose tests only need the rows to exist, and keep those tests in one
class so that no other test runs while the transaction is open."""

from contextlib import contextmanager

from django.db import transaction
from django.test import TestCase
from django.test.utils import override_settings

from tests.conftest import IMMEDIATE_TASKS


@contextmanager
def built_once(django_db_blocker):
    # Function-scoped fixtures (tasks_run_at_once) are not set up yet: the same settings here.
    with django_db_blocker.unblock(), override_settings(TASKS=IMMEDIATE_TASKS):
        with transaction.atomic():
            yield
            transaction.set_rollback(True)


# A class fixture's writes that wait for a commit: run them now, as a `db` test would with
# django_capture_on_commit_callbacks(execute=True).
run_on_commit = TestCase.captureOnCommitCallbacks
