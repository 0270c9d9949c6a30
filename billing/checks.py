"""System checks for half-configured billing, found at startup rather than at checkout."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def stripe_settings_check(app_configs, **kwargs) -> list:
    key = settings.STRIPE_SECRET_KEY
    problems = []
    if not key:
        return problems
    if not key.startswith(("sk_", "rk_")):
        problems.append(
            Error(
                "STRIPE_SECRET_KEY is not a secret or restricted key (sk_... or rk_...).",
                hint="A publishable key (pk_...) cannot create sessions. See docs/billing.md.",
                id="billing.E001",
            )
        )
    if not (settings.STRIPE_PRICE_PRO and settings.STRIPE_PRICE_PRACTICE):
        problems.append(
            Error(
                "STRIPE_SECRET_KEY is set but STRIPE_PRICE_PRO or STRIPE_PRICE_PRACTICE is not.",
                hint="Set both to the monthly Price ids (price_...) of the Pro and Practice plans.",
                id="billing.E002",
            )
        )
    elif settings.STRIPE_PRICE_PRO == settings.STRIPE_PRICE_PRACTICE:
        problems.append(
            Error(
                "STRIPE_PRICE_PRO and STRIPE_PRICE_PRACTICE are the same Price.",
                id="billing.E003",
            )
        )
    if not settings.STRIPE_WEBHOOK_SECRET:
        problems.append(
            Error(
                "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: renewals, failed "
                "payments and cancellations would never reach ClaimLens.",
                hint="Create the webhook endpoint /billing/stripe/webhook and copy its secret.",
                id="billing.E004",
            )
        )
    if settings.PRODUCTION and settings.STRIPE_API_BASE:
        problems.append(
            Warning(
                "STRIPE_API_BASE is set in production: Stripe calls go to "
                f"{settings.STRIPE_API_BASE}, not api.stripe.com.",
                id="billing.W001",
            )
        )
    if not settings.PRODUCTION and key.startswith(("sk_live_", "rk_live_")):
        problems.append(
            Warning(
                "A live Stripe key is set outside production mode: real cards will be charged.",
                id="billing.W002",
            )
        )
    return problems
