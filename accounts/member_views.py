"""Members and invitations of an organization, and switching between organizations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import organization_required
from accounts.forms import InvitationForm
from accounts.invitations import (
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_revoke,
    membership_change_role,
    membership_remove,
)
from accounts.models import Role
from accounts.selectors import SESSION_ORGANIZATION_KEY
from billing.plans import limits_for
from claimlens.api import ApplicationError


@require_http_methods(["GET", "POST"])
@organization_required()
def members(request: HttpRequest) -> HttpResponse:
    """Everyone sees who is in the organization; owners and admins invite and manage."""
    membership = request.membership
    organization = membership.organization
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not membership.can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                invitation_create(
                    organization=organization, invited_by=request.user, **form.cleaned_data
                )
            except ApplicationError as error:
                form.add_error("email", error.message)
            else:
                messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
                return redirect("accounts:members")
    return TemplateResponse(
        request,
        "accounts/members.html",
        {
            "form": form,
            "members": organization.memberships.select_related("user").order_by("created_at"),
            "invitations": organization.invitations.pending().select_related("invited_by"),
            "max_members": limits_for(organization.plan).max_members,
            "roles": Role.choices,
        },
    )


def _membership_of_org(request: HttpRequest, membership_id: int):
    target = (
        request.membership.organization.memberships.select_related("user", "organization")
        .filter(pk=membership_id)
        .first()
    )
    if target is None:
        raise Http404("No such member")
    return target


@require_POST
@organization_required(manage=True)
def member_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    target = _membership_of_org(request, membership_id)
    try:
        membership_change_role(
            membership=target, role=request.POST.get("role", ""), changed_by=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("accounts:members")


@require_POST
@organization_required(manage=True)
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    target = _membership_of_org(request, membership_id)
    try:
        membership_remove(membership=target, removed_by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Removed {target.user.email}.")
    return redirect("accounts:members")


@require_POST
@organization_required(manage=True)
def invitation_revoke_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = (
        request.membership.organization.invitations.pending().filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise Http404("No such invitation")
    invitation_revoke(invitation=invitation, revoked_by=request.user)
    messages.success(request, f"Invitation to {invitation.email} revoked.")
    return redirect("accounts:members")


@require_http_methods(["GET", "POST"])
@login_required
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        return TemplateResponse(request, "accounts/invitation_invalid.html", status=404)
    error = None
    if request.method == "POST":
        try:
            membership = invitation_accept(invitation=invitation, user=request.user)
        except ApplicationError as exc:
            error = exc.message
        else:
            request.session[SESSION_ORGANIZATION_KEY] = membership.organization_id
            messages.success(request, f"You joined {membership.organization.name}.")
            return redirect("accounts:dashboard")
    return TemplateResponse(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "error": error}
    )


@require_POST
@login_required
def organization_switch(request: HttpRequest, organization_id: int) -> HttpResponse:
    if not request.user.memberships.filter(organization_id=organization_id).exists():
        raise Http404("No such organization")
    request.session[SESSION_ORGANIZATION_KEY] = organization_id
    return redirect("accounts:dashboard")
