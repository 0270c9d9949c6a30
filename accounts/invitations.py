"""Inviting people into an organization: create, send, accept, revoke; roles and removal.

A practice's plan caps its members (billing.plans): members plus pending invitations never
exceed it. An organization always keeps at least one owner.
"""

import secrets
from http import HTTPStatus

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.api_keys import hash_key
from accounts.models import Invitation, Membership, Organization, Role, User
from accounts.services import audit_record
from billing.plans import limits_for
from claimlens.api import ApplicationError

INVITATION_TTL_DAYS = 14


def _seats_left(organization: Organization) -> int:
    used = organization.memberships.count() + organization.invitations.pending().count()
    return limits_for(organization.plan).max_members - used


@transaction.atomic
def invitation_create(
    *, organization: Organization, email: str, role: str, invited_by: User
) -> Invitation:
    """Invite ``email`` and send the link. Raises ApplicationError when it cannot be done."""
    email = email.strip().lower()
    if role not in (Role.ADMIN, Role.MEMBER):
        raise ApplicationError("invalid_role", "Invite people as an admin or a member.")
    if organization.memberships.filter(user__email=email).exists():
        raise ApplicationError("already_member", f"{email} is already a member.")
    if organization.invitations.pending().filter(email=email).exists():
        raise ApplicationError("already_invited", f"{email} already has a pending invitation.")
    if _seats_left(organization) <= 0:
        limit = limits_for(organization.plan).max_members
        raise ApplicationError(
            "member_limit",
            f"The {organization.get_plan_display()} plan allows {limit} member"
            f"{'s' if limit != 1 else ''}. Upgrade to Practice for up to 10.",
            HTTPStatus.FORBIDDEN,
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        hashed_token=hash_key(token),
        invited_by=invited_by,
    )
    audit_record(
        organization=organization,
        actor=invited_by,
        action="member.invited",
        target=invitation,
        detail={"email": email, "role": role},
    )
    link = settings.SITE_URL + reverse("accounts:invitation_accept", args=[token])
    transaction.on_commit(
        lambda: send_mail(
            subject=f"Join {organization.name} on ClaimLens",
            message=(
                f"{invited_by.email} invited you to join {organization.name} on ClaimLens "
                f"as {invitation.get_role_display().lower()}.\n\nAccept within "
                f"{INVITATION_TTL_DAYS} days: {link}\n"
            ),
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """A pending, unexpired invitation for this link, or None."""
    cutoff = timezone.now() - timezone.timedelta(days=INVITATION_TTL_DAYS)
    return (
        Invitation.objects.pending()
        .select_related("organization")
        .filter(hashed_token=hash_key(token), created_at__gte=cutoff)
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    if user.email.lower() != invitation.email:
        raise ApplicationError(
            "wrong_account",
            f"This invitation is for {invitation.email}. Log in with that address to accept it.",
            HTTPStatus.FORBIDDEN,
        )
    membership, _created = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_record(
        organization=invitation.organization,
        actor=user,
        action="member.joined",
        target=membership,
        detail={"email": user.email, "role": membership.role},
    )
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: User) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        organization=invitation.organization,
        actor=revoked_by,
        action="member.invitation_revoked",
        target=invitation,
        detail={"email": invitation.email},
    )


def _keeps_an_owner(membership: Membership, new_role: str | None) -> bool:
    if membership.role != Role.OWNER or new_role == Role.OWNER:
        return True
    return membership.organization.memberships.filter(role=Role.OWNER).count() > 1


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, changed_by: User) -> Membership:
    if role not in Role.values:
        raise ApplicationError("invalid_role", "Unknown role.")
    if not _keeps_an_owner(membership, role):
        raise ApplicationError("last_owner", "An organization needs at least one owner.")
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        organization=membership.organization,
        actor=changed_by,
        action="member.role_changed",
        target=membership,
        detail={"email": membership.user.email, "from": previous, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, removed_by: User) -> None:
    if not _keeps_an_owner(membership, None):
        raise ApplicationError("last_owner", "An organization needs at least one owner.")
    audit_record(
        organization=membership.organization,
        actor=removed_by,
        action="member.removed",
        target=membership,
        detail={"email": membership.user.email},
    )
    membership.delete()
