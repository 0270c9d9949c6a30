"""View guards for the dashboard: signed in, in an organization, and allowed to manage it."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.selectors import membership_for_request


def organization_required(*, manage: bool = False) -> Callable:
    """Require a signed-in member (with ``manage``: an owner or admin); sets request.membership."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            membership = membership_for_request(request)
            if membership is None or (manage and not membership.can_manage):
                raise PermissionDenied
            request.membership = membership
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
