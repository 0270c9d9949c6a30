"""End to end against localstripe: upgrade, charge, plan change, failed payment, cancellation.

What is real and what stands in (docs/billing.md has the full table):

* Customers, cards, subscriptions, invoices and charges live in localstripe, reached by our
  services through stripe-python. localstripe's own events (``GET /v1/events``) are delivered to
  our webhook signed with the endpoint secret; one test lets localstripe deliver them itself.
* Checkout Sessions and the Billing Portal do not exist in localstripe: a fake on loopback
  answers those two endpoints (and forwards the rest to localstripe). What the user would do on
  Stripe's hosted pages, the test does against localstripe directly.
* localstripe emits no ``customer.subscription.updated`` and no ``invoice.payment_failed`` for a
  declined renewal: those events are built from localstripe's real objects, fetched back.
"""

import json
import time
import urllib.request
from http import HTTPStatus

import pytest
from rest_framework.test import APIClient

from billing.models import BillingCustomer, PlanChange, StripeEvent, Subscription
from billing.quota import usage_snapshot
from billing.tests.stripe_fakes import (
    PRICE_PRACTICE,
    PRICE_PRO,
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    post_event,
    stripe_event,
)

pytestmark = pytest.mark.django_db

CHECKOUT_URL = "https://checkout.stripe.test/c/pay/cs_e2e"
PORTAL_URL = "https://billing.stripe.test/p/session/bps_e2e"


class LocalstripeEvents:
    """Delivers localstripe's events to our webhook, oldest first, each once."""

    def __init__(self, localstripe_client, webhook_client):
        self.stripe = localstripe_client
        self.client = webhook_client
        self.delivered: set[str] = set()

    def deliver(self) -> dict[str, str]:
        events = self.stripe.v1.events.list(params={"limit": 100}).data
        outcomes = {}
        for event in sorted(events, key=lambda e: e.created):  # stable: keeps creation order
            if event.id in self.delivered:
                continue
            response = post_event(self.client, event.to_dict())
            assert response.status_code == HTTPStatus.OK, response.content
            self.delivered.add(event.id)
            outcomes[event.type] = response.json()["outcome"]
        return outcomes


def _card(localstripe_client, customer_id: str, number: str) -> None:
    """Attach a card and make it the default, as the customer does on Stripe's pages."""
    payment_method = localstripe_client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2035, "cvc": "123"},
        }
    )
    localstripe_client.v1.payment_methods.attach(
        payment_method.id, params={"customer": customer_id}
    )
    localstripe_client.v1.customers.update(
        customer_id, params={"invoice_settings": {"default_payment_method": payment_method.id}}
    )


def _updated_event(localstripe_client, subscription_id: str) -> dict:
    """What Stripe would send after a change in the portal, from localstripe's own object."""
    current = localstripe_client.v1.subscriptions.retrieve(subscription_id).to_dict()
    return stripe_event("customer.subscription.updated", current)


def _state(organization) -> tuple[str, int]:
    organization.refresh_from_db()
    return organization.plan, usage_snapshot(organization=organization).limit


