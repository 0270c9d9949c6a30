"""POST /api/v1/extract against the API reference: fields, defaults, aliases, every error."""

import datetime as dt
import logging
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from billing.models import MonthlyUsage
from billing.quota import month_start, usage_snapshot
from billing.services import plan_grant
from extraction.models import Extraction

pytestmark = pytest.mark.django_db

URL = "/api/v1/extract"
NOTE = (
    "CC: follow-up of hypertension. Patient Jane Roe, phone 415-555-0134, seen 03/14/2025.\n"
    "Total time spent 32 minutes on the date of the encounter."
)


def used(organization) -> int:
    return usage_snapshot(organization=organization).used


def test_success_has_the_documented_shape_and_defaults(extract):
    response = extract(NOTE)
    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert set(body) == {"result", "meta"}
    for name in ("em_codes", "icd10_codes", "cpt_codes", "hcpcs_codes", "quality_codes"):
        assert isinstance(body["result"][name], list)
    assert isinstance(body["result"]["optimization_tips"], list)
    assert isinstance(body["result"]["denial_risks"], list)
    meta = body["meta"]
    assert {k: meta[k] for k in ("payer", "patient_type", "visit_type", "specialty")} == {
        "payer": "medicare",
        "patient_type": "established",
        "visit_type": "office",
        "specialty": "family_medicine",
    }
    assert meta["phi_scrubbed"] is True
    assert meta["model"]
    assert meta["engine"] == "rules"
    em = body["result"]["em_codes"][0]
    assert {"code", "descriptor", "justification", "estimated_rvu", "billing_tier"} <= set(em)


@pytest.mark.parametrize(
    ("field", "sent", "echoed"),
    [
        ("payer", "selfpay", "selfpay"),
        ("payer", "self_pay", "selfpay"),
        ("payer", "Medicaid", "medicaid"),
        ("visit_type", "bh", "behavioral"),
        ("visit_type", "ed", "emergency_dept"),
        ("visit_type", "telehealth_bh", "telehealth_bh"),
        ("patient_type", "new", "new"),
        ("specialty", "behavioral_health", "behavioral_health"),
    ],
)
def test_aliases_are_normalised_and_echoed_canonical(extract, field, sent, echoed):
    response = extract(NOTE, **{field: sent})
    assert response.status_code == HTTPStatus.OK
    assert response.json()["meta"][field] == echoed


def test_null_optional_parameter_means_default(extract):
    response = extract(NOTE, payer=None, phi_scrub=None)
    assert response.json()["meta"]["payer"] == "medicare"
    assert response.json()["meta"]["phi_scrubbed"] is True


@pytest.mark.parametrize(
    "body",
    [{}, {"note": None}, {"note": ""}, {"note": "   \n\t "}, {"note": 42}, {"note": ["a"]}],
    ids=["absent", "null", "empty", "whitespace", "number", "list"],
)
def test_missing_note(bearer_client, body, pro_organization):
    response = bearer_client.post(URL, body, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "error": "missing_note",
        "message": "The 'note' field is required and must be a non-empty string.",
    }
    assert used(pro_organization) == 0


def test_note_of_exactly_50000_characters_is_accepted(extract):
    assert extract("a" * 50_000).status_code == HTTPStatus.OK


def test_note_too_long(extract, pro_organization):
    response = extract("a" * 50_001)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "note_too_long"
    assert "50,000" in response.json()["message"]
    assert used(pro_organization) == 0


@pytest.mark.parametrize(
    ("field", "value", "listed"),
    [
        ("payer", "blue_cross", "medicare, medicaid, commercial, selfpay, self_pay"),
        ("patient_type", "returning", "established, new"),
        ("visit_type", "inpatient", "office, telehealth, awv, well_child, behavioral"),
        ("specialty", "cardiology", "family_medicine, internal_medicine, pediatrics"),
        ("payer", 3, "medicare"),
    ],
)
def test_unknown_parameter_values_list_the_allowed_ones(extract, field, value, listed):
    response = extract(NOTE, **{field: value})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert field in body["message"]
    assert listed in body["message"]


@pytest.mark.parametrize("value", ["yes", "true", 1, 0, "false", {}])
def test_non_boolean_phi_scrub(extract, value):
    response = extract(NOTE, phi_scrub=value)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "invalid_parameter"
    assert "phi_scrub" in response.json()["message"]


