"""Completion callbacks: the payload and its signature (documented in docs/inquiries.md).

``ClaimLens-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "{t}.{raw body}">`` with the
organization's callback secret, the scheme Stripe uses, so a receiver can reject replays by
checking ``t`` and compare in constant time. The payload names the inquiry and its new status
but carries no patient data: the receiver fetches the inquiry with its API key.
"""

import hashlib
import hmac
from typing import Any

from inquiries.models import InquiryTransition
from inquiries.results import format_creation_ts

SIGNATURE_HEADER = "ClaimLens-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


def compute_signature(*, secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={compute_signature(secret=secret, timestamp=timestamp, body=body)}"


def verify_signature(
    *, secret: str, header: str, body: bytes, now: int, tolerance: int = DEFAULT_TOLERANCE_SECONDS
) -> bool:
    """What a receiver does: parse the header, check the age, compare in constant time."""
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = compute_signature(secret=secret, timestamp=timestamp, body=body)
    return any(hmac.compare_digest(expected, candidate) for candidate in parts.get("v1", []))


def callback_payload(*, event_id: str, transition: InquiryTransition) -> dict[str, Any]:
    inquiry = transition.inquiry
    return {
        "id": event_id,
        "type": "inquiry.completed",
        "created_ts": format_creation_ts(transition.created_at),
        "data": {
            "inquiry_id": str(inquiry.pk),
            "status": transition.to_status,
            "external_id": inquiry.external_id or None,
            "creation_ts": format_creation_ts(inquiry.created_at),
        },
    }
