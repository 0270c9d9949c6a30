"""Liveness and readiness probes, without authentication, for load balancers."""

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers: nothing else is checked."""
    return JsonResponse({"status": "ok"})


def _database_ready() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "not ready"
        logger.warning("readyz: database unreachable")
        return False


def _broker_ready() -> bool:
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # any failure means "not ready"
        logger.warning("readyz: broker unreachable")
        return False


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready when the database answers. The Celery broker is checked and reported, but a broker
    outage answers 200 ``degraded``: extraction never needs it and inquiries are still accepted
    (and queued later by the reconciler), so a load balancer must not take every web process
    out of rotation because Redis is down (docs/deploy.md)."""
    checks = {"database": "ok" if _database_ready() else "unavailable"}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = "ok" if _broker_ready() else "unavailable"
    else:
        checks["broker"] = "not_configured"
    if checks["database"] != "ok":
        status = "unavailable"
    elif checks["broker"] == "unavailable":
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, "checks": checks}, status=503 if status == "unavailable" else 200
    )
