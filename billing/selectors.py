"""Reads about billing: an organization's subscription, and whether it may call the API."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from accounts.models import Organization
from billing.models import BillingCustomer, Subscription, SubscriptionStatus
from billing.plans import limits_for


@dataclass(frozen=True)
class ApiAccess:
    allowed: bool
    code: str = ""
    message: str = ""


API_ALLOWED = ApiAccess(allowed=True)


def past_due_grace() -> dt.timedelta:
    return dt.timedelta(days=settings.BILLING_PAST_DUE_GRACE_DAYS)


def api_access_for(*, organization: Organization) -> ApiAccess:
    """Whether the organization's keys may call the API: a paid plan, and no payment failed
    longer ago than the grace period. At most one query (none on the free plan)."""
    if not limits_for(organization.plan).api_access:
        return ApiAccess(
            False,
            "plan_required",
            "API access requires a Pro or Practice plan. Upgrade at /pricing.",
        )
    overdue = Subscription.objects.filter(
        organization=organization,
        status=SubscriptionStatus.PAST_DUE,
        past_due_since__lte=timezone.now() - past_due_grace(),
    ).exists()
    if overdue:
        return ApiAccess(
            False,
            "payment_required",
            "The last payment for this organization's plan failed and the "
            f"{settings.BILLING_PAST_DUE_GRACE_DAYS}-day grace period has ended. "
            "An owner or admin can update the card at /billing/ to restore API access.",
        )
    return API_ALLOWED


def subscription_current_for(*, organization: Organization) -> Subscription | None:
    """The live subscription, else the most recent one (to show how it ended), else None."""
    subscriptions = Subscription.objects.filter(organization=organization)
    return subscriptions.live().first() or subscriptions.order_by("-created_at", "-pk").first()


def billing_customer_for(*, organization: Organization) -> BillingCustomer | None:
    return BillingCustomer.objects.filter(organization=organization).first()


def grace_ends_at(subscription: Subscription) -> dt.datetime | None:
    """When a past-due subscription loses API access."""
    if subscription.past_due_since is None:
        return None
    return subscription.past_due_since + past_due_grace()
