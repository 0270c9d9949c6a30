"""Plan changes and the Stripe billing workflows. Quota lives in ``billing.quota``.

Stripe is the source of truth for subscriptions; these services keep our copy in step and make
the organization's plan follow it (through :func:`plan_grant`, so every change is in the plan
history and the audit log). Webhook semantics (docs.stripe.com/webhooks): delivery is
at-least-once and unordered, so each event id is stored once, in the same transaction as the
change it causes, and a subscription remembers the time of the newest state applied to it.
"""

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, TypeVar

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, User
from accounts.services import audit_record
from billing.models import (
    ENDED_STATUSES,
    LIVE_STATUSES,
    PLAN_GRANTING_STATUSES,
    BillingCustomer,
    PlanChange,
    PlanChangeSource,
    StripeEvent,
    StripeEventOutcome,
    Subscription,
    SubscriptionStatus,
)
from billing.plans import Plan
from billing.stripe_client import (
    billing_enabled,
    plan_for_price_id,
    price_id_for_plan,
    stripe_client,
)
from claimlens.api import ApplicationError

logger = logging.getLogger(__name__)

T = TypeVar("T")

PAID_PLANS = (Plan.PRO, Plan.PRACTICE)


@transaction.atomic
def plan_grant(
    *,
    organization: Organization,
    plan: str,
    source: str = PlanChangeSource.MANUAL,
    changed_by: User | None = None,
    note: str = "",
) -> Organization:
    """Put an organization on ``plan`` at once, recording the change and who made it."""
    plan = Plan(plan)
    previous = organization.plan
    if previous == plan:
        return organization
    organization.plan = plan
    organization.save(update_fields=["plan", "updated_at"])
    PlanChange.objects.create(
        organization=organization,
        from_plan=previous,
        to_plan=plan,
        source=source,
        changed_by=changed_by,
        note=note[:200],
    )
    audit_record(
        organization=organization,
        actor=changed_by,
        action="plan.changed",
        target=organization,
        detail={"from": previous, "to": str(plan), "source": str(source)},
    )
    return organization


# ---------------------------------------------------------------------------------------------
# Calls to Stripe: Customer, Checkout, Customer Portal
# ---------------------------------------------------------------------------------------------


def _billing_client() -> stripe.StripeClient:
    client = stripe_client()
    if client is None or not billing_enabled():
        raise ApplicationError(
            "billing_not_configured",
            "Billing is not configured on this server.",
            HTTPStatus.SERVICE_UNAVAILABLE,
        )
    return client


def _stripe_call(action: str, call: Callable[[], T]) -> T:
    """Run one Stripe request; a failure becomes ``billing_unavailable`` (502).

    Only the error class, HTTP status and Stripe request id are logged: Stripe's messages can
    echo what was sent, and nothing card-related or secret belongs in our logs.
    """
    try:
        return call()
    except stripe.StripeError as exc:
        logger.warning(
            "stripe %s failed: %s status=%s request=%s",
            action,
            type(exc).__name__,
            exc.http_status,
            exc.request_id,
        )
        raise ApplicationError(
            "billing_unavailable",
            "The payment provider could not be reached. Nothing was charged; try again shortly.",
            HTTPStatus.BAD_GATEWAY,
        ) from exc


def _site_url(view_name: str) -> str:
    return settings.SITE_URL + reverse(view_name)


def billing_customer_ensure(*, organization: Organization, email: str) -> BillingCustomer:
    """The organization's Stripe Customer, created on first use.

    The Stripe request runs outside any transaction; an idempotency key per organization makes
    two concurrent first checkouts share one Customer, and the row write is atomic.
    """
    existing = BillingCustomer.objects.filter(organization=organization).first()
    if existing is not None:
        return existing
    client = _billing_client()
    customer = _stripe_call(
        "customer create",
        lambda: client.v1.customers.create(
            params={
                "name": organization.name,
                "email": email,
                "metadata": {"organization_id": str(organization.pk)},
            },
            options={"idempotency_key": f"claimlens-organization-{organization.pk}-customer"},
        ),
    )
    with transaction.atomic():
        billing_customer, _created = BillingCustomer.objects.get_or_create(
            organization=organization, defaults={"stripe_customer_id": customer.id}
        )
    return billing_customer


