"""The plan table: the one place where what each plan allows is written down.

Monthly limits are the API reference's (Pro 1,000, Practice 5,000 requests a month), shared by
the API and the web workspace.
"""

from dataclasses import dataclass

from django.db import models


class Plan(models.TextChoices):
    FREE = "free", "Free"
    PRO = "pro", "Pro"
    PRACTICE = "practice", "Practice"


@dataclass(frozen=True)
class PlanLimits:
    monthly_extractions: int
    api_access: bool
    max_members: int
    price_usd_cents: int

    @property
    def price_usd(self) -> str:
        """The monthly price for display: "$49", or "$49.50" when there are cents."""
        dollars, cents = divmod(self.price_usd_cents, 100)
        return f"${dollars:,}" + (f".{cents:02d}" if cents else "")


PLAN_LIMITS: dict[str, PlanLimits] = {
    Plan.FREE: PlanLimits(
        monthly_extractions=25, api_access=False, max_members=1, price_usd_cents=0
    ),
    Plan.PRO: PlanLimits(
        monthly_extractions=1_000, api_access=True, max_members=1, price_usd_cents=4_900
    ),
    Plan.PRACTICE: PlanLimits(
        monthly_extractions=5_000, api_access=True, max_members=10, price_usd_cents=19_900
    ),
}


def limits_for(plan: str) -> PlanLimits:
    return PLAN_LIMITS[Plan(plan)]


def plan_table() -> list[tuple[Plan, PlanLimits]]:
    """Every plan with its limits, cheapest first, as the pricing page lists them."""
    return [(plan, PLAN_LIMITS[plan]) for plan in Plan]