def test_invalid_json(bearer_client):
    response = bearer_client.generic("POST", URL, "{not json", content_type="application/json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "invalid_json"


def test_json_that_is_not_an_object(bearer_client):
    response = bearer_client.generic("POST", URL, '["note"]', content_type="application/json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "invalid_json"


def test_non_json_body_is_415(bearer_client):
    response = bearer_client.generic("POST", URL, "note=hello", content_type="text/plain")
    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert set(response.json()) == {"error", "message"}


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_other_methods_are_405(bearer_client, method):
    response = getattr(bearer_client, method)(URL)
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json()["error"] == "method_not_allowed"


def test_trailing_slash_also_works(bearer_client):
    response = bearer_client.post(URL + "/", {"note": NOTE}, format="json")
    assert response.status_code == HTTPStatus.OK


def test_unknown_api_path_is_json_404_even_in_debug(bearer_client, settings):
    settings.DEBUG = True
    response = bearer_client.get("/api/v1/does-not-exist")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize("header", [None, "Bearer cl_live_nope", "Bearer sk_live_abc"])
def test_401_invalid_api_key(header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.post(URL, {"note": NOTE}, format="json")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["error"] == "invalid_api_key"


def test_free_plan_is_403_plan_required(organization, make_api_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_api_key(organization)}")
    response = client.post(URL, {"note": NOTE}, format="json")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["error"] == "plan_required"
    assert "/pricing" in response.json()["message"]


def test_quota_exhausted_is_429_with_reset_at_and_retry_after(extract, pro_organization):
    MonthlyUsage.objects.create(organization=pro_organization, period=month_start(), used=1000)
    response = extract(NOTE)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    body = response.json()
    assert body["error"] == "rate_limit_exceeded"
    reset_at = dt.datetime.fromisoformat(body["reset_at"].replace("Z", "+00:00"))
    assert reset_at.day == 1
    assert (reset_at.hour, reset_at.minute, reset_at.second) == (0, 0, 0)
    assert reset_at > dt.datetime.now(dt.UTC)
    assert int(response["Retry-After"]) > 0
    assert response["X-RateLimit-Remaining"] == "0"
    assert used(pro_organization) == 1000


def test_quota_follows_a_plan_upgrade_at_once(extract, pro_organization):
    MonthlyUsage.objects.create(organization=pro_organization, period=month_start(), used=1000)
    assert extract(NOTE).status_code == HTTPStatus.TOO_MANY_REQUESTS
    plan_grant(organization=pro_organization, plan="practice")
    assert extract(NOTE).status_code == HTTPStatus.OK


def test_success_consumes_one_unit_and_sets_rate_limit_headers(extract, pro_organization):
    response = extract(NOTE)
    assert used(pro_organization) == 1
    assert response["X-RateLimit-Limit"] == "1000"
    assert response["X-RateLimit-Remaining"] == "999"
    assert int(response["X-RateLimit-Reset"]) > 0
    assert response.json()["meta"]["usage"]["remaining"] == 999


def test_error_responses_carry_rate_limit_headers_too(extract):
    response = extract("")
    assert response["X-RateLimit-Limit"] == "1000"


def test_unexpected_failure_is_500_json_and_refunds_quota(
    extract, pro_organization, monkeypatch, settings
):
    settings.DEBUG = True

    class Broken:
        name = "rules"
        model = "broken"

        def extract(self, **kwargs):
            raise RuntimeError("boom with Jane Roe inside")

    monkeypatch.setattr("extraction.services.get_engine", lambda: Broken())
    response = extract(NOTE)
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response.json()["error"] == "internal_error"
    assert response["Content-Type"] == "application/json"
    assert used(pro_organization) == 0
    failed = Extraction.objects.get(organization=pro_organization)
    assert (failed.status, failed.error_code) == ("failed", "internal_error")


def test_extraction_is_stored_scrubbed_and_encrypted(extract, pro_organization):
    response = extract(NOTE)
    stored = Extraction.objects.get(organization=pro_organization)
    assert str(stored.public_id) == response.json()["meta"]["request_id"]
    assert "415-555-0134" not in stored.scrubbed_note
    assert "Total time spent 32 minutes" in stored.scrubbed_note
    assert stored.result == response.json()["result"]
    assert stored.api_key is not None
    assert stored.latency_ms >= 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT scrubbed_note, result FROM extraction_extraction WHERE id = %s", [stored.pk]
        )
        raw_note, raw_result = cursor.fetchone()
    assert "Total time" not in raw_note
    assert "99214" not in raw_result


def test_raw_note_is_never_stored_even_without_scrubbing(extract, pro_organization):
    extract(NOTE, phi_scrub=False)
    stored = Extraction.objects.get(organization=pro_organization)
    assert stored.phi_scrubbed is False
    assert "415-555-0134" not in stored.scrubbed_note


def test_note_is_not_logged(extract, caplog):
    caplog.set_level(logging.DEBUG)
    extract(NOTE)
    extract("a" * 50_001)
    assert "415-555-0134" not in caplog.text
    assert "Jane Roe" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_extract_makes_at_most_five_statements(extract):
    """Counted outside a test transaction, as production runs: transaction control included.
    Key lookup, plan check, quota UPDATE, INSERT: each commits on its own."""
    extract(NOTE)  # the month's usage row exists from here on
    with CaptureQueriesContext(connection) as captured:
        assert extract(NOTE).status_code == HTTPStatus.OK
    statements = [query["sql"] for query in captured.captured_queries]
    assert len(statements) <= 5, statements
    assert not any(sql.startswith(("BEGIN", "SAVEPOINT")) for sql in statements), statements


def test_unpaired_surrogate_is_a_clear_400_and_free(bearer_client, pro_organization):
    body = '{"note": "Follow-up for hypertension \\ud800 today."}'
    response = bearer_client.post("/api/v1/extract", body, content_type="application/json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "invalid_json"
    assert "surrogate" in response.json()["message"]
    assert used(pro_organization) == 0


def test_nul_characters_are_dropped_not_fatal(extract):
    assert extract("Total time spent 25 minutes.\x00").status_code == HTTPStatus.OK
    response = extract("\x00\x00")
    assert response.json()["error"] == "missing_note"
