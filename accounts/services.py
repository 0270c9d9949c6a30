"""Write workflows for users, organizations, API keys and the audit log."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.api_keys import generate_key
from accounts.models import ApiKey, AuditEvent, Membership, Organization, Role, User
from billing.models import PlanChange, PlanChangeSource
from billing.plans import Plan


def audit_record(
    *,
    organization: Organization,
    actor: User | None,
    action: str,
    target: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row; call it inside the transaction of the change it records."""
    return AuditEvent.objects.create(
        organization=organization,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail=detail or {},
    )


@transaction.atomic
def organization_create(*, owner: User, name: str = "") -> Organization:
    """Create an organization on the free plan with ``owner`` as its owner."""
    organization = Organization.objects.create(
        name=name or f"{owner.email.split('@')[0]}'s practice", plan=Plan.FREE
    )
    Membership.objects.create(user=owner, organization=organization, role=Role.OWNER)
    PlanChange.objects.create(
        organization=organization,
        to_plan=Plan.FREE,
        source=PlanChangeSource.SIGNUP,
        changed_by=owner,
    )
    return organization


@transaction.atomic
def user_create(*, email: str, password: str | None = None, organization_name: str = "") -> User:
    """Create a user with an organization of their own, as sign-up does."""
    user = User.objects.create_user(email=email, password=password)
    organization_create(owner=user, name=organization_name)
    return user


@transaction.atomic
def api_key_create(
    *, organization: Organization, name: str, created_by: User | None
) -> tuple[ApiKey, str]:
    """Create a key and return it with its full text, which is never available again."""
    generated = generate_key()
    api_key = ApiKey.objects.create(
        organization=organization,
        name=name.strip() or "API key",
        prefix=generated.prefix,
        hashed_key=generated.hashed_key,
        created_by=created_by,
    )
    audit_record(
        organization=organization,
        actor=created_by,
        action="api_key.created",
        target=api_key,
        detail={"name": api_key.name, "prefix": api_key.display_prefix},
    )
    return api_key, generated.key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, revoked_by: User | None) -> ApiKey:
    """Revoke a key; the very next request made with it is refused. Revoking twice is a no-op."""
    if api_key.revoked_at is not None:
        return api_key
    api_key.revoked_at = timezone.now()
    api_key.revoked_by = revoked_by
    api_key.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    audit_record(
        organization=api_key.organization,
        actor=revoked_by,
        action="api_key.revoked",
        target=api_key,
        detail={"name": api_key.name, "prefix": api_key.display_prefix},
    )
    return api_key


def api_key_touch(*, api_key: ApiKey, resolution_seconds: int) -> None:
    """Record use of a key, writing at most once every ``resolution_seconds``."""
    now = timezone.now()
    last = api_key.last_used_at
    if last is None or (now - last).total_seconds() >= resolution_seconds:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
