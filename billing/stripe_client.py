"""The one place where ClaimLens talks to Stripe: the client, and which Price is which plan.

Billing is on when ``STRIPE_SECRET_KEY`` and both Price ids are set; webhooks are accepted when
``STRIPE_WEBHOOK_SECRET`` is set. ``STRIPE_API_BASE`` points the SDK at a Stripe-compatible server
(localstripe in the tests). Calls run on the request path, so retries are few and the timeout
short (stripe-python's defaults are 2 retries and 80 s).
"""

from functools import lru_cache

import stripe
from django.conf import settings

from billing.plans import Plan


def billing_enabled() -> bool:
    """Checkout and the Customer Portal can be offered: a secret key and both Prices are set."""
    return bool(
        settings.STRIPE_SECRET_KEY and settings.STRIPE_PRICE_PRO and settings.STRIPE_PRICE_PRACTICE
    )


def webhooks_enabled() -> bool:
    return bool(settings.STRIPE_WEBHOOK_SECRET)


def stripe_client() -> stripe.StripeClient | None:
    """The configured client, or None when no secret key is set. Built once per configuration."""
    if not settings.STRIPE_SECRET_KEY:
        return None
    return _client_for(
        settings.STRIPE_SECRET_KEY,
        settings.STRIPE_API_BASE,
        settings.STRIPE_MAX_NETWORK_RETRIES,
        settings.STRIPE_TIMEOUT_SECONDS,
    )


@lru_cache(maxsize=4)
def _client_for(
    secret_key: str, api_base: str, max_network_retries: int, timeout: float
) -> stripe.StripeClient:
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": api_base} if api_base else None,
        max_network_retries=max_network_retries,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


def price_id_for_plan(plan: str) -> str:
    """The Stripe Price a paid plan is sold at ('' when not configured)."""
    return {
        Plan.PRO: settings.STRIPE_PRICE_PRO,
        Plan.PRACTICE: settings.STRIPE_PRICE_PRACTICE,
    }.get(Plan(plan), "")


def plan_for_price_id(price_id: str) -> Plan | None:
    """The plan a Stripe Price grants, or None for a Price ClaimLens does not sell."""
    if not price_id:
        return None
    if price_id == settings.STRIPE_PRICE_PRO:
        return Plan.PRO
    if price_id == settings.STRIPE_PRICE_PRACTICE:
        return Plan.PRACTICE
    return None
