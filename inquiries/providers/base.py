"""The one small interface every fulfilment provider implements.

``submit`` hands a new inquiry over and says what happened; ``poll`` asks an asynchronous
upstream again. Both return an :class:`Outcome`, or raise :class:`ProviderUnavailable` (try again
later: the task retries with backoff) or :class:`ProviderRejected` (the request cannot succeed:
the inquiry ends FAILED). Exception messages are short reasons, never patient data.
"""

from dataclasses import dataclass
from typing import Any, Protocol

from inquiries.models import Inquiry


@dataclass(frozen=True)
class Outcome:
    """What a provider learned. ``status=None`` means "no change yet"."""

    status: str | None = None
    results: dict[str, Any] | None = None
    summary: str = ""
    reference: str = ""
    vendor_status: str = ""
    # Seconds until the provider should be asked again (asynchronous upstreams only).
    poll_after: int | None = None


class ProviderUnavailable(Exception):
    """The payer or upstream could not answer now; retrying later may work."""

    def __init__(self, reason: str, *, summary: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.summary = summary or "The payer could not be reached. Please try again later."


class ProviderRejected(Exception):
    """The request cannot succeed as sent; the inquiry ends FAILED with ``summary``."""

    def __init__(self, reason: str, *, summary: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.summary = summary


class InquiryProvider(Protocol):
    name: str

    def submit(self, inquiry: Inquiry) -> Outcome: ...

    def poll(self, inquiry: Inquiry) -> Outcome: ...
