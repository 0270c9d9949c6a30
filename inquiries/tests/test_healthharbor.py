"""The Health Harbor provider against a fake upstream on 127.0.0.1, and its webhook."""

import base64
import hashlib
import hmac
import json
import logging
from http import HTTPStatus

import pytest

from inquiries import tasks
from inquiries.models import Inquiry
from inquiries.providers import ProviderUnavailable
from inquiries.services import inquiry_poll, inquiry_submit
from inquiries.tests.fake_http import Scripted

pytestmark = pytest.mark.django_db

UPSTREAM_ID = "5f1f7a52-3b8e-4a57-9a8e-2b3c4d5e6f70"
WEBHOOK_URL = "/inquiries/healthharbor/webhook"
SECRET = "hh-webhook-secret"

# A retrieve body with the vendor's documented quirks (integrations.md §6.3): call_details is a
# list, procedure_codes entries are two-element lists, the limitation text is `limitations`.
UPSTREAM_SUCCESS = {
    "id": UPSTREAM_ID,
    "status": "SUCCESS",
    "creation_ts": "2024-05-24T18:18:27.134818",
    "summary": "Benefits retrieved successfully.",
    "results": {
        "call_details": [
            {"representative_name": "First Rep", "reference_number": "1", "call_end_time": "x"},
            {
                "representative_name": "Deborah M",
                "reference_number": "2812129",
                "call_end_time": "2024-03-01T06:00:00.0000Z",
                "call_recording_url": "https://example.invalid/recording",
            },
        ],
        "plan_information": {"is_active": True, "plan_type": "PPO", "effective_date": "10-01-2020"},
        "maximums": {"individual_deductible": 100, "individual_deductible_used": "80"},
        "procedure_codes": [
            [
                {"procedure_code": "90832", "procedure_name": "Psychotherapy"},
                {
                    "is_covered": True,
                    "is_prior_auth_required": True,
                    "prior_auth_info": "Call Cigna",
                    "copay_amount": "20.00",
                    "coinsurance_percentage": 20,
                    "limitations": "Two visits per week",
                },
            ]
        ],
    },
}


@pytest.fixture
def upstream(fake_server, settings):
    settings.INQUIRY_PROVIDER = "healthharbor"
    settings.HEALTHHARBOR_BASE_URL = fake_server.url
    settings.HEALTHHARBOR_USERNAME = "project-id"
    settings.HEALTHHARBOR_PASSWORD = "project-key"
    settings.HEALTHHARBOR_TIMEOUT_SECONDS = 0.3
    settings.HEALTHHARBOR_WEBHOOK_SECRET = SECRET
    settings.INQUIRY_POLL_MAX_ATTEMPTS = 5
    return fake_server


def test_create_poll_until_success(upstream, make_inquiry, caplog):
    caplog.set_level(logging.INFO)
    upstream.respond(200, json_body={"inquiry_id": UPSTREAM_ID})
    upstream.respond(200, json_body={"id": UPSTREAM_ID, "status": "SCHEDULED", "results": None})
    upstream.respond(200, json_body={"id": UPSTREAM_ID, "status": "IN_PROGRESS"})
    upstream.respond(200, json_body=UPSTREAM_SUCCESS)

    inquiry = make_inquiry(run_tasks=True)

    create, *polls = upstream.requests
    assert (create.method, create.path) == ("POST", "/api/v0/mental_health/inquiries")
    assert (
        create.headers["Authorization"]
        == "Basic " + base64.b64encode(b"project-id:project-key").decode()
    )
    sent = create.json()
    assert sent["dob"] == "01-31-2020"
    assert sent["member_id"] == "123456789"
    assert sent["benefits_query"] == "CODE_LOOKUP_BENEFITS"
    assert [(p.method, p.path) for p in polls] == [
        ("GET", f"/api/v0/mental_health/inquiries/{UPSTREAM_ID}")
    ] * 3

    inquiry.refresh_from_db()
    assert inquiry.provider_reference == UPSTREAM_ID
    assert inquiry.status == "SUCCESS"
    assert inquiry.last_polled_at is not None  # what inquiry_reconcile looks at
    assert list(inquiry.transitions.values_list("to_status", "source")) == [
        ("SCHEDULED", "healthharbor:poll"),
        ("IN_PROGRESS", "healthharbor:poll"),
        ("SUCCESS", "healthharbor:poll"),
    ]
    results = inquiry.results
    assert results["call_details"] == {
        "call_end_time": "2024-03-01T06:00:00.0000Z",
        "representative_name": "Deborah M",
        "reference_number": "2812129",
    }
    assert results["maximums"]["individual_deductible"] == "100"
    [code] = results["procedure_codes"]
    assert code["procedure_code"] == "90832"
    assert code["frequency_limitations"] == "Two visits per week"
    assert code["coinsurance_percentage"] == "20"
    assert set(code) >= {"more_info", "is_deductible_waived"}
    assert "Alex" not in caplog.text
    assert "123456789" not in caplog.text