def checkout_session_create(*, organization: Organization, plan: str, user: User) -> str:
    """Start a Stripe Checkout subscription for a paid plan; returns the URL to send the user to.

    The plan is granted by the webhook (or the success page) once Stripe says the subscription
    is active, never by the redirect itself.
    """
    client = _billing_client()
    if plan not in PAID_PLANS:
        raise ApplicationError("invalid_parameter", "Choose the Pro or Practice plan.")
    if Subscription.objects.live().filter(organization=organization).exists():
        raise ApplicationError(
            "subscription_exists",
            "This organization already has a subscription: change plans in the billing portal.",
            HTTPStatus.CONFLICT,
        )
    customer = billing_customer_ensure(organization=organization, email=user.email)
    reference = {"organization_id": str(organization.pk), "plan": str(plan)}
    session = _stripe_call(
        "checkout session create",
        lambda: client.v1.checkout.sessions.create(
            params={
                "mode": "subscription",
                "customer": customer.stripe_customer_id,
                "client_reference_id": str(organization.pk),
                "line_items": [{"price": price_id_for_plan(plan), "quantity": 1}],
                # Stripe fills in {CHECKOUT_SESSION_ID} (docs.stripe.com/payments/checkout).
                "success_url": _site_url("billing:checkout_success")
                + "?session_id={CHECKOUT_SESSION_ID}",
                "cancel_url": _site_url("billing:checkout_cancel"),
                "metadata": reference,
                "subscription_data": {"metadata": reference},
            }
        ),
    )
    logger.info("checkout session %s for organization %s", session.id, organization.pk)
    return session.url


def portal_session_create(*, organization: Organization) -> str:
    """A short-lived Customer Portal URL: change plan, update the card, cancel."""
    client = _billing_client()
    customer = BillingCustomer.objects.filter(organization=organization).first()
    if customer is None:
        raise ApplicationError(
            "no_billing_account",
            "There is no billing account yet: choose a plan first.",
            HTTPStatus.CONFLICT,
        )
    session = _stripe_call(
        "portal session create",
        lambda: client.v1.billing_portal.sessions.create(
            params={
                "customer": customer.stripe_customer_id,
                "return_url": _site_url("billing:overview"),
            }
        ),
    )
    return session.url


def checkout_session_sync(*, organization: Organization, session_id: str) -> Subscription | None:
    """On return from Checkout, fetch the session and apply its subscription at once.

    The webhook would do the same a moment later; doing it here makes the new quota visible on
    the page the user lands on. A session of another organization is ignored.
    """
    client = _billing_client()
    fetched_at = _now_whole_seconds()
    session = _stripe_call(
        "checkout session retrieve",
        lambda: client.v1.checkout.sessions.retrieve(
            session_id, params={"expand": ["subscription"]}
        ),
    ).to_dict()
    snapshot = session.get("subscription")
    if (
        session.get("client_reference_id") != str(organization.pk)
        or session.get("status") != "complete"
        or not isinstance(snapshot, dict)
    ):
        return None
    return _checkout_subscription_apply(
        organization=organization,
        customer_id=_id_of(session.get("customer")),
        snapshot=snapshot,
        at=fetched_at,
    )


@transaction.atomic
def _checkout_subscription_apply(
    *, organization: Organization, customer_id: str, snapshot: dict[str, Any], at: dt.datetime
) -> Subscription | None:
    customer = _billing_customer_for(customer_id=customer_id, organization_hint=organization.pk)
    if customer is None or customer.organization_id != organization.pk:
        return None
    _subscription_apply(customer=customer, snapshot=snapshot, at=at)
    return Subscription.objects.filter(stripe_subscription_id=snapshot.get("id")).first()


# ---------------------------------------------------------------------------------------------
# Webhooks
# ---------------------------------------------------------------------------------------------

DUPLICATE = "duplicate"


@dataclass(frozen=True)
class StripeEventResult:
    event_id: str
    type: str
    outcome: str  # a StripeEventOutcome, or "duplicate"
    detail: str = ""


@dataclass(frozen=True)
class _Handled:
    outcome: str
    detail: str = ""


