"""A replay storm: the same Stripe event delivered by 20 threads at once changes state once.

PostgreSQL only: SQLite serialises writers, so it cannot show the race. Each thread has its own
connection; the unique index on the event id makes every delivery but one a duplicate.
"""

import json
import threading
from http import HTTPStatus

import pytest
from django.db import connection, connections
from django.test import Client

from accounts.models import AuditEvent
from billing.models import BillingCustomer, PlanChange, StripeEvent, Subscription
from billing.tests.stripe_fakes import (
    WEBHOOK_URL,
    signed_header,
    stripe_event,
    subscription_object,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("stripe_webhooks"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
    ),
]

DELIVERIES = 20


def deliver_at_once(payload: str, count: int) -> list[tuple[int, str]]:
    barrier = threading.Barrier(count)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def deliver() -> None:
        try:
            barrier.wait()
            response = Client().post(
                WEBHOOK_URL,
                data=payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signed_header(payload),
            )
            with lock:
                answers.append((response.status_code, response.json().get("outcome", "")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_same_event_from_twenty_threads_applies_once(organization):
    BillingCustomer.objects.create(organization=organization, stripe_customer_id="cus_test_1")
    payload = json.dumps(stripe_event("customer.subscription.created", subscription_object()))

    answers = deliver_at_once(payload, DELIVERIES)

    assert len(answers) == DELIVERIES
    assert {status for status, _ in answers} == {HTTPStatus.OK}
    outcomes = sorted(outcome for _, outcome in answers)
    assert outcomes.count("applied") == 1
    assert outcomes.count("duplicate") == DELIVERIES - 1
    assert StripeEvent.objects.count() == 1
    assert Subscription.objects.count() == 1
    assert PlanChange.objects.filter(organization=organization, source="stripe").count() == 1
    assert AuditEvent.objects.filter(organization=organization, action="plan.changed").count() == 1
    organization.refresh_from_db()
    assert organization.plan == "pro"
