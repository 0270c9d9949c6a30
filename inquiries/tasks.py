"""Celery tasks for inquiries. Arguments are ids only, never patient data; the tasks own retries.

Retries use exponential backoff (``base * 2**n`` seconds, capped at an hour). In eager mode
(no broker, tests) Celery runs a retry at once, in-process.
"""

import logging

from celery import shared_task
from django.conf import settings

from claimlens.queueing import backoff_seconds
from inquiries import services
from inquiries.providers import ProviderRejected, ProviderUnavailable

logger = logging.getLogger(__name__)

CALLBACK_BACKOFF_SECONDS = 10


@shared_task(bind=True, max_retries=None, acks_late=True)
def inquiry_fulfill(self, inquiry_id: str) -> None:
    """Hand an inquiry to its provider; idempotent, so a second delivery does nothing."""
    try:
        outcome = services.inquiry_submit(inquiry_id=inquiry_id)
    except ProviderRejected as exc:
        logger.warning("inquiry %s: provider refused it (%s)", inquiry_id, exc.reason)
        services.inquiry_fail(
            inquiry_id=inquiry_id, summary=exc.summary, source="worker", note=exc.reason
        )
        return
    except ProviderUnavailable as exc:
        retries = self.request.retries
        if retries >= settings.INQUIRY_MAX_RETRIES:
            logger.warning(
                "inquiry %s: provider unavailable (%s), giving up after %d retries",
                inquiry_id,
                exc.reason,
                retries,
            )
            services.inquiry_fail(
                inquiry_id=inquiry_id, summary=exc.summary, source="worker", note=exc.reason
            )
            return
        countdown = backoff_seconds(settings.INQUIRY_RETRY_BACKOFF_SECONDS, retries)
        logger.info(
            "inquiry %s: provider unavailable (%s), retry %d in %ds",
            inquiry_id,
            exc.reason,
            retries + 1,
            countdown,
        )
        raise self.retry(countdown=countdown) from None
    if outcome is not None and outcome.poll_after is not None:
        inquiry_poll.apply_async(args=[inquiry_id], countdown=outcome.poll_after)


@shared_task(bind=True, max_retries=None, acks_late=True)
def inquiry_poll(self, inquiry_id: str) -> None:
    """Ask an asynchronous upstream again until the inquiry is final, backing off each time.

    An upstream error is just another "not yet": the inquiry stays open and is asked again.
    After INQUIRY_POLL_MAX_ATTEMPTS the task stops; the upstream's webhook can still finish it.
    """
    try:
        still_open = services.inquiry_poll(inquiry_id=inquiry_id)
    except (ProviderUnavailable, ProviderRejected) as exc:
        logger.warning("inquiry %s: poll failed (%s)", inquiry_id, exc.reason)
        still_open = True
    if not still_open:
        return
    retries = self.request.retries
    if retries + 1 >= settings.INQUIRY_POLL_MAX_ATTEMPTS:
        logger.warning("inquiry %s: still open after %d polls; stopping", inquiry_id, retries + 1)
        return
    raise self.retry(countdown=backoff_seconds(settings.INQUIRY_POLL_INTERVAL_SECONDS, retries))


@shared_task(bind=True, max_retries=None, acks_late=True)
def callback_deliver(self, transition_id: int, first_attempt: int = 1) -> None:
    """POST the completion callback; retry with backoff until a 2xx or the attempts run out.

    ``first_attempt`` above 1 resumes a chain the reconciler found stopped."""
    attempt = first_attempt + self.request.retries
    delivery = services.callback_deliver(transition_id=transition_id, attempt=attempt)
    if delivery is None or delivery.succeeded:
        return
    if attempt >= settings.INQUIRY_CALLBACK_MAX_ATTEMPTS:
        logger.warning("callback %s: giving up after %d attempts", delivery.event_id, attempt)
        return
    raise self.retry(countdown=backoff_seconds(CALLBACK_BACKOFF_SECONDS, attempt - 1))


@shared_task
def inquiry_reconcile() -> dict[str, int]:
    """Periodic safety net (Celery beat or cron): see services.inquiry_reconcile."""
    return services.inquiry_reconcile()


@shared_task
def inquiry_fail_overdue() -> int:
    """Daily (Celery beat): see services.inquiry_fail_overdue."""
    return services.inquiry_fail_overdue()
