import datetime as dt

from celery import shared_task

from billing.quota import quota_release
from billing.usage_alerts import usage_alerts_send
from claimlens.api import DATABASE_UNAVAILABLE_ERRORS
from claimlens.queueing import backoff_seconds

RELEASE_BACKOFF_SECONDS = 5
RELEASE_MAX_BACKOFF_SECONDS = 300
RELEASE_MAX_RETRIES = 20  # about 1.5 hours of backoff capped at 5 minutes, then it is logged


@shared_task
def send_usage_alerts() -> int:
    """Every 15 minutes (Celery beat): 80% and 100% usage e-mails, once a month each."""
    return usage_alerts_send()


@shared_task(bind=True, max_retries=RELEASE_MAX_RETRIES, acks_late=True)
def quota_release_later(self, organization_id: int, period: str) -> None:
    """Give back a unit whose request failed while the database was away: the request could
    not (extraction.services), so the worker retries until the database answers again."""
    try:
        quota_release(organization_id=organization_id, period=dt.date.fromisoformat(period))
    except DATABASE_UNAVAILABLE_ERRORS as exc:
        countdown = backoff_seconds(
            RELEASE_BACKOFF_SECONDS, self.request.retries, cap=RELEASE_MAX_BACKOFF_SECONDS
        )
        raise self.retry(exc=exc, countdown=countdown) from exc
