"""Pricing, billing, Checkout and portal pages through HTTP.

localstripe has no Checkout Sessions or Billing Portal, so those requests are checked by their
shape: stripe-python talks to a fake Stripe on loopback that records each request as sent.
Customers are created on localstripe itself.
"""

import re
import time
from http import HTTPStatus

import pytest
import stripe

from accounts.models import Membership, Role
from accounts.tests.factories import UserFactory
from billing.models import BillingCustomer, Subscription
from billing.tests.stripe_fakes import PRICE_PRO, SECRET_KEY, subscription_object

pytestmark = pytest.mark.django_db

CHECKOUT_URL = "https://checkout.stripe.test/c/pay/cs_test_1"
PORTAL_URL = "https://billing.stripe.test/p/session/bps_test_1"


def _answer_checkout(fake):
    fake.routes[("POST", "/v1/customers")] = lambda request: (
        200,
        {"id": "cus_fake_1", "object": "customer"},
    )
    fake.routes[("POST", "/v1/checkout/sessions")] = lambda request: (
        200,
        {"id": "cs_test_1", "object": "checkout.session", "url": CHECKOUT_URL},
    )


@pytest.fixture
def member_client(client, organization):
    member = UserFactory()
    Membership.objects.create(user=member, organization=organization, role=Role.MEMBER)
    client.force_login(member)
    session = client.session
    session["organization_id"] = organization.pk
    session.save()
    return client


# --- pricing, and billing switched off -------------------------------------------------------


def test_pricing_is_public_and_lists_every_plan_from_the_plan_table(client):
    response = client.get("/pricing")
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    for fragment in ("Free", "25 extractions", "$49", "1,000 extractions", "$199", "5,000"):
        assert fragment in text
    assert "Up to 10 members" in text
    # Everything the page loads comes from the site itself.
    assert not re.search(r'(src|href)="(https?:)?//', text)


def test_without_stripe_keys_billing_says_not_configured_and_the_rest_works(owner_client):
    assert b"not configured" in owner_client.get("/pricing").content
    page = owner_client.get("/billing/")
    assert page.status_code == HTTPStatus.OK
    assert b"Billing is not configured" in page.content
    assert b"Upgrade to" not in page.content
    response = owner_client.post("/billing/checkout/", {"plan": "pro"}, follow=True)
    assert b"Billing is not configured" in response.content
    assert owner_client.get("/dashboard/").status_code == HTTPStatus.OK


def test_dashboard_links_to_billing(owner_client):
    assert b'href="/billing/"' in owner_client.get("/dashboard/").content


def test_billing_needs_a_login(client):
    response = client.get("/billing/")
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]


def test_members_see_billing_but_cannot_check_out_or_open_the_portal(member_client, stripe_on_fake):
    page = member_client.get("/billing/")
    assert page.status_code == HTTPStatus.OK
    assert b"Only owners and admins" in page.content
    assert member_client.post("/billing/checkout/", {"plan": "pro"}).status_code == 403
    assert member_client.post("/billing/portal/").status_code == 403
    assert stripe_on_fake.requests == []


# --- Checkout: request shapes ----------------------------------------------------------------


