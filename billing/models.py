"""Plan history and monthly usage counters."""

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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "period"], name="usage_one_per_month"),
            models.CheckConstraint(condition=Q(used__gte=0), name="usage_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.period:%Y-%m}: {self.used}"