def test_upgrade_charge_change_fail_recover_and_cancel(
    owner_client,
    webhook_client,
    user,
    organization,
    make_api_key,
    settings,
    stripe_on_both,
    localstripe_client,
):
    fake = stripe_on_both
    fake.routes[("POST", "/v1/checkout/sessions")] = lambda request: (
        200,
        {"id": "cs_e2e", "object": "checkout.session", "url": CHECKOUT_URL},
    )
    fake.routes[("POST", "/v1/billing_portal/sessions")] = lambda request: (
        200,
        {"id": "bps_e2e", "object": "billing_portal.session", "url": PORTAL_URL},
    )
    events = LocalstripeEvents(localstripe_client, webhook_client)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {make_api_key(organization)}")

    # Free: 25 a month, web only.
    assert _state(organization) == ("free", 25)
    assert api.get("/api/v1/usage").json()["error"] == "plan_required"

    # 1. Upgrade to Pro from the billing page: the customer is created on localstripe.
    response = owner_client.post("/billing/checkout/", {"plan": "pro"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == CHECKOUT_URL
    (session_request,) = fake.made("POST", "/v1/checkout/sessions")
    customer_id = session_request.form["customer"]
    assert localstripe_client.v1.customers.retrieve(customer_id).email == user.email
    assert session_request.form["line_items[0][price]"] == PRICE_PRO

    # On Checkout the user pays with a card; Stripe creates the subscription and charges it.
    _card(localstripe_client, customer_id, "4242424242424242")
    subscription = localstripe_client.v1.subscriptions.create(
        params={
            "customer": customer_id,
            "items": [{"plan": session_request.form["line_items[0][price]"]}],
            "metadata": {"organization_id": str(organization.pk)},
        }
    )
    session = {
        "id": "cs_e2e",
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "client_reference_id": session_request.form["client_reference_id"],
        "customer": customer_id,
        "subscription": subscription.id,
    }
    # checkout.session.completed: our handler fetches the subscription back from localstripe.
    completed = post_event(webhook_client, stripe_event("checkout.session.completed", session))
    assert completed.json()["outcome"] == "applied"
    assert _state(organization) == ("pro", 1_000)
    usage = api.get("/api/v1/usage")
    assert usage.status_code == HTTPStatus.OK
    assert usage.json()["limit"] == 1_000
    # localstripe's own events for the same subscription change nothing further.
    assert events.deliver()["customer.subscription.created"] in {"applied", "stale"}
    assert _state(organization) == ("pro", 1_000)

    # 2. Charged: localstripe holds a paid $49 invoice for the subscription.
    invoices = localstripe_client.v1.invoices.list(params={"customer": customer_id}).data
    assert [(i.status, i.amount_paid) for i in invoices] == [("paid", 4_900)]

    # 3. Change plan in the Customer Portal: Pro -> Practice, limits at once.
    assert owner_client.post("/billing/portal/")["Location"] == PORTAL_URL
    item_id = subscription.items.data[0].id
    localstripe_client.v1.subscriptions.update(
        subscription.id, params={"items": [{"id": item_id, "plan": PRICE_PRACTICE}]}
    )
    changed = post_event(webhook_client, _updated_event(localstripe_client, subscription.id))
    assert changed.json()["outcome"] == "applied"
    assert _state(organization) == ("practice", 5_000)
    assert api.get("/api/v1/usage").json()["limit"] == 5_000

    # 4. A renewal fails: the card is now 4000000000000341, which localstripe declines.
    _card(localstripe_client, customer_id, "4000000000000341")
    renewal = localstripe_client.v1.invoices.create(
        params={"customer": customer_id, "subscription": subscription.id}
    )
    assert localstripe_client.v1.invoices.pay(renewal.id).status == "open"  # declined
    failed_invoice = localstripe_client.v1.invoices.retrieve(renewal.id).to_dict()
    failed = post_event(webhook_client, stripe_event("invoice.payment_failed", failed_invoice))
    assert failed.json()["outcome"] == "applied"
    assert Subscription.objects.get().status == "past_due"
    assert _state(organization) == ("practice", 5_000)  # grace period: everything still works
    assert api.get("/api/v1/usage").status_code == HTTPStatus.OK
    assert b"The last payment failed" in owner_client.get("/billing/").content

    settings.BILLING_PAST_DUE_GRACE_DAYS = 0  # the grace period is over
    refused = api.get("/api/v1/usage")
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert refused.json()["error"] == "payment_required"

    # 5. The card is updated in the portal and the invoice paid: localstripe's real event.
    _card(localstripe_client, customer_id, "4242424242424242")
    assert localstripe_client.v1.invoices.pay(renewal.id).status == "paid"
    assert events.deliver()["invoice.payment_succeeded"] == "applied"
    assert Subscription.objects.get().status == "active"
    assert api.get("/api/v1/usage").json()["limit"] == 5_000

    # 6. Cancel in the portal: the plan runs to the end of the period.
    localstripe_client.v1.subscriptions.update(
        subscription.id, params={"cancel_at_period_end": True}
    )
    post_event(webhook_client, _updated_event(localstripe_client, subscription.id))
    assert _state(organization) == ("practice", 5_000)
    assert b"Ends" in owner_client.get("/billing/").content

    # The period ends: Stripe deletes the subscription (localstripe's real event).
    localstripe_client.v1.subscriptions.cancel(subscription.id)
    assert events.deliver()["customer.subscription.deleted"] == "applied"
    assert _state(organization) == ("free", 25)
    assert api.get("/api/v1/usage").json()["error"] == "plan_required"

    history = PlanChange.objects.filter(organization=organization, source="stripe")
    assert list(history.order_by("created_at", "pk").values_list("from_plan", "to_plan")) == [
        ("free", "pro"),
        ("pro", "practice"),
        ("practice", "free"),
    ]
    assert not StripeEvent.objects.filter(outcome="unknown_customer").exists()


# --- localstripe signing and sending its own webhooks ------------------------------------------


def _register_webhook(localstripe: str, url: str, events: list[str]) -> None:
    request = urllib.request.Request(  # noqa: S310 - loopback localstripe
        f"{localstripe}/_config/webhooks/claimlens",
        data=json.dumps({"url": url, "secret": WEBHOOK_SECRET, "events": events}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        assert response.status == HTTPStatus.OK


def test_localstripe_deliveries_verify_and_apply_unchanged(
    stripe_webhooks, localstripe, localstripe_client, fake_stripe, webhook_client, organization
):
    """localstripe signs ``t=<created>,v1=HMAC(secret, "t.body")`` and posts ~1 s after each
    action. A loopback receiver takes its deliveries, and each is handed to our endpoint byte
    for byte with localstripe's own Stripe-Signature header.

    (Not a live server: on SQLite the live server shares the test's one connection, and two
    concurrent deliveries lock it.)
    """
    fake_stripe.routes[("POST", "/hook")] = lambda request: (200, {})
    customer = localstripe_client.v1.customers.create(params={"email": "hook@example.org"})
    BillingCustomer.objects.create(organization=organization, stripe_customer_id=customer.id)
    _card(localstripe_client, customer.id, "4242424242424242")

    def deliveries_for_us(event_type: str) -> list:
        return [
            request
            for request in fake_stripe.made("POST", "/hook")
            if json.loads(request.body)["type"] == event_type
            and json.loads(request.body)["data"]["object"]["customer"] == customer.id
        ]

    def replay(event_type: str) -> str:
        deadline = time.monotonic() + 15
        while not deliveries_for_us(event_type):
            assert time.monotonic() < deadline, f"localstripe sent no {event_type}"
            time.sleep(0.1)
        (delivery,) = deliveries_for_us(event_type)
        assert delivery.headers["stripe-signature"].startswith("t=")
        response = webhook_client.post(
            WEBHOOK_URL,
            data=delivery.body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=delivery.headers["stripe-signature"],
        )
        assert response.status_code == HTTPStatus.OK, response.content
        return response.json()["outcome"]

    kinds = ["customer.subscription.created", "customer.subscription.deleted"]
    try:
        _register_webhook(localstripe, fake_stripe.url + "/hook", kinds)
        subscription = localstripe_client.v1.subscriptions.create(
            params={"customer": customer.id, "items": [{"plan": PRICE_PRO}]}
        )
        assert replay("customer.subscription.created") == "applied"
        assert _state(organization) == ("pro", 1_000)

        localstripe_client.v1.subscriptions.cancel(subscription.id)
        assert replay("customer.subscription.deleted") == "applied"
        assert _state(organization) == ("free", 25)
    finally:
        # localstripe cannot forget a webhook: mute it so later tests' events go nowhere.
        _register_webhook(localstripe, fake_stripe.url + "/hook", ["claimlens.muted"])
