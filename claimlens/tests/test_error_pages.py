"""Error pages outside DRF: a database error raised by a middleware is a 503, not a 500."""

from http import HTTPStatus

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from claimlens.errors import json_or_html_500


def handle_while_raising(path: str, error: Exception):
    """Call the 500 handler the way Django does: inside the except block of the failure."""
    request = RequestFactory().get(path)
    try:
        raise error
    except type(error):
        return json_or_html_500(request)


@pytest.mark.parametrize(
    ("path", "content_type"), [("/api/v1/usage", "application/json"), ("/history/", "text/html")]
)
def test_database_error_outside_a_view_is_503(path, content_type):
    response = handle_while_raising(path, OperationalError("the database system is starting up"))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Content-Type"].startswith(content_type)
    assert int(response["Retry-After"]) > 0


def test_other_errors_stay_500():
    response = handle_while_raising("/api/v1/usage", RuntimeError("boom"))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert b'"internal_error"' in response.content
