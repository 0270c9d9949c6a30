"""What every organization-scoped API view shares: authentication, plan check, quota headers."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import PlanAllowsApi
from billing.quota import UsageSnapshot, usage_snapshot
from claimlens.api import DATABASE_UNAVAILABLE_ERRORS


def rate_limit_headers(usage: UsageSnapshot) -> dict[str, str]:
    """GitHub-style quota headers; the reset is in epoch seconds."""
    return {
        "X-RateLimit-Limit": str(usage.limit),
        "X-RateLimit-Remaining": str(usage.remaining),
        "X-RateLimit-Reset": str(int(usage.reset_at.timestamp())),
    }


class OrganizationApiView(APIView):
    """An API view for a Pro or Practice organization's key.

    Every response that knows its organization carries the monthly quota headers; a view that
    already knows the usage (extract) sets them itself and saves the query.
    """

    permission_classes = [IsAuthenticated, PlanAllowsApi]

    def finalize_response(self, request: Request, response: Response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        try:
            # request.user authenticates again if the first attempt raised a database error.
            organization = getattr(request.user, "organization", None)
            if organization is None or "X-RateLimit-Limit" in response:
                return response
            usage = usage_snapshot(organization=organization)
        except DATABASE_UNAVAILABLE_ERRORS:
            # The database went away during the request: its 503 goes out without the headers.
            return response
        for name, value in rate_limit_headers(usage).items():
            response[name] = value
        return response


def route_by_method(**views: Callable) -> Callable:
    """One URL, one view per HTTP method (``route_by_method(get=ListApi.as_view(), post=...)``).

    Keeps "one APIView per operation" where a contract puts list and create on the same path.
    A method with no view goes to the first view, so DRF answers it with a JSON 405.
    """
    fallback = next(iter(views.values()))

    @csrf_exempt  # each APIView is csrf-exempt itself; DRF enforces CSRF only for sessions
    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return views.get(request.method.lower(), fallback)(request, *args, **kwargs)

    return view
