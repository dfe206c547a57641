"""The API keeps the contract its schema states, for every operation and every role.

Schemathesis reads the live schema (``/api/schema/``) and sends each operation a bounded,
deterministic set of generated requests, valid and invalid, as each demo account and
anonymously, then the edges of every parameter and field as the administrator. Every answer
must be documented for the operation (status code, content type, body), and none may be a
server error. Writes are welcome: each test runs in a transaction that is rolled back.
"""

from io import StringIO

import pytest
import schemathesis
from django.conf import settings
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# The demo accounts: one of each role.
ROLES = ["anonymous", "admin", "reviewer", "kadis.gumas", "opd.kominfo"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

app = get_wsgi_application()


@pytest.fixture
def keep_connection():
    """Requests go through the real WSGI handler, which closes the database connection after
    each one (``close_old_connections``) — and with it the test's transaction. Django's own test
    client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it; each test's own
    transaction (``db``) rolls back what that test changed."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        client = Client()
        tokens = {}
        for username in ROLES[1:]:
            response = client.post(
                "/api/v1/auth/token/",
                {"username": username, "password": settings.DEMO_PASSWORD},
            )
            tokens[username] = response.json()["token"]
        yield tokens
        transaction.set_rollback(True)


def load_schema(*, phases, max_examples=None):
    """The live schema, read once when the tests are collected (it needs no database), with
    bounded and reproducible generation: no example database, a fixed seed, no shrinking."""
    loaded = schemathesis.openapi.from_wsgi("/api/schema/", app)
    loaded.config.generation.update(
        max_examples=max_examples, deterministic=True, no_shrink=True, database="none"
    )
    loaded.config.phases.update(phases=phases)
    return loaded


# Generated requests, valid and invalid, as every role.
fuzzing = load_schema(phases=["examples", "fuzzing"], max_examples=6)
# The edges of every parameter and field (limits, wrong types, missing and unknown values,
# methods an endpoint does not take): many requests per operation, so as the one role that
# may do everything. Not the PUT of an application: its twenty fields are the same as those of
# its POST and PATCH, and their edges would add most of a minute.
edges = load_schema(phases=["coverage"]).exclude(method="PUT", path="/api/v1/applications/{id}/")


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


HYPOTHESIS = hypothesis_settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        # Each test runs in one transaction on purpose (see `demo`).
        HealthCheck.function_scoped_fixture,
    ],
)


def call_as(case, role, tokens):
    headers = {} if role == "anonymous" else {"Authorization": f"Token {tokens[role]}"}
    case.call_and_validate(headers=headers, checks=CHECKS)


@fuzzing.parametrize()
@HYPOTHESIS
def test_every_answer_is_documented_and_none_is_a_server_error(
    case, role, demo, db, keep_connection
):
    call_as(case, role, demo)


@edges.parametrize()
@HYPOTHESIS
def test_the_edges_of_every_parameter_are_answered_as_documented(case, demo, db, keep_connection):
    call_as(case, "admin", demo)
