"""POST /api/v1/scrub and the stored extractions API."""

from http import HTTPStatus

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from billing.quota import usage_snapshot
from billing.services import plan_grant

pytestmark = pytest.mark.django_db

NOTE = "Seen 03/14/2025. Call 415-555-0134 or jane@example.org. BP 142/88."


def test_scrub_returns_note_and_redactions_with_offsets(bearer_client, pro_organization):
    response = bearer_client.post("/api/v1/scrub", {"note": NOTE}, format="json")
    assert response.status_code == HTTPStatus.OK
    result = response.json()["result"]
    assert "415-555-0134" not in result["scrubbed_note"]
    assert "BP 142/88" in result["scrubbed_note"]
    for redaction in result["redactions"]:
        assert set(redaction) == {"kind", "start", "end"}
        assert NOTE[redaction["start"] : redaction["end"]] in {
            "03/14/2025",
            "415-555-0134",
            "jane@example.org",
        }
    assert usage_snapshot(organization=pro_organization).used == 0


@pytest.mark.parametrize("body", [{}, {"note": ""}, {"note": 5}])
def test_scrub_validates_the_note(bearer_client, body):
    response = bearer_client.post("/api/v1/scrub", body, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "missing_note"


def test_scrub_is_rate_limited_per_minute(bearer_client, settings):
    cache.clear()
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**original, "scrub": "3/min"}
    try:
        statuses = [
            bearer_client.post("/api/v1/scrub", {"note": "x"}, format="json").status_code
            for _ in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        last = bearer_client.post("/api/v1/scrub", {"note": "x"}, format="json")
        assert last.json()["error"] == "rate_limit_exceeded"
        assert int(last["Retry-After"]) > 0
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
        cache.clear()


def _extract(client, note="Total time spent 25 minutes.", **fields):
    return client.post("/api/v1/extract", {"note": note, **fields}, format="json").json()


def test_history_lists_newest_first_with_pagination(bearer_client):
    ids = [
        _extract(bearer_client, payer=p)["meta"]["request_id"]
        for p in ("medicare", "medicaid", "commercial")
    ]
    page = bearer_client.get("/api/v1/extractions?page_size=2").json()
    assert page["count"] == 3
    assert [row["id"] for row in page["results"]] == [ids[2], ids[1]]
    assert page["results"][0]["payer"] == "commercial"
    assert page["results"][0]["codes"] == ["99213"]
    assert "scrubbed_note" not in page["results"][0]
    second = bearer_client.get(page["next"]).json()
    assert [row["id"] for row in second["results"]] == [ids[0]]


def test_detail_shows_the_result_exactly_as_returned(bearer_client):
    body = _extract(bearer_client, note="Seen 03/14/2025. Total time spent 25 minutes.")
    detail = bearer_client.get(f"/api/v1/extractions/{body['meta']['request_id']}")
    assert detail.status_code == HTTPStatus.OK
    assert detail.json()["result"] == body["result"]
    assert "03/14/2025" not in detail.json()["scrubbed_note"]


def test_another_organizations_extraction_is_404(bearer_client, other_organization, make_api_key):
    plan_grant(organization=other_organization, plan="pro")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {make_api_key(other_organization)}")
    theirs = _extract(other)["meta"]["request_id"]
    response = bearer_client.get(f"/api/v1/extractions/{theirs}")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["error"] == "not_found"
    assert bearer_client.get("/api/v1/extractions").json()["count"] == 0
    missing = bearer_client.get("/api/v1/extractions/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == HTTPStatus.NOT_FOUND


def test_openapi_schema_and_docs_are_served(bearer_client, client):
    schema = client.get("/api/v1/schema?format=json")
    assert schema.status_code == HTTPStatus.OK
    paths = schema.json()["paths"]
    assert {"/api/v1/extract", "/api/v1/scrub", "/api/v1/usage"} <= set(paths)
    request_schema = schema.json()["components"]["schemas"]["ExtractRequest"]
    assert set(request_schema["properties"]) == {
        "note",
        "payer",
        "patient_type",
        "visit_type",
        "specialty",
        "phi_scrub",
    }
    docs = client.get("/api/docs")
    assert docs.status_code == HTTPStatus.OK
    assert b"https://" not in docs.content.replace(b"https://github.com", b"")
