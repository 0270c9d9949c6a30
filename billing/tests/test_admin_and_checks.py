"""Billing admin (read-only, searchable by organization and customer id) and system checks."""

from http import HTTPStatus

import pytest
from django.utils import timezone

from accounts.models import User
from billing.checks import stripe_settings_check
from billing.models import BillingCustomer, StripeEvent, Subscription
from billing.services import plan_grant
from billing.tests.stripe_fakes import PRICE_PRACTICE, PRICE_PRO, SECRET_KEY, WEBHOOK_SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser(email="ops@claimlens.test", password="x"))
    return client


@pytest.fixture
def billed(organization, other_organization):
    BillingCustomer.objects.create(organization=organization, stripe_customer_id="cus_findme")
    BillingCustomer.objects.create(organization=other_organization, stripe_customer_id="cus_other")
    Subscription.objects.create(
        organization=organization,
        stripe_customer_id="cus_findme",
        stripe_subscription_id="sub_findme",
        stripe_price_id=PRICE_PRO,
        plan="pro",
        status="active",
        stripe_event_at=timezone.now(),
    )
    StripeEvent.objects.create(
        event_id="evt_findme",
        type="customer.subscription.created",
        created=timezone.now(),
        stripe_customer_id="cus_findme",
        organization=organization,
        outcome="applied",
    )
    plan_grant(organization=organization, plan="pro", source="stripe")
    plan_grant(organization=other_organization, plan="practice")
    return organization


@pytest.mark.parametrize(
    ("url", "query", "shown"),
    [
        ("/admin/billing/subscription/", "cus_findme", b"sub_findme"),
        ("/admin/billing/stripeevent/", "cus_findme", b"evt_findme"),
        ("/admin/billing/billingcustomer/", "cus_findme", b"cus_findme"),
    ],
)
def test_admin_finds_billing_rows_by_customer_id(staff_client, billed, url, query, shown):
    response = staff_client.get(url, {"q": query})
    assert response.status_code == HTTPStatus.OK
    assert shown in response.content
    assert b"cus_other" not in response.content


def test_admin_finds_plan_history_by_customer_id_and_organization(staff_client, billed):
    for query in ("cus_findme", billed.name):
        response = staff_client.get("/admin/billing/planchange/", {"q": query})
        found = response.context["cl"].result_list
        assert {change.organization_id for change in found} == {billed.pk}
        assert {change.to_plan for change in found} == {"free", "pro"}  # sign-up, then Stripe


def test_stripe_mirrors_are_read_only_in_admin(staff_client, billed):
    subscription = Subscription.objects.get()
    page = staff_client.get(f"/admin/billing/subscription/{subscription.pk}/change/")
    assert page.status_code == HTTPStatus.OK
    assert b'name="status"' not in page.content
    assert staff_client.get("/admin/billing/stripeevent/add/").status_code == 403


def _configured(settings, **overrides):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_PRICE_PRO = PRICE_PRO
    settings.STRIPE_PRICE_PRACTICE = PRICE_PRACTICE
    settings.STRIPE_API_BASE = ""
    for name, value in overrides.items():
        setattr(settings, name, value)


def test_no_stripe_settings_is_a_clean_check(settings):
    settings.STRIPE_SECRET_KEY = ""
    assert stripe_settings_check(None) == []


def test_complete_stripe_settings_are_a_clean_check(settings):
    _configured(settings)
    assert stripe_settings_check(None) == []


@pytest.mark.parametrize(
    ("overrides", "check_id"),
    [
        ({"STRIPE_SECRET_KEY": "pk_test_publishable"}, "billing.E001"),
        ({"STRIPE_PRICE_PRACTICE": ""}, "billing.E002"),
        ({"STRIPE_PRICE_PRACTICE": PRICE_PRO}, "billing.E003"),
        ({"STRIPE_WEBHOOK_SECRET": ""}, "billing.E004"),
        ({"PRODUCTION": True, "STRIPE_API_BASE": "http://127.0.0.1:8420"}, "billing.W001"),
        ({"STRIPE_SECRET_KEY": "sk_live_real"}, "billing.W002"),
    ],
)
def test_half_configured_billing_is_found_at_startup(settings, overrides, check_id):
    _configured(settings, **overrides)
    assert [problem.id for problem in stripe_settings_check(None)] == [check_id]
