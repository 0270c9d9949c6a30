"""The broker down when an inquiry is created: 201 all the same, nothing lost.

The real Celery app publishes to a port where nothing listens (not eager, no monkeypatched
``delay``): the stored inquiry stays PENDING, the failure is logged by type, and the reconciler
hands it over once the broker is back.
"""

import logging
import time
from datetime import timedelta
from http import HTTPStatus

import pytest

from claimlens.celery import app
from inquiries import services, tasks
from inquiries.models import Inquiry
from inquiries.tests.conftest import SAMPLE_CREATE

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
    started = time.monotonic()
    response = bearer_client.post("/api/v1/inquiries", payload, format="json")
    elapsed = time.monotonic() - started

    assert response.status_code == HTTPStatus.CREATED
    assert elapsed < 5  # the publish gives up after about a second
    inquiry = Inquiry.objects.get(pk=response.json()["inquiry_id"])
    assert (inquiry.status, inquiry.submitted_at) == ("PENDING", None)
    assert "broker unavailable" in caplog.text
    assert "OperationalError" in caplog.text
    assert "Alex Martin" not in caplog.text  # ids in the log, never the patient

    # The broker is back (eager stands in for it here): the reconciler hands the inquiry over.
    app.conf.update(task_always_eager=True)
    assert services.inquiry_reconcile(submit_after=timedelta(0)) == {"submitted": 1, "polled": 0}
    inquiry.refresh_from_db()
    assert inquiry.status == "SUCCESS"
    assert inquiry.transitions.count() == 1  # handed over once


def test_enqueue_reports_a_closed_broker(broker_down):
    assert tasks.enqueue(tasks.inquiry_fulfill, "00000000-0000-0000-0000-000000000000") is False
