"""The monthly extraction quota, exact under concurrency.

Taking a unit is one conditional UPDATE, never a read followed by a write: under READ COMMITTED
a waiting UPDATE re-checks its WHERE clause against the row the other writer left, so 50
parallel requests with 3 units left admit exactly 3 (PostgreSQL docs, "Read Committed Isolation
Level"). A unit is reserved before the work it pays for starts and released, again with one
UPDATE, if that work fails (extraction.services.extraction_run). Calendar months are UTC; the
counter resets at the first instant of the next month.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connection
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
    """One unit taken from a month's quota, and the month's count with it."""

    organization_id: int
    period: dt.date
    limit: int
    used: int


def _take_one(*, organization_id: int, period: dt.date, limit: int) -> int | None:
    """Add one to the month's counter if it is below ``limit``; the new count, or None.

    ``UPDATE … RETURNING`` admits and reads in one statement (PostgreSQL, SQLite 3.35+): the
    ORM's ``update()`` returns only a row count, and the extract endpoint counts its queries.
    """
    ops = connection.ops
    table = ops.quote_name(MonthlyUsage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET used = used + 1, updated_at = %s "  # noqa: S608 - model's table
            "WHERE organization_id = %s AND period = %s AND used < %s RETURNING used",
            [
                ops.adapt_datetimefield_value(timezone.now()),
                organization_id,
                ops.adapt_datefield_value(period),
                limit,
            ],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def quota_reserve(*, organization) -> Reservation | None:
    """Take one unit of this month's quota, or return None when the limit is reached.

    Each statement commits on its own: the unit is counted at once, and the counter row is not
    held locked while the work it pays for runs. The common case is a single UPDATE; the first
    request of a month also inserts the row (INSERT … ON CONFLICT DO NOTHING, so concurrent first
    requests cannot collide).
    """
    period = month_start()
    limit = limits_for(organization.plan).monthly_extractions
    used = _take_one(organization_id=organization.pk, period=period, limit=limit)
    if used is None:
        # Maybe no row yet this month. A concurrent first request may be inserting it too:
        # ON CONFLICT waits for that insert, and the second UPDATE then sees the row.
        MonthlyUsage.objects.bulk_create(
            [MonthlyUsage(organization=organization, period=period)], ignore_conflicts=True
        )
        used = _take_one(organization_id=organization.pk, period=period, limit=limit)
    if used is None:
        return None
    return Reservation(organization_id=organization.pk, period=period, limit=limit, used=used)


def quota_release(*, organization_id: int, period: dt.date) -> None:
    """Give back a reserved unit whose work failed: one UPDATE on the month it was taken from
    (a request that straddles midnight on the 1st refunds the month it was counted in)."""
    MonthlyUsage.objects.filter(organization_id=organization_id, period=period, used__gt=0).update(
        used=F("used") - 1, updated_at=timezone.now()
    )


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
