"""Completion callbacks: signed POSTs to a local receiver, retries with backoff, delivery log."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from inquiries import services, tasks
from inquiries.callbacks import signature_header, verify_signature
from inquiries.models import CallbackDelivery, InquirySettings, InquiryTransition, Status
from inquiries.providers import sandbox
from inquiries.services import (
    inquiry_settings_rotate_secret,
    inquiry_settings_update_callback,
    inquiry_transition,
)
from inquiries.tests.fake_http import Scripted

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(fake_server, pro_organization):
    inquiry_settings_update_callback(
        organization=pro_organization, callback_url=fake_server.url + "/hooks", actor=None
    )
    return fake_server


def secret_of(organization) -> str:
    return InquirySettings.objects.get(organization=organization).callback_secret


def test_final_state_posts_a_signed_callback(receiver, make_inquiry, pro_organization):
    receiver.respond(204)
    inquiry = make_inquiry(run_tasks=True)  # sandbox: SUCCESS at once

    [request] = receiver.requests
    assert (request.method, request.path) == ("POST", "/hooks")
    assert verify_signature(
        secret=secret_of(pro_organization),
        header=request.headers["ClaimLens-Signature"],
        body=request.body,
        now=int(time.time()),
    )
    payload = request.json()
    assert payload["type"] == "inquiry.completed"
    assert payload["data"]["inquiry_id"] == str(inquiry.pk)
    assert payload["data"]["status"] == "SUCCESS"
    assert request.headers["ClaimLens-Event-Id"] == payload["id"]
    # No patient data in a callback: the receiver fetches the inquiry with its key.
    assert "Alex" not in request.body.decode()
    assert "123456789" not in request.body.decode()

    delivery = CallbackDelivery.objects.get()
    assert (delivery.attempt, delivery.status_code, delivery.error) == (1, 204, "")
    assert delivery.event_id == payload["id"]


def test_signature_header_format_is_stripe_like():
    header = signature_header(secret="whsec_x", timestamp=1700000000, body=b'{"a":1}')
    assert header.startswith("t=1700000000,v1=")
    assert len(header.split("v1=")[1]) == 64


@pytest.mark.parametrize(
    ("header", "now", "ok"),
    [
        (None, 1700000000, True),
        (None, 1700000000 + 301, False),
        ("t=1700000000,v1=" + "0" * 64, 1700000000, False),
        ("v1=abc", 1700000000, False),
    ],
)
def test_verify_signature(header, now, ok):
    body = b'{"id":"evt_1"}'
    header = header or signature_header(secret="whsec_x", timestamp=1700000000, body=body)
    assert verify_signature(secret="whsec_x", header=header, body=body, now=now) is ok


def test_failed_deliveries_are_retried_with_backoff_and_logged(
    receiver, make_inquiry, monkeypatch, settings
):
    receiver.respond(500)
    receiver.respond(200, delay=0.5)  # times out (timeout set below)
    receiver.respond(200)
    countdowns = []
    original_retry = tasks.callback_deliver.retry
    monkeypatch.setattr(
        tasks.callback_deliver,
        "retry",
        lambda **kwargs: countdowns.append(kwargs["countdown"]) or original_retry(**kwargs),
    )
    settings.INQUIRY_CALLBACK_TIMEOUT_SECONDS = 0.2
    make_inquiry(run_tasks=True)

    deliveries = list(CallbackDelivery.objects.order_by("attempt"))
    assert [(d.attempt, d.status_code, d.error) for d in deliveries] == [
        (1, 500, ""),
        (2, None, "timeout"),
        (3, 200, ""),
    ]
    assert countdowns == [10, 20]
    assert len({d.event_id for d in deliveries}) == 1
    # Each attempt is signed afresh, over the same body.
    assert len({r.body for r in receiver.requests}) == 1


def test_delivery_gives_up_after_the_configured_attempts(receiver, make_inquiry, settings):
    settings.INQUIRY_CALLBACK_MAX_ATTEMPTS = 2
    receiver.default = Scripted(503, b"")
    make_inquiry(run_tasks=True)
    assert CallbackDelivery.objects.count() == 2


def test_redirects_are_not_followed(receiver, make_inquiry):
    receiver.respond(302)
    receiver.respond(200)
    make_inquiry(run_tasks=True)
    assert [d.status_code for d in CallbackDelivery.objects.order_by("attempt")] == [302, 200]


def test_no_callback_without_a_url_or_for_open_states(make_inquiry, monkeypatch, pro_organization):
    sent = []
    monkeypatch.setattr(tasks.callback_deliver, "delay", lambda *args: sent.append(args))
    make_inquiry(run_tasks=True)
    assert sent == []

    inquiry_settings_update_callback(
        organization=pro_organization, callback_url="http://127.0.0.1:9/x", actor=None
    )
    inquiry = make_inquiry(member_id=sandbox.MEMBER_UNREACHABLE)
    inquiry_transition(inquiry=inquiry, to_status=Status.IN_PROGRESS, source="test")
    assert sent == []


def test_cancel_also_calls_back(
    receiver, make_inquiry, bearer_client, django_capture_on_commit_callbacks
):
    receiver.respond(200)
    inquiry = make_inquiry()
    with django_capture_on_commit_callbacks(execute=True):
        bearer_client.post(f"/api/v1/inquiries/{inquiry.pk}/cancel")
    assert receiver.requests[0].json()["data"]["status"] == "CANCELLED"


def test_secret_is_created_once_and_rotates(pro_organization):
    row = inquiry_settings_update_callback(
        organization=pro_organization, callback_url="https://example.org/hook", actor=None
    )
    first = row.callback_secret
    assert first.startswith("whsec_")
    again = inquiry_settings_update_callback(
        organization=pro_organization, callback_url="https://example.org/other", actor=None
    )
    assert again.callback_secret == first
    assert (
        inquiry_settings_rotate_secret(organization=pro_organization, actor=None).callback_secret
        != first
    )


# ----------------------------------------------------------------------------------------------
# Callback chains the broker lost are resumed by the reconciler
# ----------------------------------------------------------------------------------------------
def _finished(make_inquiry, *, minutes_ago: float) -> InquiryTransition:
    inquiry = make_inquiry()
    inquiry_transition(inquiry=inquiry, to_status=Status.CANCELLED, source="test")
    transition = inquiry.transitions.get(to_status=Status.CANCELLED)
    InquiryTransition.objects.filter(pk=transition.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return transition


def _attempted(transition, attempt: int, status_code: int | None, *, minutes_ago: float) -> None:
    delivery = CallbackDelivery.objects.create(
        inquiry=transition.inquiry,
        event_id=f"evt_{transition.pk}",
        url="https://example.org/hooks",
        attempt=attempt,
        status_code=status_code,
    )
    CallbackDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_reconcile_resumes_stopped_callback_chains_only(
    make_inquiry, pro_organization, other_organization, monkeypatch, settings
):
    settings.INQUIRY_CALLBACK_MAX_ATTEMPTS = 6
    inquiry_settings_update_callback(
        organization=pro_organization, callback_url="https://example.org/hooks", actor=None
    )
    queued = []
    monkeypatch.setattr(tasks.callback_deliver, "delay", lambda *args: queued.append(args))

    never_sent = _finished(make_inquiry, minutes_ago=30)
    stopped = _finished(make_inquiry, minutes_ago=60)
    _attempted(stopped, 1, 500, minutes_ago=59)
    _attempted(stopped, 2, None, minutes_ago=58)
    delivered = _finished(make_inquiry, minutes_ago=60)
    _attempted(delivered, 1, 204, minutes_ago=59)
    exhausted = _finished(make_inquiry, minutes_ago=600)
    for attempt in range(1, 7):
        _attempted(exhausted, attempt, 503, minutes_ago=500)
    retrying = _finished(make_inquiry, minutes_ago=30)
    _attempted(retrying, 1, 500, minutes_ago=1)  # its retry is still on its way
    _finished(make_inquiry, minutes_ago=2)  # just finished: its first task is on its way
    _finished(make_inquiry, minutes_ago=3 * 24 * 60)  # too old to call back now
    _finished(lambda: make_inquiry(other_organization), minutes_ago=30)  # no callback URL

    counts = services.inquiry_reconcile()

    assert sorted(queued) == [(never_sent.pk, 1), (stopped.pk, 3)]
    assert counts["callbacks"] == 2


def test_a_resumed_chain_counts_its_attempts_on(receiver, make_inquiry, settings):
    receiver.respond(500)
    receiver.respond(200)
    settings.INQUIRY_CALLBACK_MAX_ATTEMPTS = 6
    inquiry = make_inquiry()
    inquiry_transition(inquiry=inquiry, to_status=Status.CANCELLED, source="test")
    transition = inquiry.transitions.get(to_status=Status.CANCELLED)

    tasks.callback_deliver.delay(transition.pk, 3)

    deliveries = CallbackDelivery.objects.order_by("attempt")
    assert [(d.attempt, d.status_code) for d in deliveries] == [(3, 500), (4, 200)]
