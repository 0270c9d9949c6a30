"""Billing pages: public pricing, the organization's billing page, Checkout and the portal.

Only owners and admins start a checkout or open the portal; every member can see the plan.
Plans change when Stripe confirms (webhook, or the success page fetching the session), never
because a browser came back from Checkout.
"""

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from accounts.decorators import organization_required
from accounts.selectors import membership_for_request
from billing.forms import CheckoutForm
from billing.plans import Plan, limits_for, plan_table
from billing.selectors import billing_customer_for, grace_ends_at, subscription_current_for
from billing.services import (
    checkout_session_create,
    checkout_session_sync,
    portal_session_create,
)
from billing.stripe_client import billing_enabled
from claimlens.api import ApplicationError

logger = logging.getLogger(__name__)


def _see_other(url: str) -> HttpResponseRedirect:
    """Leave a POST for Stripe's hosted page with 303, as Stripe's own samples do."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def pricing(request: HttpRequest) -> HttpResponse:
    """``/pricing``: the plan table, public."""
    membership = membership_for_request(request)
    return TemplateResponse(
        request,
        "billing/pricing.html",
        {
            "plans": plan_table(),
            "current_plan": membership.organization.plan if membership else None,
            "can_manage": bool(membership and membership.can_manage),
            "billing_enabled": billing_enabled(),
        },
    )


@organization_required()
def billing_overview(request: HttpRequest) -> HttpResponse:
    organization = request.membership.organization
    subscription = subscription_current_for(organization=organization)
    return TemplateResponse(
        request,
        "billing/overview.html",
        {
            "organization": organization,
            "limits": limits_for(organization.plan),
            "subscription": subscription,
            "grace_ends_at": grace_ends_at(subscription) if subscription else None,
            "has_billing_account": billing_customer_for(organization=organization) is not None,
            "paid_plans": [(plan, limits) for plan, limits in plan_table() if plan != Plan.FREE],
            "billing_enabled": billing_enabled(),
            "can_manage": request.membership.can_manage,
        },
    )


@require_POST
@organization_required(manage=True)
def checkout(request: HttpRequest) -> HttpResponse:
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the Pro or Practice plan.")
        return redirect("billing:overview")
    try:
        url = checkout_session_create(
            organization=request.membership.organization,
            plan=form.cleaned_data["plan"],
            user=request.user,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("billing:overview")
    return _see_other(url)


@organization_required()
def checkout_success(request: HttpRequest) -> HttpResponse:
    """Back from Checkout: apply the subscription now if Stripe confirms it, else say it is
    on its way (the webhook will apply it)."""
    session_id = request.GET.get("session_id", "")[:255]
    subscription = None
    if session_id and request.membership.can_manage and billing_enabled():
        try:
            subscription = checkout_session_sync(
                organization=request.membership.organization, session_id=session_id
            )
        except ApplicationError as error:
            logger.info("checkout success page: session not synced (%s)", error.code)
    return TemplateResponse(
        request, "billing/checkout_success.html", {"subscription": subscription}
    )


@organization_required()
def checkout_cancel(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "billing/checkout_cancel.html", {})


@require_POST
@organization_required(manage=True)
def portal(request: HttpRequest) -> HttpResponse:
    try:
        url = portal_session_create(organization=request.membership.organization)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("billing:overview")
    return _see_other(url)
