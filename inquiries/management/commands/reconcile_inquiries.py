"""``manage.py reconcile_inquiries``: re-queue inquiry work whose task was lost: fulfilment,
polling and completion callbacks.

Run it every few minutes from cron or a scheduler (or Celery beat with the
``inquiries.tasks.inquiry_reconcile`` task). Fulfilment and polling are idempotent; a resumed
callback may reach a receiver twice, which deduplicates on the event id. After a broker outage,
``--submit-after 0`` queues all waiting work at once instead of after ten minutes.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser

from inquiries.services import RECONCILE_SUBMIT_AFTER, inquiry_reconcile


class Command(BaseCommand):
    help = "Re-queue benefits-inquiry fulfilment, polling and callbacks whose task was lost."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--submit-after",
            type=int,
            default=int(RECONCILE_SUBMIT_AFTER.total_seconds()),
            metavar="SECONDS",
            help="queue PENDING inquiries not handed over this long after creation",
        )

    def handle(self, *args, submit_after: int, **options) -> None:
        counts = inquiry_reconcile(submit_after=timedelta(seconds=submit_after))
        self.stdout.write(
            f"queued {counts['submitted']} to submit, {counts['polled']} to poll, "
            f"{counts['callbacks']} callbacks"
        )
