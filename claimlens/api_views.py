"""Helpers shared by the API views of every app."""

from billing.quota import UsageSnapshot


def rate_limit_headers(usage: UsageSnapshot) -> dict[str, str]:
    """GitHub-style quota headers; the reset is in epoch seconds."""
    return {
        "X-RateLimit-Limit": str(usage.limit),
        "X-RateLimit-Remaining": str(usage.remaining),
        "X-RateLimit-Reset": str(int(usage.reset_at.timestamp())),
    }
