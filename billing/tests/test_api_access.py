"""API access follows the subscription: a past-due plan works through the grace period, then 403."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.utils import timezone

from billing.models import BillingCustomer, Subscription
from billing.quota import usage_snapshot
from billing.selectors import api_access_for

pytestmark = pytest.mark.django_db

USAGE_URL = "/api/v1/usage"


def _past_due(organization, *, days: float) -> Subscription:
    BillingCustomer.objects.create(organization=organization, stripe_customer_id="cus_grace")
    return Subscription.objects.create(
        organization=organization,
        stripe_customer_id="cus_grace",
        stripe_subscription_id="sub_grace",
        stripe_price_id="price_claimlens_pro",
        plan="pro",
        status="past_due",
        past_due_since=timezone.now() - dt.timedelta(days=days),
        stripe_event_at=timezone.now(),
    )


def test_past_due_within_grace_keeps_api_access(bearer_client, pro_organization):
    _past_due(pro_organization, days=6.9)
    assert bearer_client.get(USAGE_URL).status_code == HTTPStatus.OK


def test_past_due_after_grace_is_403_payment_required(bearer_client, pro_organization):
    _past_due(pro_organization, days=7.1)
    response = bearer_client.get(USAGE_URL)
    assert response.status_code == HTTPStatus.FORBIDDEN
    body = response.json()
    assert body["error"] == "payment_required"
    assert "payment" in body["message"]
    assert "/billing/" in body["message"]
    # The web quota keeps the plan's limit: only the API stops.
    assert usage_snapshot(organization=pro_organization).limit == 1_000


def test_grace_period_is_configurable(bearer_client, pro_organization, settings):
    settings.BILLING_PAST_DUE_GRACE_DAYS = 2
    _past_due(pro_organization, days=3)
    assert bearer_client.get(USAGE_URL).json()["error"] == "payment_required"


def test_free_plan_is_still_plan_required(api_client, organization, make_api_key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_api_key(organization)}")
    response = api_client.get(USAGE_URL)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["error"] == "plan_required"


def test_access_check_costs_one_query_on_a_paid_plan_and_none_on_free(
    pro_organization, other_organization, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert api_access_for(organization=pro_organization).allowed
    with django_assert_num_queries(0):
        assert api_access_for(organization=other_organization).code == "plan_required"


def test_usage_endpoint_query_budget(bearer_client, django_assert_max_num_queries):
    bearer_client.get(USAGE_URL)  # first use writes last_used_at
    with django_assert_max_num_queries(3):  # key + organization, access check, usage row
        assert bearer_client.get(USAGE_URL).status_code == HTTPStatus.OK
