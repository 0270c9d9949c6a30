"""Reads scoped to an organization: another organization's id and a missing id look the same."""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from accounts.models import ApiKey, Membership, Organization, User

SESSION_ORGANIZATION_KEY = "organization_id"


def membership_for_request(request: HttpRequest) -> Membership | None:
    """The signed-in user's membership in the organization they are working in.

    That is the one chosen in the session, else the oldest. Cached on the request.
    """
    if hasattr(request, "_membership"):
        return request._membership
    user = request.user
    membership = None
    if user.is_authenticated:
        memberships = Membership.objects.select_related("organization").filter(user=user)
        chosen = request.session.get(SESSION_ORGANIZATION_KEY)
        if chosen:
            membership = memberships.filter(organization_id=chosen).first()
        membership = membership or memberships.order_by("created_at", "pk").first()
    request._membership = membership
    return membership


def organizations_for_user(*, user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(memberships__user=user).order_by("name")


def api_keys_for_organization(*, organization: Organization) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(organization=organization).select_related(
        "created_by", "revoked_by"
    )


def api_key_get_for_org(*, organization: Organization, key_id: int) -> ApiKey:
    try:
        return api_keys_for_organization(organization=organization).get(pk=key_id)
    except ApiKey.DoesNotExist as exc:
        raise Http404("No such API key") from exc
