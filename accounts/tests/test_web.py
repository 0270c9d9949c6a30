"""Sign-up, log-in, organizations and the API keys pages, through HTTP like a browser."""

import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import ApiKey, Membership, Role
from accounts.tests.factories import PASSWORD, UserFactory
from billing.models import PlanChange

pytestmark = pytest.mark.django_db


def test_signup_creates_user_and_owned_free_organization_and_sends_verification(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new.doc@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == HTTPStatus.FOUND
    membership = Membership.objects.select_related("organization", "user").get(
        user__email="new.doc@example.org"
    )
    assert membership.role == Role.OWNER
    assert membership.organization.plan == "free"
    assert PlanChange.objects.filter(organization=membership.organization, source="signup").exists()
    assert len(mail.outbox) == 1
    assert "new.doc@example.org" in mail.outbox[0].to


def test_unverified_user_cannot_log_in_until_verified(client):
    client.post(
        "/accounts/signup/",
        {"email": "pending@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    client.logout()
    client.post("/accounts/login/", {"login": "pending@example.org", "password": PASSWORD})
    assert client.get("/dashboard/").status_code == HTTPStatus.FOUND  # back to log-in

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("testserver", 1)[1]
    client.post(path)
    assert EmailAddress.objects.get(email="pending@example.org").verified
    client.post("/accounts/login/", {"login": "pending@example.org", "password": PASSWORD})
    assert client.get("/dashboard/").status_code == HTTPStatus.OK


def test_login_and_logout(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert client.get("/dashboard/").status_code == HTTPStatus.OK
    client.post("/accounts/logout/")
    assert client.get("/dashboard/").status_code == HTTPStatus.FOUND


def test_wrong_password_is_refused(client, user):
    client.post("/accounts/login/", {"login": user.email, "password": "wrong password"})
    assert client.get("/dashboard/").status_code == HTTPStatus.FOUND


def test_password_reset_sends_a_mail(client, user):
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == HTTPStatus.FOUND
    assert any("/accounts/password/reset/key/" in message.body for message in mail.outbox)


def _current_totp(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_totp_can_be_activated_and_is_then_required_at_login(client, user):
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith(
        "/accounts/reauthenticate/"
    )
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == HTTPStatus.OK
    secret = page.context["form"].secret
    client.post("/accounts/2fa/totp/activate/", {"code": _current_totp(secret)})
    assert user.authenticator_set.filter(type="totp").exists()

    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/dashboard/").status_code == HTTPStatus.FOUND  # not in yet
    client.post("/accounts/2fa/authenticate/", {"code": _current_totp(secret)})
    assert client.get("/dashboard/").status_code == HTTPStatus.OK


def test_create_key_shows_it_once(client, user, pro_organization):
    client.force_login(user)
    response = client.post("/dashboard/api-keys/", {"name": "EHR integration"})
    assert response.status_code == HTTPStatus.OK
    key = re.search(rb"cl_live_[A-Za-z0-9_\-]+", response.content).group(0).decode()
    stored = ApiKey.objects.get(organization=pro_organization)
    assert stored.name == "EHR integration"
    assert stored.created_by == user

    listing = client.get("/dashboard/api-keys/")
    assert key.encode() not in listing.content
    assert stored.display_prefix.encode() in listing.content


def test_key_created_in_dashboard_works_then_revoke_stops_it(client, user, pro_organization):
    client.force_login(user)
    response = client.post("/dashboard/api-keys/", {"name": "Scripts"})
    key = re.search(rb"cl_live_[A-Za-z0-9_\-]+", response.content).group(0).decode()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/usage", **auth).status_code == HTTPStatus.OK

    stored = ApiKey.objects.get(organization=pro_organization)
    confirm = client.get(f"/dashboard/api-keys/{stored.pk}/revoke/")
    assert b"Revoke" in confirm.content
    stored.refresh_from_db()
    assert stored.is_active  # GET only asks for confirmation
    client.post(f"/dashboard/api-keys/{stored.pk}/revoke/")
    stored.refresh_from_db()
    assert stored.revoked_by == user
    assert client.get("/api/v1/usage", **auth).status_code == HTTPStatus.UNAUTHORIZED


def test_members_see_keys_but_cannot_create_or_revoke(client, pro_organization, make_api_key):
    member = UserFactory()
    Membership.objects.create(user=member, organization=pro_organization, role=Role.MEMBER)
    client.force_login(member)
    client.cookies["sessionid"]
    session = client.session
    session["organization_id"] = pro_organization.pk
    session.save()
    make_api_key(pro_organization, name="Owner's key")
    assert b"Owner&#x27;s key" in client.get("/dashboard/api-keys/").content
    assert client.post("/dashboard/api-keys/", {"name": "x"}).status_code == HTTPStatus.FORBIDDEN
    key = ApiKey.objects.get(organization=pro_organization)
    assert client.post(f"/dashboard/api-keys/{key.pk}/revoke/").status_code == HTTPStatus.FORBIDDEN
    key.refresh_from_db()
    assert key.is_active


def test_one_organization_never_sees_or_revokes_anothers_keys(client, make_api_key):
    owner_a, owner_b = UserFactory(), UserFactory()
    org_b = owner_b.memberships.get().organization
    make_api_key(org_b, name="B secret integration")
    key_b = ApiKey.objects.get(organization=org_b)

    client.force_login(owner_a)
    assert b"B secret integration" not in client.get("/dashboard/api-keys/").content
    assert client.get(f"/dashboard/api-keys/{key_b.pk}/revoke/").status_code == HTTPStatus.NOT_FOUND
    assert (
        client.post(f"/dashboard/api-keys/{key_b.pk}/revoke/").status_code == HTTPStatus.NOT_FOUND
    )
    key_b.refresh_from_db()
    assert key_b.is_active


def test_dashboard_shows_usage_and_plan(client, user, pro_organization):
    client.force_login(user)
    response = client.get("/dashboard/")
    assert b"of 1,000 extractions" in response.content
    assert b"Pro" in response.content


def test_landing_page_is_public(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    assert b"ClaimLens" in response.content
