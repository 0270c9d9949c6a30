"""Scheduled job: open inquiries past their requested completion date end FAILED."""

import datetime as dt

import pytest
from django.utils import timezone

from inquiries.models import Status
from inquiries.services import inquiry_fail_overdue

pytestmark = pytest.mark.django_db


def test_open_inquiries_past_the_date_and_grace_fail(make_inquiry, settings):
    settings.INQUIRY_OVERDUE_GRACE_DAYS = 2
    today = timezone.now().date()
    overdue = make_inquiry(desired_completion_date=today - dt.timedelta(days=3))
    within_grace = make_inquiry(desired_completion_date=today - dt.timedelta(days=1))
    future = make_inquiry(desired_completion_date=today + dt.timedelta(days=5))

    assert inquiry_fail_overdue() == 1
    for inquiry in (overdue, within_grace, future):
        inquiry.refresh_from_db()
    assert overdue.status == Status.FAILED
    assert "requested completion date" in overdue.summary
    assert within_grace.status == Status.PENDING
    assert future.status == Status.PENDING
    assert inquiry_fail_overdue() == 0  # final inquiries are left alone


def test_finished_inquiries_are_not_touched(make_inquiry):
    done = make_inquiry(
        desired_completion_date=timezone.now().date() - dt.timedelta(days=30), run_tasks=True
    )
    done.refresh_from_db()
    assert done.status == Status.SUCCESS
    inquiry_fail_overdue()
    done.refresh_from_db()
    assert done.status == Status.SUCCESS
