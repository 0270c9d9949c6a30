"""The monthly counter: reserve and release, each one statement, never below zero."""

import dataclasses
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
        quota_release(reservation)
    assert [q["sql"].split()[0] for q in reserve.captured_queries] == ["UPDATE"]
    assert [q["sql"].split()[0] for q in release.captured_queries] == ["UPDATE"]
    assert usage_snapshot(organization=pro_organization).used == 1


def test_release_returns_the_unit_to_the_month_it_came_from(pro_organization):
    """A request reserved on the last second of a month and failing after midnight."""
    last_month = (month_start() - dt.timedelta(days=1)).replace(day=1)
    MonthlyUsage.objects.create(organization=pro_organization, period=last_month, used=7)
    reservation = quota_reserve(organization=pro_organization)
    stale = dataclasses.replace(reservation, period=last_month, used=7)

    quota_release(stale)

    assert MonthlyUsage.objects.get(organization=pro_organization, period=last_month).used == 6
    assert usage_snapshot(organization=pro_organization).used == 1


def test_release_never_goes_below_zero(pro_organization):
    reservation = quota_reserve(organization=pro_organization)
    quota_release(reservation)
    quota_release(reservation)
    assert usage_snapshot(organization=pro_organization).used == 0