def test_dental_line_uses_the_dental_path(upstream, make_inquiry):
    upstream.respond(200, json_body={"inquiry_id": "d-1"})
    inquiry = make_inquiry(line="dental", benefits_query="STANDARD", benefits_codes=[])
    inquiry_submit(inquiry_id=str(inquiry.pk))
    assert upstream.requests[0].path == "/api/v0/dental/inquiries"


@pytest.mark.parametrize(
    ("status", "body", "delay"),
    [
        (401, '{"detail":"Not authenticated"}', 0),
        (500, "oops", 0),
        (503, "", 0),
        (429, "{}", 0),
        (200, "<html>not json</html>", 0),
        (200, '["a list"]', 0),
        (200, '{"status": "SCHEDULED"}', 0),
        (200, '{"inquiry_id": "late"}', 0.6),
    ],
    ids=["401", "500", "503", "429", "html", "list", "no-id", "timeout"],
)
def test_create_failures_leave_the_inquiry_retryable(upstream, make_inquiry, status, body, delay):
    upstream.respond(status, body=body, delay=delay)
    inquiry = make_inquiry()

    with pytest.raises(ProviderUnavailable):
        inquiry_submit(inquiry_id=str(inquiry.pk))

    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.provider_reference, inquiry.submitted_at) == (
        "PENDING",
        "",
        None,
    )
    assert inquiry.transitions.count() == 0
    # Nothing lost: the next attempt goes through.
    upstream.respond(200, json_body={"inquiry_id": UPSTREAM_ID})
    inquiry_submit(inquiry_id=str(inquiry.pk))
    inquiry.refresh_from_db()
    assert inquiry.provider_reference == UPSTREAM_ID


def test_create_refused_with_422_ends_failed(upstream, make_inquiry):
    upstream.respond(422, json_body={"detail": [{"loc": ["body", "npi"], "msg": "bad"}]})
    inquiry = make_inquiry(run_tasks=True)
    inquiry.refresh_from_db()
    assert inquiry.status == "FAILED"
    assert inquiry.summary == "The benefits service refused the request. Check the details."
    assert len(upstream.requests) == 1  # not retried


@pytest.mark.parametrize(
    ("status", "body", "delay"),
    [(500, "", 0), (401, "", 0), (404, "{}", 0), (200, "{broken", 0), (200, "{}", 0.6)],
    ids=["500", "401", "404", "malformed", "timeout"],
)
def test_poll_failures_keep_the_inquiry_open(upstream, make_inquiry, status, body, delay):
    upstream.respond(200, json_body={"inquiry_id": UPSTREAM_ID})
    inquiry = make_inquiry()
    inquiry_submit(inquiry_id=str(inquiry.pk))
    upstream.respond(status, body=body, delay=delay)

    with pytest.raises(ProviderUnavailable):
        inquiry_poll(inquiry_id=str(inquiry.pk))
    inquiry.refresh_from_db()
    assert inquiry.status == "PENDING"
    assert inquiry.provider_reference == UPSTREAM_ID


def test_poll_task_keeps_asking_through_errors(upstream, make_inquiry):
    upstream.respond(200, json_body={"inquiry_id": UPSTREAM_ID})
    upstream.respond(502, body="bad gateway")
    upstream.respond(200, body="not json")
    upstream.respond(200, json_body=UPSTREAM_SUCCESS)
    inquiry = make_inquiry(run_tasks=True)
    inquiry.refresh_from_db()
    assert inquiry.status == "SUCCESS"
    assert len(upstream.requests) == 4


def test_polling_stops_after_the_configured_attempts(upstream, make_inquiry, settings):
    settings.INQUIRY_POLL_MAX_ATTEMPTS = 3
    upstream.respond(200, json_body={"inquiry_id": UPSTREAM_ID})
    upstream.default = Scripted(
        200, json.dumps({"id": UPSTREAM_ID, "status": "IN_PROGRESS"}).encode()
    )
    inquiry = make_inquiry(run_tasks=True)
    assert len(upstream.requests) == 1 + 3
    inquiry.refresh_from_db()
    assert inquiry.status == "IN_PROGRESS"  # still open: the webhook can finish it


