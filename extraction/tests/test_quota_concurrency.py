"""The monthly quota is exact under concurrency: PostgreSQL only (SQLite serialises writers)."""

import threading
from http import HTTPStatus

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from billing.models import MonthlyUsage
from billing.quota import month_start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
    ),
]

NOTE = "Follow-up visit. Total time spent 25 minutes."


def _parallel_posts(key: str, count: int, path: str = "/api/v1/extract") -> list[int]:
    barrier = threading.Barrier(count)
    statuses: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        try:
            barrier.wait()
            status = client.post(path, {"note": NOTE}, format="json").status_code
            with lock:
                statuses.append(status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_fifty_parallel_requests_with_three_units_left(pro_organization, api_key):
    MonthlyUsage.objects.create(organization=pro_organization, period=month_start(), used=997)
    statuses = _parallel_posts(api_key, 50)
    assert statuses.count(HTTPStatus.OK) == 3
    assert statuses.count(HTTPStatus.TOO_MANY_REQUESTS) == 47
    assert MonthlyUsage.objects.get(organization=pro_organization).used == 1000


def test_parallel_first_requests_of_a_month_create_one_counter(pro_organization, api_key):
    statuses = _parallel_posts(api_key, 20)
    assert statuses.count(HTTPStatus.OK) == 20
    assert MonthlyUsage.objects.get(organization=pro_organization).used == 20