@dataclass(frozen=True)
class _Delivery:
    """What a handler gets: the event's object and time, the paying customer (locked), and for
    checkout.session.completed the subscription fetched from Stripe with the time of the fetch."""

    obj: dict[str, Any]
    at: dt.datetime
    customer: BillingCustomer
    fetched: dict[str, Any] | None = None
    fetched_at: dt.datetime | None = None


def stripe_event_process(*, payload: bytes, signature: str | None) -> StripeEventResult:
    """Verify one webhook delivery and apply it at most once.

    A bad or stale signature raises ``invalid_signature`` (400) and changes nothing. A duplicate
    or replay returns ``duplicate``. Types we do not handle, and events for customers we do not
    know, are recorded and change nothing. An error while applying rolls everything back,
    including the event row, so Stripe's retry is processed afresh.
    """
    event = _verified_event(payload=payload, signature=signature)
    event_id, event_type = event["id"], event["type"]
    if StripeEvent.objects.filter(event_id=event_id).exists():
        return StripeEventResult(event_id, event_type, DUPLICATE)

    # checkout.session.completed says only that a subscription exists; fetch its state before
    # opening the transaction, so no database lock waits on the network.
    fetched, fetched_at = None, None
    obj = event["data"]["object"]
    subscription_id = _id_of(obj.get("subscription"))
    client = stripe_client()
    if (
        event_type == "checkout.session.completed"
        and obj.get("mode") == "subscription"
        and subscription_id
        and client is not None
    ):
        fetched_at = _now_whole_seconds()
        fetched = _stripe_call(
            "subscription retrieve",
            lambda: client.v1.subscriptions.retrieve(subscription_id),
        ).to_dict()

    result = _stripe_event_apply(event=event, fetched=fetched, fetched_at=fetched_at)
    logger.info("stripe event %s %s: %s", event_id, event_type, result.outcome)
    return result


def _verified_event(*, payload: bytes, signature: str | None) -> dict[str, Any]:
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise ApplicationError(
            "billing_not_configured",
            "Stripe webhooks are not configured on this server.",
            HTTPStatus.SERVICE_UNAVAILABLE,
        )
    try:
        # The library checks the HMAC over "{t}.{raw body}" and rejects t older than 300 s.
        stripe.WebhookSignature.verify_header(
            payload, signature, secret, tolerance=stripe.Webhook.DEFAULT_TOLERANCE
        )
    except (stripe.SignatureVerificationError, UnicodeDecodeError) as exc:
        raise ApplicationError(
            "invalid_signature", "The Stripe-Signature header does not verify."
        ) from exc
    try:
        event = json.loads(payload)
    except ValueError as exc:
        raise ApplicationError("invalid_event", "The event body is not JSON.") from exc
    valid = (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and event["id"]
        and isinstance(event.get("type"), str)
        and isinstance(event.get("created"), int)
        and isinstance(event.get("data"), dict)
        and isinstance(event["data"].get("object"), dict)
    )
    if not valid:
        raise ApplicationError("invalid_event", "The event lacks an id, type, created or object.")
    return event


@transaction.atomic
def _stripe_event_apply(
    *, event: dict[str, Any], fetched: dict[str, Any] | None, fetched_at: dt.datetime | None
) -> StripeEventResult:
    event_type = event["type"]
    obj = event["data"]["object"]
    customer_id = _id_of(obj.get("customer"))
    record = StripeEvent(
        event_id=event["id"],
        type=event_type[:100],
        created=_from_unix(event["created"]),
        livemode=bool(event.get("livemode")),
        stripe_customer_id=customer_id,
        outcome=StripeEventOutcome.IGNORED,
    )
    try:
        # Inserted first: on PostgreSQL a concurrent delivery of the same event waits here
        # for this transaction, then fails the unique index and is answered as a duplicate.
        with transaction.atomic():
            record.save()
    except IntegrityError:
        return StripeEventResult(event["id"], event_type, DUPLICATE)

    handler = _EVENT_HANDLERS.get(event_type)
    customer = None
    if handler is None:
        handled = _Handled(StripeEventOutcome.IGNORED, "event type not handled")
    else:
        customer = _billing_customer_for(
            customer_id=customer_id, organization_hint=_organization_hint(event_type, obj)
        )
        if customer is None:
            handled = _Handled(StripeEventOutcome.UNKNOWN_CUSTOMER, "no organization has it")
        else:
            handled = handler(
                _Delivery(
                    obj=obj,
                    at=_from_unix(event["created"]),
                    customer=customer,
                    fetched=fetched,
                    fetched_at=fetched_at,
                )
            )
    record.outcome = handled.outcome
    record.detail = handled.detail[:200]
    record.organization = customer.organization if customer else None
    record.save(update_fields=["outcome", "detail", "organization"])
    return StripeEventResult(event["id"], event_type, handled.outcome, handled.detail)


