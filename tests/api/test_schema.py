"""Schemathesis drives every operation of the served OpenAPI document with generated input
(against the Django WSGI app, in the test's database): no answer is a server error, and every
documented answer matches its schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from ficshelf.accounts.ratelimits import Limit
from ficshelf.api import access
from ficshelf.series.services import add_work_to_series, create_series
from tests.factories import make_work

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def archive(author, monkeypatch):
    """A few works (a draft, an adult one, a tagged one) and a series to find; no rate limit."""
    monkeypatch.setattr(access, "READ_LIMIT", Limit(count=10**6, seconds=60))
    monkeypatch.setattr(access, "WRITE_LIMIT", Limit(count=10**6, seconds=60))
    posted = make_work(author, relationships=["A/B"], freeforms=["Fluff"], chapters=2)
    make_work(author, post=False)
    make_work(author, rating="explicit")
    series = create_series(creator=author, title="Saga", user=author)
    add_work_to_series(series=series, work=posted, user=author)


@pytest.fixture
def connection_kept():
    """As Django's test client does: a request must not close the test's database connection
    (its transaction holds the test's data)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_fails(case, connection_kept, archive, author_token):
    case.call_and_validate(
        # The WSGI client does not gunzip what GZipMiddleware compresses.
        headers={"Authorization": f"Bearer {author_token}", "Accept-Encoding": "identity"},
        checks=[not_a_server_error, response_schema_conformance],
    )


@schema.include(method="GET").parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_read_fails_for_a_guest(case, connection_kept, archive):
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"},
        checks=[not_a_server_error, response_schema_conformance],
    )
