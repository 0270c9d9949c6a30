from django.http import HttpRequest

from accounts.selectors import membership_for_request


def current_organization(request: HttpRequest) -> dict:
    """Expose the membership lazily: public pages that never use it make no query."""
    if not hasattr(request, "user"):
        return {}
    return {"current_membership": lambda: membership_for_request(request)}
