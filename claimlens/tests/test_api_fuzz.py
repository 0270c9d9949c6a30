"""Property-based fuzzing of every API operation from its own OpenAPI schema (schemathesis).

Whatever the generated input, the API answers with a documented status, never a 5xx, and
every response matches the schema it publishes.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from claimlens.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema?format=json", application)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_transaction_open():
    """Call the WSGI app as Django's test client does: without closing the DB connection at the
    end of each request, which would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_fails_on_generated_input(case, api_key):
    # Unknown query parameters are ignored, as most APIs do, so requests that only add one are
    # accepted: the negative-data rejection check would call that a failure.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_key}"},
        excluded_checks=[schemathesis.checks.negative_data_rejection],
    )
