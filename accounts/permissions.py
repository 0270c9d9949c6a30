"""API permissions that depend on the caller's organization and plan."""

from http import HTTPStatus

from rest_framework.permissions import BasePermission

from billing.plans import limits_for
from claimlens.api import ApplicationError


class PlanAllowsApi(BasePermission):
    """The free plan is web-only: its keys get 403 ``plan_required``."""

    def has_permission(self, request, view) -> bool:
        organization = request.user.organization
        if not limits_for(organization.plan).api_access:
            raise ApplicationError(
                "plan_required",
                "API access requires a Pro or Practice plan. Upgrade at /pricing.",
                HTTPStatus.FORBIDDEN,
            )
        return True
