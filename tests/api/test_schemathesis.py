"""Schemathesis over the WHOLE brand API (every app's routes, as /api/schema/ publishes them),
in-process through the Django WSGI app, on a test brand's host, as an authenticated coordinator
(API token). The property checked: no input the schema allows makes the server answer 5xx.

Operations are driven one by one with Hypothesis inside a single test (schemathesis'
`from_fixture` relies on a pytest internal that pytest 9 removed). Each example runs in a savepoint
that is rolled back, so examples cannot disturb each other.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

BASE_URL = "http://alpha.localhost"
EXAMPLES_PER_OPERATION = 6


@pytest.fixture
def keep_connection_open():
    """As Django's test client does: keep the test's connection (and its transaction) across the
    WSGI requests."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_brand_api_never_answers_a_server_error(
    brand_a, make_user, in_brand, settings, keep_connection_open
):
    from accounts.services import create_api_token
    from django.db import transaction
    from entraide.wsgi import application

    # geocoding goes to a dead local port: the API must answer its field error, never call out
    settings.GEOCODER_URL = "http://127.0.0.1:9"
    coordinator = make_user(
        brand_a, role="coordinator", email="fuzz@alpha.example", full_name="Fuzz Coord"
    )
    with in_brand(brand_a):
        _token, key = create_api_token(user=coordinator, name="schemathesis")
    headers = {"Authorization": f"Token {key}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/", application, base_url=BASE_URL, headers=headers
    )

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30  # the whole brand API, not a corner of it
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            with transaction.atomic():
                case.call_and_validate(
                    base_url=BASE_URL, headers=headers, checks=[not_a_server_error]
                )
                transaction.set_rollback(True)

        try:
            run()
        except Exception as exc:  # collect them all: one report for the whole API
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:2000]}")
    assert failures == []