def _organization_hint(event_type: str, obj: dict[str, Any]) -> Any:
    """The organization id we put on the session or subscription, for a Customer we never saw
    (one created by Checkout itself). Trusted only because the event's signature verified."""
    if event_type == "checkout.session.completed":
        return obj.get("client_reference_id")
    if event_type.startswith("customer.subscription."):
        return (obj.get("metadata") or {}).get("organization_id")
    return None


def _billing_customer_for(*, customer_id: str, organization_hint: Any) -> BillingCustomer | None:
    """The customer row, locked for the rest of the transaction so that events for one customer
    apply one at a time; linked through ``organization_hint`` when the customer is new to us."""
    if not customer_id:
        return None
    customers = BillingCustomer.objects.select_for_update().select_related("organization")
    customer = customers.filter(stripe_customer_id=customer_id).first()
    if customer is not None or organization_hint in (None, ""):
        return customer
    try:
        organization_id = int(organization_hint)
    except (TypeError, ValueError):
        return None
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return None
    customer, _created = BillingCustomer.objects.get_or_create(
        organization=organization, defaults={"stripe_customer_id": customer_id}
    )
    if customer.stripe_customer_id != customer_id:
        logger.warning(
            "customer %s names organization %s, which pays through %s",
            customer_id,
            organization.pk,
            customer.stripe_customer_id,
        )
        return None
    return customers.get(pk=customer.pk)


def _on_checkout_session_completed(delivery: _Delivery) -> _Handled:
    if delivery.obj.get("mode") != "subscription":
        return _Handled(StripeEventOutcome.IGNORED, "not a subscription checkout")
    if delivery.fetched is None or delivery.fetched_at is None:
        return _Handled(StripeEventOutcome.APPLIED, "customer linked; no client to fetch state")
    # The fetched subscription is the state as of fetched_at, which is later than the event.
    return _subscription_apply(
        customer=delivery.customer, snapshot=delivery.fetched, at=delivery.fetched_at
    )


def _on_subscription_event(delivery: _Delivery) -> _Handled:
    return _subscription_apply(customer=delivery.customer, snapshot=delivery.obj, at=delivery.at)


def _on_invoice_paid(delivery: _Delivery) -> _Handled:
    """A paid invoice makes an unpaid subscription active again and extends its period."""
    subscription, refusal = _subscription_for_invoice(delivery)
    if subscription is None:
        return refusal
    was_granting = subscription.status in PLAN_GRANTING_STATUSES
    if subscription.status == SubscriptionStatus.INCOMPLETE:
        _refuse_second_live_subscription(
            organization=delivery.customer.organization,
            subscription_id=subscription.stripe_subscription_id,
        )
    if subscription.status in (
        SubscriptionStatus.PAST_DUE,
        SubscriptionStatus.UNPAID,
        SubscriptionStatus.INCOMPLETE,
    ):
        subscription.status = SubscriptionStatus.ACTIVE
        subscription.past_due_since = None
    period_end = _invoice_period_end(delivery.obj)
    if period_end and (
        subscription.current_period_end is None or period_end > subscription.current_period_end
    ):
        subscription.current_period_end = period_end
    subscription.stripe_event_at = delivery.at
    subscription.save()
    _organization_plan_follow(
        organization=delivery.customer.organization,
        subscription=subscription,
        was_granting=was_granting,
    )
    return _Handled(StripeEventOutcome.APPLIED, f"invoice paid; {subscription.status}")


