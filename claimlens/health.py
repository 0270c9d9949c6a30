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
    """The database answers, and the Celery broker too when one is configured."""
    checks = {"database": "ok" if _database_ready() else "unavailable"}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = "ok" if _broker_ready() else "unavailable"
    else:
        checks["broker"] = "not_configured"
    ready = "unavailable" not in checks.values()
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
