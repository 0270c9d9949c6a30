"""Dashboard pages for a practice: overview and API keys."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import organization_required
from accounts.forms import ApiKeyCreateForm
from accounts.models import Role
from accounts.selectors import api_key_get_for_org, api_keys_for_organization
from accounts.services import api_key_create, api_key_revoke
from billing.plans import limits_for
from billing.quota import usage_snapshot
from extraction.selectors import extractions_for_org


@organization_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    organization = request.membership.organization
    return TemplateResponse(
        request,
        "accounts/dashboard.html",
        {
            "organization": organization,
            "usage": usage_snapshot(organization=organization),
            "limits": limits_for(organization.plan),
            "active_keys": organization.api_keys.active().count(),
            "member_count": organization.memberships.count(),
            "recent": extractions_for_org(organization=organization)
            .defer("scrubbed_note", "result")
            .select_related("user", "api_key")[:5],
            "other_memberships": request.user.memberships.exclude(organization=organization)
            .select_related("organization")
            .order_by("organization__name"),
        },
    )


@require_http_methods(["GET", "POST"])
@organization_required()
def api_keys(request: HttpRequest) -> HttpResponse:
    """List the organization's keys; owners and admins create them here (shown once)."""
    membership = request.membership
    form = ApiKeyCreateForm(request.POST or None)
    new_key = None
    if request.method == "POST":
        if not membership.can_manage:
            raise PermissionDenied
        if form.is_valid():
            _api_key, new_key = api_key_create(
                organization=membership.organization,
                name=form.cleaned_data["name"],
                created_by=request.user,
            )
            form = ApiKeyCreateForm()
    return TemplateResponse(
        request,
        "accounts/api_keys.html",
        {
            "form": form,
            "new_key": new_key,
            "keys": api_keys_for_organization(organization=membership.organization),
            "api_access": limits_for(membership.organization.plan).api_access,
        },
    )


@require_http_methods(["GET", "POST"])
@organization_required(manage=True)
def api_key_revoke_view(request: HttpRequest, key_id: int) -> HttpResponse:
    """Confirm, then revoke. Another organization's key is a 404."""
    api_key = api_key_get_for_org(organization=request.membership.organization, key_id=key_id)
    if request.method == "POST":
        api_key_revoke(api_key=api_key, revoked_by=request.user)
        messages.success(request, f"Revoked “{api_key.name}”. It stops working at once.")
        return redirect("accounts:api_keys")
    return TemplateResponse(request, "accounts/api_key_revoke.html", {"api_key": api_key})


@require_GET
@organization_required()
def audit_log(request: HttpRequest) -> HttpResponse:
    """Who viewed or exported what, who created or revoked keys, plan and member changes.

    Owners only: the log names people and what they looked at.
    """
    membership = request.membership
    if membership.role != Role.OWNER:
        raise PermissionDenied
    events = membership.organization.audit_events.select_related("actor")
    action = request.GET.get("action", "")
    if action:
        events = events.filter(action=action)
    actions = (
        membership.organization.audit_events.order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "accounts/audit_log.html",
        {"page": page, "actions": actions, "action": action},
    )
