"""The broker down when an inquiry is created: 201 all the same, nothing lost.

The real Celery app publishes to a port where nothing listens (not eager, no monkeypatched
``delay``): the stored inquiry stays PENDING, the failure is logged by type, and the reconciler
hands it over once the broker is back. The same for a completion callback lost that way.
"""

import logging
import time
from datetime import timedelta
from http import HTTPStatus

import pytest

from claimlens.celery import app
from claimlens.queueing import enqueue
from inquiries import services, tasks
from inquiries.models import CallbackDelivery, Inquiry
from inquiries.tests.conftest import SAMPLE_CREATE, service_kwargs

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def reset_producers() -> None:
    """Forget the app's producer pool, so the next publish uses the current broker_url (kombu
    keeps one pool per broker URL, so nothing is closed here)."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down():
    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}
    reset_producers()
    app.conf.update(broker_url=CLOSED_BROKER, task_always_eager=False)
    yield
    reset_producers()
    app.conf.update(saved)


def test_inquiry_is_accepted_and_queued_once_the_broker_is_back(bearer_client, broker_down, caplog):
    caplog.set_level(logging.WARNING)
    payload = {**SAMPLE_CREATE, "diagnosis_codes": []}
    response = bearer_client.post("/api/v1/inquiries", payload, format="json")

    assert response.status_code == HTTPStatus.CREATED
    inquiry = Inquiry.objects.get(pk=response.json()["inquiry_id"])
    assert (inquiry.status, inquiry.submitted_at) == ("PENDING", None)
    assert "broker unavailable" in caplog.text
    assert "OperationalError" in caplog.text
    assert "Alex Martin" not in caplog.text  # ids in the log, never the patient

    # The broker is back (eager stands in for it here): the reconciler hands the inquiry over.
    app.conf.update(task_always_eager=True)
    assert services.inquiry_reconcile(submit_after=timedelta(0)) == {
        "submitted": 1,
        "polled": 0,
        "callbacks": 0,
    }
    inquiry.refresh_from_db()
    assert inquiry.status == "SUCCESS"
    assert inquiry.transitions.count() == 1  # handed over once


def test_enqueue_reports_a_closed_broker_without_hanging(broker_down):
    started = time.monotonic()
    queued = enqueue(tasks.inquiry_fulfill, "00000000-0000-0000-0000-000000000000")
    assert queued is False
    # A bound, not a benchmark: the publish gives up after about a second (settings: Celery),
    # where kombu's defaults would retry for minutes.
    assert time.monotonic() - started < 10


def test_a_callback_lost_with_the_broker_is_delivered_by_the_reconciler(
    pro_organization, fake_server, broker_down, caplog
):
    """The inquiry finishes while the broker is down: its callback task is never queued. Once
    the broker is back, the reconciler resumes it and the receiver gets the event."""
    services.inquiry_settings_update_callback(
        organization=pro_organization, callback_url=fake_server.url + "/hooks", actor=None
    )
    fake_server.respond(204)
    caplog.set_level(logging.WARNING)
    inquiry = services.inquiry_create(
        organization=pro_organization, created_by=None, source="test", **service_kwargs()
    )
    services.inquiry_cancel(inquiry=inquiry, source="test")
    assert "inquiries.tasks.callback_deliver" in caplog.text  # not queued, logged
    assert fake_server.requests == []

    app.conf.update(task_always_eager=True)
    counts = services.inquiry_reconcile(submit_after=timedelta(0))

    assert counts["callbacks"] == 1
    [request] = fake_server.requests
    assert request.json()["data"] == {**request.json()["data"], "status": "CANCELLED"}
    delivery = CallbackDelivery.objects.get()
    assert (delivery.attempt, delivery.status_code) == (1, 204)
