"""The monthly extraction quota, exact under concurrency.

Each step is one conditional UPDATE, never a read followed by a write: under READ COMMITTED a
waiting UPDATE re-checks its WHERE clause against the row the other writer left, so 50 parallel
requests with 3 units left admit exactly 3 (PostgreSQL docs, "Read Committed Isolation Level").
Calendar months are UTC; the counter resets at the first instant of the next month.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from billing.models import MonthlyUsage
from billing.plans import limits_for


def month_start(now: dt.datetime | None = None) -> dt.date:
    now = now or timezone.now()
    return now.astimezone(dt.UTC).date().replace(day=1)


def next_reset(now: dt.datetime | None = None) -> dt.datetime:
    """The first instant of the next calendar month, UTC."""
    start = month_start(now)
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return dt.datetime(year, month, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class UsageSnapshot:
    plan: str
    limit: int
    used: int
    reset_at: dt.datetime

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


@dataclass(frozen=True)
class Reservation:
    """One unit taken from a month's quota; refund it against the same month."""

    organization_id: int
    period: dt.date
    limit: int
    used: int


def quota_reserve(*, organization) -> Reservation | None:
    """Take one unit of this month's quota, or return None when the limit is reached.

    The common case is a single UPDATE; the first request of a month also inserts the row
    (INSERT … ON CONFLICT DO NOTHING, so concurrent first requests cannot collide).
    """
    period = month_start()
    limit = limits_for(organization.plan).monthly_extractions
    rows = MonthlyUsage.objects.filter(organization=organization, period=period)

    def take_one() -> int:
        return rows.filter(used__lt=limit).update(used=F("used") + 1, updated_at=timezone.now())

    admitted = take_one()
    if not admitted:
        # Maybe no row yet this month. A concurrent first request may be inserting it too:
        # ON CONFLICT waits for that insert, and the second UPDATE then sees the row.
        MonthlyUsage.objects.bulk_create(
            [MonthlyUsage(organization=organization, period=period)], ignore_conflicts=True
        )
        admitted = take_one()
    if not admitted:
        return None
    used = rows.values_list("used", flat=True).first() or 0
    return Reservation(organization_id=organization.pk, period=period, limit=limit, used=used)


def quota_refund(*, reservation: Reservation) -> None:
    """Give back a unit whose request failed on our side; never below zero."""
    MonthlyUsage.objects.filter(
        organization_id=reservation.organization_id, period=reservation.period, used__gt=0
    ).update(used=F("used") - 1, updated_at=timezone.now())


def usage_snapshot(*, organization) -> UsageSnapshot:
    """This month's usage of an organization against its plan's limit."""
    used = (
        MonthlyUsage.objects.filter(organization=organization, period=month_start())
        .values_list("used", flat=True)
        .first()
    ) or 0
    return UsageSnapshot(
        plan=organization.plan,
        limit=limits_for(organization.plan).monthly_extractions,
        used=used,
        reset_at=next_reset(),
    )