def _on_invoice_payment_failed(delivery: _Delivery) -> _Handled:
    """A failed renewal makes the subscription past due; the grace period starts now.

    Stripe's retries (Smart Retries / dunning) decide whether it ends in deletion.
    """
    subscription, refusal = _subscription_for_invoice(delivery)
    if subscription is None:
        return refusal
    if subscription.status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING):
        subscription.status = SubscriptionStatus.PAST_DUE
        subscription.past_due_since = delivery.at
    subscription.stripe_event_at = delivery.at
    subscription.save()
    return _Handled(StripeEventOutcome.APPLIED, f"payment failed; {subscription.status}")


def _subscription_for_invoice(delivery: _Delivery) -> tuple[Subscription | None, _Handled]:
    subscription_id = _invoice_subscription_id(delivery.obj)
    if not subscription_id:
        return None, _Handled(StripeEventOutcome.IGNORED, "not a subscription invoice")
    subscription = (
        Subscription.objects.select_for_update()
        .filter(stripe_subscription_id=subscription_id, organization=delivery.customer.organization)
        .first()
    )
    if subscription is None:
        # Its own customer.subscription.* events (or the checkout) carry its state.
        return None, _Handled(StripeEventOutcome.IGNORED, "subscription not known yet")
    if delivery.at < subscription.stripe_event_at or subscription.status in ENDED_STATUSES:
        return None, _Handled(StripeEventOutcome.STALE, "newer state already applied")
    return subscription, _Handled(StripeEventOutcome.APPLIED)


def _subscription_apply(
    *, customer: BillingCustomer, snapshot: dict[str, Any], at: dt.datetime
) -> _Handled:
    """Make our copy of a subscription match a Stripe snapshot taken at ``at``, unless we already
    hold a newer state, then make the organization's plan follow it."""
    subscription_id = snapshot.get("id") or ""
    status = snapshot.get("status")
    if not subscription_id or status not in SubscriptionStatus.values:
        return _Handled(StripeEventOutcome.IGNORED, "unrecognised subscription")
    price_id = _subscription_price_id(snapshot)
    plan = plan_for_price_id(price_id)
    if plan is None:
        logger.warning(
            "subscription %s is on price %s, not a ClaimLens plan", subscription_id, price_id
        )
        return _Handled(StripeEventOutcome.IGNORED, f"price {price_id} is not a ClaimLens plan")
    organization = customer.organization

    subscription = (
        Subscription.objects.select_for_update()
        .filter(stripe_subscription_id=subscription_id)
        .first()
    )
    if subscription is None:
        subscription = Subscription(
            organization=organization, stripe_subscription_id=subscription_id
        )
    elif subscription.organization_id != organization.pk:
        return _Handled(StripeEventOutcome.IGNORED, "subscription of another organization")
    elif at < subscription.stripe_event_at:
        return _Handled(StripeEventOutcome.STALE, "newer state already applied")
    elif subscription.status in ENDED_STATUSES and status != subscription.status:
        return _Handled(StripeEventOutcome.STALE, "subscription already ended")

    if status in LIVE_STATUSES:
        _refuse_second_live_subscription(organization=organization, subscription_id=subscription_id)

    was_granting = subscription.pk is not None and subscription.status in PLAN_GRANTING_STATUSES
    if status == SubscriptionStatus.PAST_DUE:
        subscription.past_due_since = subscription.past_due_since or at
    else:
        subscription.past_due_since = None
    subscription.status = status
    subscription.stripe_customer_id = customer.stripe_customer_id
    subscription.stripe_price_id = price_id
    subscription.plan = plan
    subscription.current_period_end = _subscription_period_end(snapshot)
    # Newer API versions may schedule the end with cancel_at instead of cancel_at_period_end.
    subscription.cancel_at_period_end = bool(
        snapshot.get("cancel_at_period_end") or snapshot.get("cancel_at")
    )
    subscription.stripe_event_at = at
    subscription.save()
    _organization_plan_follow(
        organization=organization, subscription=subscription, was_granting=was_granting
    )
    return _Handled(StripeEventOutcome.APPLIED, f"{status} {plan}")


