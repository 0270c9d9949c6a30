"""Plan changes. Quota lives in ``billing.quota``."""

from django.db import transaction

from accounts.models import Organization, User
from accounts.services import audit_record
from billing.models import PlanChange, PlanChangeSource
from billing.plans import Plan


@transaction.atomic
def plan_grant(
    *,
    organization: Organization,
    plan: str,
    source: str = PlanChangeSource.MANUAL,
    changed_by: User | None = None,
    note: str = "",
) -> Organization:
    """Put an organization on ``plan`` at once, recording the change and who made it."""
    plan = Plan(plan)
    previous = organization.plan
    if previous == plan:
        return organization
    organization.plan = plan
    organization.save(update_fields=["plan", "updated_at"])
    PlanChange.objects.create(
        organization=organization,
        from_plan=previous,
        to_plan=plan,
        source=source,
        changed_by=changed_by,
        note=note,
    )
    audit_record(
        organization=organization,
        actor=changed_by,
        action="plan.changed",
        target=organization,
        detail={"from": previous, "to": str(plan), "source": str(source)},
    )
    return organization