def test_checkout_sends_a_subscription_session_for_the_plans_price(
    owner_client, user, organization, stripe_on_fake
):
    _answer_checkout(stripe_on_fake)
    response = owner_client.post("/billing/checkout/", {"plan": "pro"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == CHECKOUT_URL

    (customer,) = stripe_on_fake.made("POST", "/v1/customers")
    assert customer.form["email"] == user.email
    assert customer.form["metadata[organization_id]"] == str(organization.pk)
    idempotency_key = f"claimlens-organization-{organization.pk}-customer"
    assert customer.headers["idempotency-key"] == idempotency_key
    assert customer.headers["authorization"] == f"Bearer {SECRET_KEY}"

    (session,) = stripe_on_fake.made("POST", "/v1/checkout/sessions")
    assert session.form == {
        "mode": "subscription",
        "customer": "cus_fake_1",
        "client_reference_id": str(organization.pk),
        "line_items[0][price]": PRICE_PRO,
        "line_items[0][quantity]": "1",
        "success_url": "https://claimlens.test/billing/checkout/success/"
        "?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://claimlens.test/billing/checkout/cancel/",
        "metadata[organization_id]": str(organization.pk),
        "metadata[plan]": "pro",
        "subscription_data[metadata][organization_id]": str(organization.pk),
        "subscription_data[metadata][plan]": "pro",
    }
    assert session.headers["stripe-version"] == stripe.api_version
    assert BillingCustomer.objects.get(organization=organization).stripe_customer_id == "cus_fake_1"


def test_second_checkout_reuses_the_customer(owner_client, stripe_on_fake):
    _answer_checkout(stripe_on_fake)
    owner_client.post("/billing/checkout/", {"plan": "pro"})
    owner_client.post("/billing/checkout/", {"plan": "practice"})
    assert len(stripe_on_fake.made("POST", "/v1/customers")) == 1
    sessions = stripe_on_fake.made("POST", "/v1/checkout/sessions")
    assert sessions[1].form["line_items[0][price]"] == "price_claimlens_practice"


@pytest.mark.parametrize("plan", ["free", "enterprise", ""])
def test_checkout_refuses_plans_that_are_not_sold(owner_client, stripe_on_fake, plan):
    response = owner_client.post("/billing/checkout/", {"plan": plan}, follow=True)
    assert b"Choose the Pro or Practice plan" in response.content
    assert stripe_on_fake.requests == []


def test_checkout_refused_while_a_subscription_is_live(owner_client, organization, stripe_on_fake):
    Subscription.objects.create(
        organization=organization,
        stripe_customer_id="cus_1",
        stripe_subscription_id="sub_1",
        stripe_price_id=PRICE_PRO,
        plan="pro",
        status="active",
        stripe_event_at="2026-01-01T00:00:00Z",
    )
    response = owner_client.post("/billing/checkout/", {"plan": "practice"}, follow=True)
    assert b"billing portal" in response.content
    assert stripe_on_fake.requests == []


def test_checkout_against_localstripe_creates_the_customer_and_handles_its_404(
    owner_client, organization, stripe_on_localstripe, localstripe_client
):
    """localstripe has no /v1/checkout/sessions: the error is shown, nothing else breaks."""
    response = owner_client.post("/billing/checkout/", {"plan": "pro"}, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert b"could not be reached" in response.content
    customer_id = BillingCustomer.objects.get(organization=organization).stripe_customer_id
    stored = localstripe_client.v1.customers.retrieve(customer_id)
    assert stored.metadata["organization_id"] == str(organization.pk)


def test_stripe_errors_are_retried_a_bounded_number_of_times(
    owner_client, settings, stripe_on_fake
):
    settings.STRIPE_MAX_NETWORK_RETRIES = 1
    stripe_on_fake.routes[("POST", "/v1/customers")] = lambda request: (
        500,
        {"error": {"type": "api_error", "message": "down"}},
    )
    started = time.monotonic()
    response = owner_client.post("/billing/checkout/", {"plan": "pro"}, follow=True)
    assert b"could not be reached" in response.content
    assert len(stripe_on_fake.made("POST", "/v1/customers")) == 2  # one try, one retry
    assert time.monotonic() - started < 10


# --- Customer Portal: request shapes ---------------------------------------------------------


def test_portal_sends_the_customer_and_return_url(owner_client, organization, stripe_on_fake):
    BillingCustomer.objects.create(organization=organization, stripe_customer_id="cus_portal")
    stripe_on_fake.routes[("POST", "/v1/billing_portal/sessions")] = lambda request: (
        200,
        {"id": "bps_test_1", "object": "billing_portal.session", "url": PORTAL_URL},
    )
    assert b"Open the billing portal" in owner_client.get("/billing/").content
    response = owner_client.post("/billing/portal/")
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == PORTAL_URL
    (request,) = stripe_on_fake.made("POST", "/v1/billing_portal/sessions")
    assert request.form == {
        "customer": "cus_portal",
        "return_url": "https://claimlens.test/billing/",
    }


def test_portal_without_a_billing_account_says_so(owner_client, stripe_on_fake):
    response = owner_client.post("/billing/portal/", follow=True)
    assert b"choose a plan first" in response.content
    assert stripe_on_fake.requests == []


def test_portal_against_localstripe_handles_its_404(
    owner_client, organization, stripe_on_localstripe
):
    BillingCustomer.objects.create(organization=organization, stripe_customer_id="cus_any")
    response = owner_client.post("/billing/portal/", follow=True)
    assert response.status_code == HTTPStatus.OK
    assert b"could not be reached" in response.content


# --- Back from Checkout ----------------------------------------------------------------------


def _answer_session(fake, organization, *, reference=None):
    session = {
        "id": "cs_test_1",
        "object": "checkout.session",
        "status": "complete",
        "mode": "subscription",
        "client_reference_id": reference or str(organization.pk),
        "customer": "cus_paid",
        "subscription": subscription_object(customer="cus_paid", subscription_id="sub_paid"),
    }
    fake.routes[("GET", "/v1/checkout/sessions/cs_test_1")] = lambda request: (200, session)


def test_success_page_applies_the_paid_subscription_at_once(
    owner_client, organization, stripe_on_fake
):
    BillingCustomer.objects.create(organization=organization, stripe_customer_id="cus_paid")
    _answer_session(stripe_on_fake, organization)
    response = owner_client.get("/billing/checkout/success/?session_id=cs_test_1")
    assert response.status_code == HTTPStatus.OK
    assert b"now on <strong>Pro</strong>" in response.content
    (request,) = stripe_on_fake.made("GET", "/v1/checkout/sessions/cs_test_1")
    assert request.query == {"expand[0]": "subscription"}
    organization.refresh_from_db()
    assert organization.plan == "pro"


def test_success_page_ignores_another_organizations_session(
    owner_client, organization, other_organization, stripe_on_fake
):
    _answer_session(stripe_on_fake, organization, reference=str(other_organization.pk))
    response = owner_client.get("/billing/checkout/success/?session_id=cs_test_1")
    assert b"Stripe is confirming" in response.content
    organization.refresh_from_db()
    other_organization.refresh_from_db()
    assert (organization.plan, other_organization.plan) == ("free", "free")


def test_success_page_survives_stripe_being_down(owner_client, stripe_on_fake):
    response = owner_client.get("/billing/checkout/success/?session_id=cs_missing")
    assert response.status_code == HTTPStatus.OK
    assert b"Stripe is confirming" in response.content


def test_cancel_page_says_nothing_was_charged(owner_client):
    response = owner_client.get("/billing/checkout/cancel/")
    assert b"Nothing was charged" in response.content