def _refuse_second_live_subscription(*, organization: Organization, subscription_id: str) -> None:
    """One live subscription per organization (also a database constraint).

    Usually the old subscription's deletion is still on its way: answer 409, so Stripe delivers
    this event again later. If both really are live, staff must refund one; the log says which.
    """
    other = (
        Subscription.objects.live()
        .filter(organization=organization)
        .exclude(stripe_subscription_id=subscription_id)
        .first()
    )
    if other is None:
        return
    logger.error(
        "organization %s: subscription %s is live while %s is live",
        organization.pk,
        subscription_id,
        other.stripe_subscription_id,
    )
    raise ApplicationError(
        "subscription_conflict",
        "The organization already has another live subscription; retry later.",
        HTTPStatus.CONFLICT,
    )


def _organization_plan_follow(
    *, organization: Organization, subscription: Subscription, was_granting: bool
) -> None:
    """Active, trialing and past-due subscriptions grant their plan; one that stops granting
    returns the organization to Free. A subscription that never granted changes nothing, so a
    failed first payment does not undo a plan an admin granted."""
    if subscription.status in PLAN_GRANTING_STATUSES:
        plan = subscription.plan
    elif was_granting:
        plan = Plan.FREE
    else:
        return
    plan_grant(
        organization=organization,
        plan=plan,
        source=PlanChangeSource.STRIPE,
        note=f"Stripe {subscription.stripe_subscription_id} {subscription.status}",
    )


_EVENT_HANDLERS: dict[str, Callable[[_Delivery], _Handled]] = {
    "checkout.session.completed": _on_checkout_session_completed,
    "customer.subscription.created": _on_subscription_event,
    "customer.subscription.updated": _on_subscription_event,
    "customer.subscription.deleted": _on_subscription_event,
    "invoice.paid": _on_invoice_paid,
    # localstripe (and older API versions' integrations) send this instead of invoice.paid.
    "invoice.payment_succeeded": _on_invoice_paid,
    "invoice.payment_failed": _on_invoice_payment_failed,
}


# ---------------------------------------------------------------------------------------------
# Reading Stripe objects: plain dicts, as in the webhook body, across API versions
# ---------------------------------------------------------------------------------------------


def _id_of(value: Any) -> str:
    """An id from a field that is either the id or the expanded object."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _from_unix(seconds: int | float) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(seconds), tz=dt.UTC)


def _now_whole_seconds() -> dt.datetime:
    """Now, floored to Stripe's one-second resolution, so an event created in the same second as
    a fetch is not mistaken for an older one."""
    return timezone.now().replace(microsecond=0)


def _subscription_items(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    items = snapshot.get("items")
    data = items.get("data") if isinstance(items, dict) else None
    return [item for item in data or [] if isinstance(item, dict)]


def _subscription_price_id(snapshot: dict[str, Any]) -> str:
    """The first item's Price (``price``; ``plan`` on older APIs and localstripe), preferring
    one that is a ClaimLens plan."""
    candidates = []
    for item in _subscription_items(snapshot):
        candidates += [_id_of(item.get("price")), _id_of(item.get("plan"))]
    candidates.append(_id_of(snapshot.get("plan")))
    candidates = [price_id for price_id in candidates if price_id]
    for price_id in candidates:
        if plan_for_price_id(price_id) is not None:
            return price_id
    return candidates[0] if candidates else ""


def _subscription_period_end(snapshot: dict[str, Any]) -> dt.datetime | None:
    """Since API 2025-03-31.basil the period lives on the items; before, on the subscription."""
    ends = [snapshot.get("current_period_end")]
    ends += [item.get("current_period_end") for item in _subscription_items(snapshot)]
    ends = [end for end in ends if isinstance(end, int | float)]
    return _from_unix(max(ends)) if ends else None


def _invoice_subscription_id(invoice: dict[str, Any]) -> str:
    """``subscription`` on older API versions; ``parent.subscription_details`` on newer ones."""
    subscription_id = _id_of(invoice.get("subscription"))
    if subscription_id:
        return subscription_id
    parent = invoice.get("parent") or {}
    details = parent.get("subscription_details") if isinstance(parent, dict) else None
    return _id_of((details or {}).get("subscription"))


def _invoice_period_end(invoice: dict[str, Any]) -> dt.datetime | None:
    lines = invoice.get("lines")
    data = lines.get("data") if isinstance(lines, dict) else None
    ends = [(line.get("period") or {}).get("end") for line in data or [] if isinstance(line, dict)]
    ends = [end for end in ends if isinstance(end, int | float)]
    return _from_unix(max(ends)) if ends else None
