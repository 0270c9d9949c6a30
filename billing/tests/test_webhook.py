"""The Stripe webhook through HTTP: payloads signed by stripe-python's own signer."""

import json
import time
from http import HTTPStatus

import pytest

from accounts.models import AuditEvent
from billing.models import (
    BillingCustomer,
    PlanChange,
    StripeEvent,
    Subscription,
)
from billing.quota import usage_snapshot
from billing.tests.stripe_fakes import (
    PRICE_PRACTICE,
    WEBHOOK_URL,
    invoice_object,
    post_event,
    signed_header,
    stripe_event,
    subscription_object,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_webhooks")]

NOW = int(time.time())  # event times only; signatures are signed at the time of sending


@pytest.fixture
def customer(organization) -> BillingCustomer:
    return BillingCustomer.objects.create(
        organization=organization, stripe_customer_id="cus_test_1"
    )


def _plan(organization) -> str:
    organization.refresh_from_db()
    return organization.plan


def test_subscription_created_grants_the_plan_with_history_and_audit(
    webhook_client, customer, organization
):
    event = stripe_event("customer.subscription.created", subscription_object(), created=NOW)
    response = post_event(webhook_client, event)
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "received": True,
        "id": event["id"],
        "type": "customer.subscription.created",
        "outcome": "applied",
    }
    assert _plan(organization) == "pro"
    assert usage_snapshot(organization=organization).limit == 1_000
    subscription = Subscription.objects.get()
    assert (subscription.status, subscription.plan, subscription.stripe_customer_id) == (
        "active",
        "pro",
        "cus_test_1",
    )
    assert subscription.current_period_end is not None
    assert StripeEvent.objects.get().organization == organization
    change = PlanChange.objects.filter(organization=organization).first()
    assert (change.from_plan, change.to_plan, change.source) == ("free", "pro", "stripe")
    assert AuditEvent.objects.filter(organization=organization, action="plan.changed").exists()


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda payload: {"HTTP_STRIPE_SIGNATURE": "t=1,v1=00"}, id="wrong-signature"),
        pytest.param(
            lambda payload: {"HTTP_STRIPE_SIGNATURE": signed_header(payload, secret="whsec_other")},
            id="other-secret",
        ),
        pytest.param(lambda payload: {}, id="no-header"),
        pytest.param(
            lambda payload: {
                "HTTP_STRIPE_SIGNATURE": signed_header(payload.replace("active", "trialing"))
            },
            id="body-changed-after-signing",
        ),
        pytest.param(
            lambda payload: {
                "HTTP_STRIPE_SIGNATURE": signed_header(payload, timestamp=int(time.time()) - 301)
            },
            id="stale-timestamp",
        ),
    ],
)
def test_bad_or_stale_signature_is_400_and_changes_nothing(
    webhook_client, customer, organization, tamper
):
    payload = json.dumps(stripe_event("customer.subscription.created", subscription_object()))
    response = webhook_client.post(
        WEBHOOK_URL, data=payload, content_type="application/json", **tamper(payload)
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "invalid_signature"
    assert not StripeEvent.objects.exists()
    assert not Subscription.objects.exists()
    assert _plan(organization) == "free"


def test_signature_within_tolerance_is_accepted(webhook_client, customer):
    event = stripe_event("customer.subscription.created", subscription_object())
    assert (
        post_event(webhook_client, event, timestamp=int(time.time()) - 250).status_code
        == HTTPStatus.OK
    )


def test_signed_but_malformed_event_is_400(webhook_client):
    payload = json.dumps({"id": "evt_1", "type": "invoice.paid"})
    response = webhook_client.post(
        WEBHOOK_URL,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signed_header(payload),
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "invalid_event"


def test_duplicate_delivery_answers_200_and_applies_once(webhook_client, customer, organization):
    event = stripe_event("customer.subscription.created", subscription_object())
    assert post_event(webhook_client, event).json()["outcome"] == "applied"
    again = post_event(webhook_client, event)
    assert again.status_code == HTTPStatus.OK
    assert again.json()["outcome"] == "duplicate"
    assert StripeEvent.objects.count() == 1
    assert PlanChange.objects.filter(organization=organization, source="stripe").count() == 1


def test_replayed_old_event_cannot_revive_a_cancelled_subscription(
    webhook_client, customer, organization
):
    created = stripe_event("customer.subscription.created", subscription_object(), created=NOW)
    deleted = stripe_event(
        "customer.subscription.deleted",
        subscription_object(status="canceled"),
        created=NOW + 5,
    )
    post_event(webhook_client, created)
    post_event(webhook_client, deleted)
    assert _plan(organization) == "free"
    assert post_event(webhook_client, created).json()["outcome"] == "duplicate"
    # The same state under a new event id (Stripe "resend") is older than what we hold.
    resent = stripe_event("customer.subscription.updated", subscription_object(), created=NOW + 1)
    assert post_event(webhook_client, resent).json()["outcome"] == "stale"
    assert _plan(organization) == "free"
    assert Subscription.objects.get().status == "canceled"


def test_out_of_order_updates_keep_the_newest_state(webhook_client, customer, organization):
    newer = stripe_event(
        "customer.subscription.updated",
        subscription_object(price=PRICE_PRACTICE),
        created=NOW + 10,
    )
    older = stripe_event("customer.subscription.created", subscription_object(), created=NOW)
    assert post_event(webhook_client, newer).json()["outcome"] == "applied"
    assert post_event(webhook_client, older).json()["outcome"] == "stale"
    assert _plan(organization) == "practice"
    assert Subscription.objects.get().plan == "practice"
    assert StripeEvent.objects.get(event_id=older["id"]).outcome == "stale"


def test_deletion_arriving_before_creation_leaves_the_organization_free(
    webhook_client, customer, organization
):
    deleted = stripe_event(
        "customer.subscription.deleted", subscription_object(status="canceled"), created=NOW + 30
    )
    created = stripe_event("customer.subscription.created", subscription_object(), created=NOW)
    post_event(webhook_client, deleted)
    assert post_event(webhook_client, created).json()["outcome"] == "stale"
    assert _plan(organization) == "free"


def test_late_payment_failure_does_not_undo_a_later_payment(webhook_client, customer, organization):
    post_event(
        webhook_client,
        stripe_event("customer.subscription.created", subscription_object(), created=NOW),
    )
    paid = stripe_event("invoice.paid", invoice_object(), created=NOW + 20)
    failed = stripe_event("invoice.payment_failed", invoice_object(status="open"), created=NOW + 10)
    assert post_event(webhook_client, paid).json()["outcome"] == "applied"
    assert post_event(webhook_client, failed).json()["outcome"] == "stale"
    assert Subscription.objects.get().status == "active"


def test_unknown_event_type_answers_200_and_is_ignored(webhook_client, customer, organization):
    event = stripe_event("customer.tax_id.created", {"id": "txi_1", "customer": "cus_test_1"})
    response = post_event(webhook_client, event)
    assert response.status_code == HTTPStatus.OK
    assert response.json()["outcome"] == "ignored"
    assert StripeEvent.objects.get().type == "customer.tax_id.created"
    assert _plan(organization) == "free"


def test_event_for_unknown_customer_is_recorded_and_changes_nothing(
    webhook_client, customer, organization
):
    event = stripe_event(
        "customer.subscription.created", subscription_object(customer="cus_nobody")
    )
    response = post_event(webhook_client, event)
    assert response.status_code == HTTPStatus.OK
    assert response.json()["outcome"] == "unknown_customer"
    recorded = StripeEvent.objects.get()
    assert (recorded.stripe_customer_id, recorded.organization) == ("cus_nobody", None)
    assert not Subscription.objects.exists()
    assert _plan(organization) == "free"


def test_subscription_with_our_metadata_links_a_customer_made_by_checkout(
    webhook_client, organization
):
    obj = subscription_object(
        customer="cus_from_checkout", metadata={"organization_id": str(organization.pk)}
    )
    post_event(webhook_client, stripe_event("customer.subscription.created", obj))
    assert organization.billing_customer.stripe_customer_id == "cus_from_checkout"
    assert _plan(organization) == "pro"


def test_checkout_completed_without_a_client_links_the_customer(webhook_client, organization):
    session = {
        "id": "cs_test_1",
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "client_reference_id": str(organization.pk),
        "customer": "cus_new",
        "subscription": "sub_new",
    }
    response = post_event(webhook_client, stripe_event("checkout.session.completed", session))
    assert response.json()["outcome"] == "applied"
    assert organization.billing_customer.stripe_customer_id == "cus_new"
    assert _plan(organization) == "free"  # granted once the subscription's state arrives


def test_price_that_is_not_a_plan_is_ignored(webhook_client, customer, organization):
    event = stripe_event(
        "customer.subscription.created", subscription_object(price="price_something_else")
    )
    assert post_event(webhook_client, event).json()["outcome"] == "ignored"
    assert _plan(organization) == "free"


def test_cancel_at_period_end_keeps_the_plan_until_deleted(webhook_client, customer, organization):
    post_event(
        webhook_client,
        stripe_event("customer.subscription.created", subscription_object(), created=NOW),
    )
    post_event(
        webhook_client,
        stripe_event(
            "customer.subscription.updated",
            subscription_object(cancel_at_period_end=True),
            created=NOW + 1,
        ),
    )
    assert _plan(organization) == "pro"
    assert Subscription.objects.get().cancel_at_period_end
    post_event(
        webhook_client,
        stripe_event(
            "customer.subscription.deleted",
            subscription_object(status="canceled", cancel_at_period_end=True),
            created=NOW + 2,
        ),
    )
    assert _plan(organization) == "free"
    assert usage_snapshot(organization=organization).limit == 25


def test_payment_failure_then_payment_recovers(webhook_client, customer, organization):
    post_event(
        webhook_client,
        stripe_event("customer.subscription.created", subscription_object(), created=NOW),
    )
    post_event(
        webhook_client,
        stripe_event("invoice.payment_failed", invoice_object(status="open"), created=NOW + 1),
    )
    subscription = Subscription.objects.get()
    assert subscription.status == "past_due"
    assert subscription.past_due_since is not None
    assert _plan(organization) == "pro"  # grace period
    # localstripe's name for invoice.paid, in its older invoice shape (subscription at the top)
    old_shape = {**invoice_object(), "subscription": "sub_test_1", "parent": None}
    post_event(
        webhook_client, stripe_event("invoice.payment_succeeded", old_shape, created=NOW + 2)
    )
    subscription.refresh_from_db()
    assert (subscription.status, subscription.past_due_since) == ("active", None)


def test_unpaid_subscription_returns_the_organization_to_free(
    webhook_client, customer, organization
):
    post_event(
        webhook_client,
        stripe_event("customer.subscription.created", subscription_object(), created=NOW),
    )
    post_event(
        webhook_client,
        stripe_event(
            "customer.subscription.updated", subscription_object(status="unpaid"), created=NOW + 1
        ),
    )
    assert _plan(organization) == "free"


def test_failed_first_payment_does_not_take_away_an_admin_granted_plan(
    webhook_client, customer, organization
):
    from billing.services import plan_grant

    plan_grant(organization=organization, plan="practice")
    event = stripe_event("customer.subscription.created", subscription_object(status="incomplete"))
    assert post_event(webhook_client, event).json()["outcome"] == "applied"
    assert _plan(organization) == "practice"


def test_a_second_live_subscription_is_refused_until_the_first_has_ended(
    webhook_client, customer, organization
):
    post_event(
        webhook_client,
        stripe_event("customer.subscription.created", subscription_object(), created=NOW),
    )
    second = stripe_event(
        "customer.subscription.created",
        subscription_object(subscription_id="sub_test_2", price=PRICE_PRACTICE),
        created=NOW + 10,
    )
    refused = post_event(webhook_client, second)
    assert refused.status_code == HTTPStatus.CONFLICT  # Stripe delivers it again later
    assert refused.json()["error"] == "subscription_conflict"
    assert not StripeEvent.objects.filter(event_id=second["id"]).exists()

    post_event(
        webhook_client,
        stripe_event(
            "customer.subscription.deleted", subscription_object(status="canceled"), created=NOW + 5
        ),
    )
    assert post_event(webhook_client, second).json()["outcome"] == "applied"
    assert _plan(organization) == "practice"


def test_webhook_without_a_secret_is_unavailable(webhook_client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = post_event(webhook_client, stripe_event("invoice.paid", invoice_object()))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["error"] == "billing_not_configured"


def test_webhook_only_accepts_post(webhook_client):
    assert webhook_client.get(WEBHOOK_URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_first_payment_made_later_activates_an_incomplete_subscription(
    webhook_client, customer, organization
):
    created = subscription_object(status="incomplete")
    post_event(webhook_client, stripe_event("customer.subscription.created", created, created=NOW))
    assert _plan(organization) == "free"
    post_event(webhook_client, stripe_event("invoice.paid", invoice_object(), created=NOW + 1))
    assert Subscription.objects.get().status == "active"
    assert _plan(organization) == "pro"
