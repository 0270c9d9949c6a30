"""The monthly counter: reserve and release, each one statement, never below zero."""

import datetime as dt

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from billing import tasks
from billing.models import MonthlyUsage
from billing.plans import limits_for
from billing.quota import month_start, quota_release, quota_reserve, usage_snapshot

pytestmark = pytest.mark.django_db


def test_reserve_counts_up_to_the_limit_and_then_refuses(pro_organization):
    limit = limits_for(pro_organization.plan).monthly_extractions
    MonthlyUsage.objects.create(organization=pro_organization, period=month_start(), used=limit - 2)

    first = quota_reserve(organization=pro_organization)
    second = quota_reserve(organization=pro_organization)

    assert (first.used, second.used) == (limit - 1, limit)
    assert quota_reserve(organization=pro_organization) is None
    assert usage_snapshot(organization=pro_organization).used == limit


def test_first_reservation_of_a_month_creates_the_counter(pro_organization):
    reservation = quota_reserve(organization=pro_organization)
    assert reservation.used == 1
    assert MonthlyUsage.objects.get(organization=pro_organization).period == month_start()


def test_reserve_and_release_are_one_statement_each(pro_organization):
    reservation = quota_reserve(organization=pro_organization)
    with CaptureQueriesContext(connection) as reserve:
        reservation = quota_reserve(organization=pro_organization)
    with CaptureQueriesContext(connection) as release:
        quota_release(organization_id=pro_organization.pk, period=reservation.period)
    assert [q["sql"].split()[0] for q in reserve.captured_queries] == ["UPDATE"]
    assert [q["sql"].split()[0] for q in release.captured_queries] == ["UPDATE"]
    assert usage_snapshot(organization=pro_organization).used == 1


def test_release_returns_the_unit_to_the_month_it_came_from(pro_organization):
    """A request reserved on the last second of a month and failing after midnight."""
    last_month = (month_start() - dt.timedelta(days=1)).replace(day=1)
    MonthlyUsage.objects.create(organization=pro_organization, period=last_month, used=7)
    quota_reserve(organization=pro_organization)

    quota_release(organization_id=pro_organization.pk, period=last_month)

    assert MonthlyUsage.objects.get(organization=pro_organization, period=last_month).used == 6
    assert usage_snapshot(organization=pro_organization).used == 1


def test_release_never_goes_below_zero(pro_organization):
    reservation = quota_reserve(organization=pro_organization)
    quota_release(organization_id=pro_organization.pk, period=reservation.period)
    quota_release(organization_id=pro_organization.pk, period=reservation.period)
    assert usage_snapshot(organization=pro_organization).used == 0


def test_a_deferred_release_is_retried_until_the_database_answers(pro_organization, monkeypatch):
    """The worker's side of a release the request could not make (extraction.services)."""
    reservation = quota_reserve(organization=pro_organization)
    calls = []

    def database_back_on_the_third_try(**kwargs):
        calls.append(kwargs)
        if len(calls) < 3:
            raise OperationalError("the database is restarting")
        quota_release(**kwargs)

    monkeypatch.setattr(tasks, "quota_release", database_back_on_the_third_try)
    tasks.quota_release_later.apply(args=(pro_organization.pk, reservation.period.isoformat()))

    assert len(calls) == 3
    assert usage_snapshot(organization=pro_organization).used == 0
