"""End to end through a real Celery worker (a subprocess, --pool=solo) on a Redis broker."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from inquiries import tasks
from inquiries.models import Inquiry
from inquiries.tests.conftest import SAMPLE_CREATE

ROOT = Path(__file__).resolve().parents[2]
BROKER_URL = "redis://127.0.0.1:6379/15"  # a database of its own, away from development


def redis_answers() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


def database_url_for_worker() -> str:
    """The test database, as a URL the worker process can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(monkeypatch):
    env = {
        **os.environ,
        "CELERY_BROKER_URL": BROKER_URL,
        "DATABASE_URL": database_url_for_worker(),
        "INQUIRY_PROVIDER": "sandbox",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "claimlens",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # The suite's Celery app is eager, and eager runs leave it a producer pool for its default
    # broker; a second app sends this test's tasks to Redis instead, by the same task names.
    sender = Celery("claimlens-test-sender", broker=BROKER_URL)
    monkeypatch.setattr(
        tasks.inquiry_fulfill,
        "delay",
        lambda *args: sender.send_task(tasks.inquiry_fulfill.name, args=args),
    )
    try:
        yield process
    finally:
        sender.close()
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.skipif(not redis_answers(), reason="Redis does not answer on 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_inquiry_is_fulfilled_by_a_real_worker(worker, bearer_client):
    # No diagnosis codes: loading the ICD-10-CM set here would only slow this test down.
    payload = {**SAMPLE_CREATE, "diagnosis_codes": []}
    response = bearer_client.post("/api/v1/inquiries", payload, format="json")
    inquiry_id = response.json()["inquiry_id"]

    deadline = time.monotonic() + 60
    status = "PENDING"
    while time.monotonic() < deadline and status == "PENDING":
        time.sleep(0.25)
        status = Inquiry.objects.values_list("status", flat=True).get(pk=inquiry_id)
        if worker.poll() is not None:
            pytest.fail("worker exited: " + worker.stderr.read().decode()[-2000:])

    assert status == "SUCCESS"
    body = bearer_client.get(f"/api/v1/inquiries/{inquiry_id}").json()
    assert body["results"]["procedure_codes"][0]["procedure_code"] == "90832"
    assert list(
        Inquiry.objects.get(pk=inquiry_id).transitions.values_list("source", flat=True)
    ) == ["sandbox"]
