"""Scheduled job: usage e-mails at 80% and 100% of the monthly limit, once each a month."""

import pytest
from django.core import mail

from accounts.models import Membership, Role
from accounts.tests.factories import UserFactory
from billing.models import MonthlyUsage
from billing.quota import month_start
from billing.usage_alerts import usage_alerts_send

pytestmark = pytest.mark.django_db


def _usage(organization, used: int) -> MonthlyUsage:
    return MonthlyUsage.objects.update_or_create(
        organization=organization, period=month_start(), defaults={"used": used}
    )[0]


def test_eighty_then_hundred_percent_each_once(pro_organization, user):
    admin = UserFactory()
    Membership.objects.create(user=admin, organization=pro_organization, role=Role.ADMIN)
    member = UserFactory()
    Membership.objects.create(user=member, organization=pro_organization, role=Role.MEMBER)

    _usage(pro_organization, 799)
    assert usage_alerts_send() == 0
    _usage(pro_organization, 800)
    assert usage_alerts_send() == 1
    assert "80%" in mail.outbox[-1].subject
    assert set(mail.outbox[-1].to) == {user.email, admin.email}
    assert usage_alerts_send() == 0  # not twice

    _usage(pro_organization, 1000)
    assert usage_alerts_send() == 1
    assert "used all 1,000" in mail.outbox[-1].subject
    assert "resets on 1 " in mail.outbox[-1].body
    assert usage_alerts_send() == 0
    assert len(mail.outbox) == 2


def test_jumping_straight_to_the_limit_sends_only_the_final_mail(pro_organization):
    _usage(pro_organization, 1000)
    assert usage_alerts_send() == 1
    assert "used all" in mail.outbox[-1].subject
    usage = MonthlyUsage.objects.get(organization=pro_organization)
    assert usage.alerted_80_at is not None
    assert usage_alerts_send() == 0


def test_limits_follow_the_plan(organization):
    _usage(organization, 20)  # free plan: 25 a month, 80% = 20
    assert usage_alerts_send() == 1
