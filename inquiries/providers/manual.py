"""Manual provider: the inquiry waits in the staff work queue (/inquiries/queue/).

A staff member claims it, calls the payer, records the call and completes it through the
services in ``inquiries.services`` (``inquiry_claim``, ``inquiry_record_call``).
"""

from inquiries.models import Inquiry
from inquiries.providers.base import Outcome


class ManualProvider:
    name = "manual"

    def submit(self, inquiry: Inquiry) -> Outcome:
        return Outcome()  # stays PENDING, in the queue

    def poll(self, inquiry: Inquiry) -> Outcome:
        return Outcome()
