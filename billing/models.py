"""Plan history, monthly usage counters, and the Stripe side of billing."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from billing.plans import Plan
from claimlens.db import TimeStampedModel


class PlanChangeSource(models.TextChoices):
    SIGNUP = "signup", "Sign-up"
    MANUAL = "manual", "Manual grant"
    STRIPE = "stripe", "Stripe"


class PlanChange(models.Model):
    """One change of an organization's plan: what it was, what it became, and why."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="plan_changes"
    )
    from_plan = models.CharField(max_length=20, choices=Plan.choices, blank=True)
    to_plan = models.CharField(max_length=20, choices=Plan.choices)
    source = models.CharField(max_length=20, choices=PlanChangeSource.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organization}: {self.from_plan or '-'} -> {self.to_plan} ({self.source})"


class MonthlyUsage(TimeStampedModel):
    """Extractions an organization has used in one calendar month (UTC), API and web together.

    ``used`` only ever changes through single conditional UPDATEs (see ``billing.quota``), so
    concurrent requests can never overshoot the limit.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="monthly_usage"
    )
    period = models.DateField(help_text="First day of the month, UTC.")
    used = models.PositiveIntegerField(default=0)
    # When the 80% and 100% usage e-mails went out (billing.services.usage_alerts_send).
    alerted_80_at = models.DateTimeField(null=True, blank=True)
    alerted_100_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "period"], name="usage_one_per_month"),
            models.CheckConstraint(condition=Q(used__gte=0), name="usage_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.period:%Y-%m}: {self.used}"


class BillingCustomer(TimeStampedModel):
    """The Stripe Customer that pays for an organization; created before its first Checkout."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="billing_customer"
    )
    stripe_customer_id = models.CharField(max_length=255, unique=True)

    def __str__(self) -> str:
        return f"{self.organization} ({self.stripe_customer_id})"


class SubscriptionStatus(models.TextChoices):
    """Stripe's subscription statuses (docs.stripe.com/api/subscriptions/object#status)."""

    INCOMPLETE = "incomplete", "Incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired", "Incomplete, expired"
    TRIALING = "trialing", "Trialing"
    ACTIVE = "active", "Active"
    PAST_DUE = "past_due", "Past due"
    UNPAID = "unpaid", "Unpaid"
    CANCELED = "canceled", "Canceled"
    PAUSED = "paused", "Paused"


# Statuses in which a subscription still bills: at most one per organization.
LIVE_STATUSES = (
    SubscriptionStatus.TRIALING,
    SubscriptionStatus.ACTIVE,
    SubscriptionStatus.PAST_DUE,
    SubscriptionStatus.UNPAID,
    SubscriptionStatus.PAUSED,
)
# Statuses in which the organization has the subscription's plan (past due: within grace).
PLAN_GRANTING_STATUSES = (
    SubscriptionStatus.TRIALING,
    SubscriptionStatus.ACTIVE,
    SubscriptionStatus.PAST_DUE,
)
# A subscription never leaves these: Stripe cannot revive an ended subscription.
ENDED_STATUSES = (SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED)


class SubscriptionQuerySet(models.QuerySet):
    def live(self) -> "SubscriptionQuerySet":
        return self.filter(status__in=LIVE_STATUSES)


class Subscription(TimeStampedModel):
    """Our copy of one Stripe subscription, kept in step by webhooks.

    ``stripe_event_at`` is the ``created`` time of the newest Stripe event (or fetch) applied;
    an older event arriving late is recorded and ignored, so state never goes backwards.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="subscriptions"
    )
    stripe_customer_id = models.CharField(max_length=255, db_index=True)
    stripe_subscription_id = models.CharField(max_length=255, unique=True)
    stripe_price_id = models.CharField(max_length=255)
    plan = models.CharField(max_length=20, choices=Plan.choices)
    status = models.CharField(max_length=20, choices=SubscriptionStatus.choices)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    past_due_since = models.DateTimeField(
        null=True, blank=True, help_text="When the payment failed; API access ends after grace."
    )
    stripe_event_at = models.DateTimeField(help_text="Time of the newest Stripe state applied.")

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SubscriptionStatus.values), name="subscription_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(plan__in=[Plan.PRO, Plan.PRACTICE]), name="subscription_plan_paid"
            ),
            models.CheckConstraint(
                condition=Q(status=SubscriptionStatus.PAST_DUE) | Q(past_due_since__isnull=True),
                name="subscription_past_due_since_only_when_past_due",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status__in=LIVE_STATUSES),
                name="subscription_one_live_per_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.plan} {self.status} ({self.stripe_subscription_id})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class StripeEventOutcome(models.TextChoices):
    APPLIED = "applied", "Applied"
    STALE = "stale", "Stale: newer state already applied"
    IGNORED = "ignored", "Ignored"
    UNKNOWN_CUSTOMER = "unknown_customer", "Unknown customer"


class StripeEvent(models.Model):
    """A Stripe event we processed. The unique ``event_id`` makes each event count at most once:
    the row is inserted in the same transaction as the change the event causes."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    created = models.DateTimeField(help_text="When Stripe created the event.")
    livemode = models.BooleanField(default=False)
    stripe_customer_id = models.CharField(max_length=255, blank=True, db_index=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stripe_events",
    )
    outcome = models.CharField(max_length=20, choices=StripeEventOutcome.choices)
    detail = models.CharField(max_length=200, blank=True)
    processed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-processed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=StripeEventOutcome.values),
                name="stripe_event_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type} ({self.outcome})"