@pytest.mark.parametrize(
    ("upstream_status", "expected", "vendor_status"),
    [
        ("UNSUCCESSFUL", "FAILED", "UNSUCCESSFUL"),
        ("UNKNOWN", "PENDING", "UNKNOWN"),
        ("ON_HOLD", "PENDING", "ON_HOLD"),
        ("in_progress", "IN_PROGRESS", "IN_PROGRESS"),
        (None, "PENDING", "<unprintable>"),
    ],
)
def test_status_mapping(upstream, make_inquiry, caplog, upstream_status, expected, vendor_status):
    upstream.respond(200, json_body={"inquiry_id": UPSTREAM_ID})
    upstream.respond(200, json_body={"id": UPSTREAM_ID, "status": upstream_status})
    inquiry = make_inquiry()
    inquiry_submit(inquiry_id=str(inquiry.pk))
    inquiry_poll(inquiry_id=str(inquiry.pk))
    inquiry.refresh_from_db()
    assert inquiry.status == expected
    assert inquiry.vendor_status == vendor_status
    if upstream_status == "ON_HOLD":
        assert "unrecognised upstream status ON_HOLD" in caplog.text
    if expected == "FAILED":
        assert inquiry.summary.startswith("The payer call did not get the benefits")


# ----------------------------------------------------------------------------------------------
# Webhook
# ----------------------------------------------------------------------------------------------
def sign(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def submitted(upstream, make_inquiry):
    upstream.respond(200, json_body={"inquiry_id": UPSTREAM_ID})
    inquiry = make_inquiry()
    inquiry_submit(inquiry_id=str(inquiry.pk))
    return inquiry


def post_webhook(client, payload, signature=None):
    body = json.dumps(payload).encode()
    return client.post(
        WEBHOOK_URL,
        data=body,
        content_type="application/json",
        headers={"X-HealthHarbor-Signature": signature or sign(body)},
    )


def test_webhook_with_a_good_signature_finishes_the_inquiry(client, submitted):
    payload = {"subscription_id": "sub", "message_hash": "h1", "inquiries": [UPSTREAM_SUCCESS]}
    response = post_webhook(client, payload)
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"received": True, "updated": 1}
    submitted.refresh_from_db()
    assert submitted.status == "SUCCESS"
    assert submitted.results["call_details"]["reference_number"] == "2812129"
    assert submitted.transitions.get().source == "healthharbor:webhook"

    # Delivered again, and a late IN_PROGRESS: nothing changes.
    assert post_webhook(client, payload).status_code == HTTPStatus.OK
    late = {"inquiries": [{"id": UPSTREAM_ID, "status": "IN_PROGRESS"}]}
    assert post_webhook(client, late).status_code == HTTPStatus.OK
    submitted.refresh_from_db()
    assert submitted.status == "SUCCESS"
    assert submitted.transitions.count() == 1


@pytest.mark.parametrize(
    "signature", ["0" * 64, "sha256=deadbeef", "", sign(b"another body")], ids=str
)
def test_webhook_with_a_bad_signature_is_400_and_changes_nothing(client, submitted, signature):
    body = json.dumps({"inquiries": [UPSTREAM_SUCCESS]}).encode()
    headers = {"X-HealthHarbor-Signature": signature} if signature else {}
    response = client.post(WEBHOOK_URL, data=body, content_type="application/json", headers=headers)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "invalid_signature"
    submitted.refresh_from_db()
    assert submitted.status == "PENDING"


def test_webhook_without_a_configured_secret_refuses_everything(client, submitted, settings):
    settings.HEALTHHARBOR_WEBHOOK_SECRET = ""
    payload = {"inquiries": [UPSTREAM_SUCCESS]}
    response = post_webhook(client, payload, signature=sign(json.dumps(payload).encode(), ""))
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_webhook_accepts_a_sha256_prefix_and_ignores_unknown_ids(client, submitted):
    payload = {"inquiries": [{"id": "someone-else", "status": "SUCCESS"}, "junk"]}
    body = json.dumps(payload).encode()
    response = client.post(
        WEBHOOK_URL,
        data=body,
        content_type="application/json",
        headers={"X-HealthHarbor-Signature": "sha256=" + sign(body)},
    )
    assert response.json() == {"received": True, "updated": 0}


def test_webhook_with_a_malformed_payload_is_400(client, submitted):
    response = post_webhook(client, {"no": "inquiries"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "invalid_payload"
    assert Inquiry.objects.get(pk=submitted.pk).status == "PENDING"


def test_poll_task_is_scheduled_with_the_interval(upstream, make_inquiry, monkeypatch, settings):
    settings.INQUIRY_POLL_INTERVAL_SECONDS = 120
    scheduled = []
    monkeypatch.setattr(
        tasks.inquiry_poll, "apply_async", lambda **kwargs: scheduled.append(kwargs)
    )
    upstream.respond(200, json_body={"inquiry_id": UPSTREAM_ID})
    inquiry = make_inquiry(run_tasks=True)
    assert scheduled == [{"args": [str(inquiry.pk)], "countdown": 120}]
