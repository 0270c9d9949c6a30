"""Queueing Celery work from a request without letting a broker outage fail the request."""

import logging
from typing import Any

from celery import Task
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 3600


def enqueue(task: Task, *args: Any) -> bool:
    """Queue ``task`` with ids only; False, logged, if the broker cannot take it.

    Callers queue work a row already records (an inquiry, a quota unit to give back), so a
    broker outage must not turn the request into a 500: each caller has its own way to pick
    the work up later (``inquiries.services.inquiry_reconcile``). Publishing gives up after
    about a second (settings: Celery).
    """
    try:
        task.delay(*args)
    except (BrokerError, OSError) as exc:
        logger.warning(
            "broker unavailable: %s%s not queued (%s)", task.name, args, type(exc).__name__
        )
        return False
    return True


def backoff_seconds(base: int, retries: int, cap: int = MAX_BACKOFF_SECONDS) -> int:
    """``base * 2**retries`` seconds, capped (at an hour unless said otherwise)."""
    return min(base * 2**retries, cap)
