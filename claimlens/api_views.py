"""Helpers shared by the API views of every app."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from billing.quota import UsageSnapshot


def rate_limit_headers(usage: UsageSnapshot) -> dict[str, str]:
    """GitHub-style quota headers; the reset is in epoch seconds."""
    return {
        "X-RateLimit-Limit": str(usage.limit),
        "X-RateLimit-Remaining": str(usage.remaining),
        "X-RateLimit-Reset": str(int(usage.reset_at.timestamp())),
    }


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
