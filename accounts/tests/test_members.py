"""Members and invitations: plan seat limits, roles, acceptance, owners kept, isolation."""

import re
from http import HTTPStatus

import pytest
from django.core import mail

from accounts.invitations import INVITATION_TTL_DAYS
from accounts.models import AuditEvent, Invitation, Membership, Role
from accounts.tests.factories import UserFactory
from billing.services import plan_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(user, organization, client, django_capture_on_commit_callbacks):
    plan_grant(organization=organization, plan="practice")
    client.force_login(user)
    client.capture = django_capture_on_commit_callbacks
    return organization


def invite(client, email, role="member"):
    with client.capture(execute=True):
        return client.post("/dashboard/members/", {"email": email, "role": role})


def accept_link() -> str:
    return re.search(r"http://\S+(/dashboard/invitations/accept/\S+/)", mail.outbox[-1].body).group(
        1
    )


def test_invite_accept_and_join_with_the_role(client, practice):
    response = invite(client, "Nurse@Example.org", "admin")
    assert response.status_code == HTTPStatus.FOUND
    invitation = Invitation.objects.get(organization=practice)
    assert invitation.email == "nurse@example.org"
    assert mail.outbox[-1].to == ["nurse@example.org"]
    link = accept_link()
    assert invitation.hashed_token not in link

    nurse = UserFactory(email="nurse@example.org")
    client.force_login(nurse)
    assert b"Join" in client.get(link).content
    client.post(link)
    membership = Membership.objects.get(user=nurse, organization=practice)
    assert membership.role == Role.ADMIN
    assert client.get("/dashboard/").context["organization"] == practice
    assert client.get(link).status_code == HTTPStatus.NOT_FOUND  # used up
    assert AuditEvent.objects.filter(action="member.joined", organization=practice).exists()


def test_invitation_for_another_address_is_refused(client, practice):
    invite(client, "someone@example.org")
    link = accept_link()
    client.force_login(UserFactory(email="intruder@example.org"))
    response = client.post(link)
    assert b"This invitation is for someone@example.org" in response.content
    assert not Membership.objects.filter(organization=practice, user__email="intruder@example.org")


def test_expired_invitation_is_not_valid(client, practice):
    invite(client, "late@example.org")
    Invitation.objects.update(
        created_at=Invitation.objects.get().created_at
        - __import__("datetime").timedelta(days=INVITATION_TTL_DAYS + 1)
    )
    link = accept_link()
    client.force_login(UserFactory(email="late@example.org"))
    assert client.get(link).status_code == HTTPStatus.NOT_FOUND


def test_pro_plan_has_one_seat(client, user, organization):
    plan_grant(organization=organization, plan="pro")
    client.force_login(user)
    response = client.post("/dashboard/members/", {"email": "x@example.org", "role": "member"})
    assert b"allows 1 member" in response.content
    assert not Invitation.objects.exists()


def test_practice_plan_caps_members_and_pending_invitations_at_ten(client, practice):
    for i in range(9):
        invite(client, f"p{i}@example.org")
    response = invite(client, "eleventh@example.org")
    assert b"allows 10 members" in response.content
    assert Invitation.objects.pending().count() == 9


def test_members_cannot_invite_or_change_roles(client, practice):
    member = UserFactory()
    Membership.objects.create(user=member, organization=practice, role=Role.MEMBER)
    client.force_login(member)
    session = client.session
    session["organization_id"] = practice.pk
    session.save()
    assert client.get("/dashboard/members/").status_code == HTTPStatus.OK
    assert (
        client.post("/dashboard/members/", {"email": "a@b.org", "role": "member"}).status_code
        == 403
    )
    owner = Membership.objects.get(organization=practice, role=Role.OWNER)
    assert (
        client.post(f"/dashboard/members/{owner.pk}/role/", {"role": "member"}).status_code == 403
    )


def test_the_last_owner_cannot_be_demoted_or_removed(client, practice, user):
    owner = Membership.objects.get(user=user, organization=practice)
    client.post(f"/dashboard/members/{owner.pk}/role/", {"role": "member"})
    owner.refresh_from_db()
    assert owner.role == Role.OWNER
    second = UserFactory()
    Membership.objects.create(user=second, organization=practice, role=Role.MEMBER)
    other = Membership.objects.get(user=second, organization=practice)
    client.post(f"/dashboard/members/{other.pk}/role/", {"role": "owner"})
    other.refresh_from_db()
    assert other.role == Role.OWNER
    client.post(f"/dashboard/members/{owner.pk}/role/", {"role": "member"})
    owner.refresh_from_db()
    assert owner.role == Role.MEMBER


def test_remove_member_and_revoke_invitation(client, practice):
    colleague = UserFactory()
    membership = Membership.objects.create(user=colleague, organization=practice)
    client.post(f"/dashboard/members/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    invite(client, "maybe@example.org")
    invitation = Invitation.objects.get()
    client.post(f"/dashboard/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_another_organizations_members_are_404(client, practice):
    outsider_org = UserFactory().memberships.get()
    assert client.post(f"/dashboard/members/{outsider_org.pk}/remove/").status_code == 404
    assert (
        client.post(f"/dashboard/members/{outsider_org.pk}/role/", {"role": "member"}).status_code
        == 404
    )
    assert (
        client.post(f"/dashboard/organizations/{outsider_org.organization_id}/switch/").status_code
        == 404
    )


def test_dashboard_and_members_pages_make_bounded_queries(
    client, practice, django_assert_max_num_queries
):
    for _ in range(8):
        Membership.objects.create(user=UserFactory(), organization=practice)
    with django_assert_max_num_queries(14):
        assert client.get("/dashboard/").status_code == HTTPStatus.OK
    with django_assert_max_num_queries(10):
        assert client.get("/dashboard/members/").status_code == HTTPStatus.OK


def test_audit_log_is_for_owners_and_lists_security_events(client, practice, user, make_api_key):
    make_api_key(practice, name="Audited key", created_by=user)
    page = client.get("/dashboard/audit/").content.decode()
    assert "api_key.created" in page
    assert "plan.changed" in page
    filtered = client.get("/dashboard/audit/?action=plan.changed").content.decode()
    assert "api_key.created" not in filtered.split("<tbody>")[1]

    admin = UserFactory()
    Membership.objects.create(user=admin, organization=practice, role=Role.ADMIN)
    client.force_login(admin)
    session = client.session
    session["organization_id"] = practice.pk
    session.save()
    assert client.get("/dashboard/audit/").status_code == HTTPStatus.FORBIDDEN


def test_audit_log_shows_only_its_own_organization(client, practice, make_api_key):
    outsider = UserFactory().memberships.get().organization
    make_api_key(outsider, name="Outsider key")
    assert "Outsider key" not in client.get("/dashboard/audit/").content.decode()
