"""``manage.py reconcile_inquiries``: re-queue inquiries whose fulfilment or polling was lost.

Run it every few minutes from cron or a scheduler (or Celery beat with the
``inquiries.tasks.inquiry_reconcile`` task). It only queues idempotent tasks, so running it
more often than needed does no harm.
"""

from django.core.management.base import BaseCommand

from inquiries.services import inquiry_reconcile


class Command(BaseCommand):
    help = "Re-queue benefits inquiries whose fulfilment or polling task was lost."

    def handle(self, *args, **options) -> None:
        counts = inquiry_reconcile()
        self.stdout.write(f"queued {counts['submitted']} to submit, {counts['polled']} to poll")
