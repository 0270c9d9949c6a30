"""API permissions that depend on the caller's organization and plan."""

from http import HTTPStatus

from rest_framework.permissions import BasePermission

from billing.selectors import api_access_for
from claimlens.api import ApplicationError


class PlanAllowsApi(BasePermission):
    """The free plan is web-only: its keys get 403 ``plan_required``. A paid plan whose payment
    failed longer ago than the grace period gets 403 ``payment_required``."""

    def has_permission(self, request, view) -> bool:
        # Decided once per request (one query at most): the extract endpoint counts its queries.
        access = getattr(request, "_billing_api_access", None)
        if access is None:
            access = api_access_for(organization=request.user.organization)
            request._billing_api_access = access
        if not access.allowed:
            raise ApplicationError(access.code, access.message, HTTPStatus.FORBIDDEN)
        return True
