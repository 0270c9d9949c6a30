"""The database going away mid-request: a clean 503 with Retry-After, and the reserved unit of
quota given back (extraction_run releases it on a fresh connection)."""

import logging
from http import HTTPStatus

import pytest
from django.db import InterfaceError, OperationalError, connection

from billing.quota import usage_snapshot
from extraction.models import Extraction

pytestmark = pytest.mark.django_db

NOTE = "CC: follow-up, Jane Roe. Essential hypertension. Total time spent 32 minutes."
DRIVER_MESSAGE = "server closed the connection unexpectedly: Jane Roe"


def used(organization) -> int:
    return usage_snapshot(organization=organization).used


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_connection_lost_while_storing_is_503_and_counts_nothing(
    extract, pro_organization, monkeypatch, caplog, error
):
    from extraction import services

    store = services._store

    def store_fails_once(**kwargs):
        if not kwargs.get("error_code"):
            raise error(DRIVER_MESSAGE)
        return store(**kwargs)

    monkeypatch.setattr(services, "_store", store_fails_once)
    caplog.set_level(logging.INFO)
    response = extract(NOTE)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["error"] == "service_unavailable"
    assert set(response.json()) == {"error", "message"}
    assert int(response["Retry-After"]) > 0
    assert used(pro_organization) == 0
    assert not Extraction.objects.filter(status="succeeded").exists()
    failed = Extraction.objects.get(organization=pro_organization)
    assert failed.error_code == "service_unavailable"
    assert error.__name__ in caplog.text
    assert "Jane Roe" not in caplog.text  # the type is logged, never the driver's message


def test_a_release_the_request_cannot_make_is_left_to_the_worker(
    extract, pro_organization, monkeypatch, caplog
):
    """Database still away when the request gives its unit back: the client gets the 503 of
    the first failure, and a worker task releases the unit once the database answers (eager
    here: it runs at once, against the database that is back)."""
    from extraction import services

    def down(*args, **kwargs):
        raise OperationalError(DRIVER_MESSAGE)

    monkeypatch.setattr(services, "_store", down)
    monkeypatch.setattr(services, "quota_release", down)
    caplog.set_level(logging.INFO)
    response = extract(NOTE)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["error"] == "service_unavailable"
    assert "quota unit release left to the worker: OperationalError" in caplog.text
    assert used(pro_organization) == 0
    assert "Jane Roe" not in caplog.text


def test_with_the_broker_down_too_the_kept_unit_is_logged(
    extract, pro_organization, monkeypatch, caplog
):
    from extraction import services

    def down(*args, **kwargs):
        raise OperationalError(DRIVER_MESSAGE)

    monkeypatch.setattr(services, "_store", down)
    monkeypatch.setattr(services, "quota_release", down)
    monkeypatch.setattr(services, "enqueue", lambda *args: False)
    caplog.set_level(logging.INFO)

    assert extract(NOTE).status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "quota unit release lost, the broker is away too" in caplog.text
    assert used(pro_organization) == 1


def test_database_down_at_authentication_is_503_json(api_client, monkeypatch):
    def down(self, request):
        raise OperationalError(DRIVER_MESSAGE)

    monkeypatch.setattr("accounts.authentication.ApiKeyAuthentication.authenticate", down)
    # Raised from DRF's handler, not the middleware's fallback: the view answers it itself.
    monkeypatch.setattr("claimlens.errors.service_unavailable", None)
    response = api_client.post("/api/v1/extract", {"note": NOTE}, format="json")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["error"] == "service_unavailable"
    assert response["Content-Type"] == "application/json"
    assert "X-RateLimit-Limit" not in response


def test_workspace_page_answers_a_plain_503(client, user, monkeypatch):
    client.force_login(user)

    def down(**kwargs):
        raise OperationalError(DRIVER_MESSAGE)

    monkeypatch.setattr("extraction.views.extraction_run", down)
    form = {
        "note": NOTE,
        "payer": "medicare",
        "patient_type": "established",
        "visit_type": "office",
        "specialty": "family_medicine",
        "phi_scrub": "on",
    }
    response = client.post("/extract/", form)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Content-Type"].startswith("text/html")
    assert int(response["Retry-After"]) > 0
    assert "briefly unavailable" in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
def test_backend_terminated_mid_request_on_postgresql(extract, pro_organization, monkeypatch):
    """A real lost connection: the server ends this request's backend after the quota UPDATE
    (what a PostgreSQL restart does), so storing fails; the unit is released on a new
    connection and the next request works."""
    import psycopg

    from extraction import services

    database = connection.settings_dict
    scrub = services.scrub_note

    def scrub_then_lose_the_connection(note):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        with psycopg.connect(
            host=database["HOST"] or "127.0.0.1",
            port=database["PORT"] or 5432,
            user=database["USER"],
            password=database["PASSWORD"] or None,
            dbname=database["NAME"],
            autocommit=True,
        ) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        return scrub(note)

    monkeypatch.setattr(services, "scrub_note", scrub_then_lose_the_connection)
    response = extract(NOTE)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["error"] == "service_unavailable"
    assert used(pro_organization) == 0
    assert not Extraction.objects.filter(status="succeeded").exists()

    monkeypatch.undo()
    assert extract(NOTE).status_code == HTTPStatus.OK
    assert used(pro_organization) == 1
