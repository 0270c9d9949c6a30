"""Tenant isolation: every object endpoint and page, reached with another organization's key or
user, answers 404 (the same as a missing id), and lists never show another's objects."""

from http import HTTPStatus

import pytest
from rest_framework.test import APIClient

from accounts.invitations import invitation_create
from accounts.models import ApiKey, Membership
from accounts.tests.factories import UserFactory
from billing.services import plan_grant
from extraction.models import Extraction
from inquiries import services as inquiry_services
from inquiries.tests.conftest import service_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim(make_api_key, django_capture_on_commit_callbacks):
    """An organization with one of everything."""
    owner = UserFactory()
    organization = owner.memberships.get().organization
    plan_grant(organization=organization, plan="practice")
    key = make_api_key(organization, created_by=owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.post("/api/v1/extract", {"note": "Total time spent 25 minutes."}, format="json")
    colleague = UserFactory()
    Membership.objects.create(user=colleague, organization=organization)
    with django_capture_on_commit_callbacks(execute=False):
        inquiry = inquiry_services.inquiry_create(
            organization=organization, created_by=owner, source="test", **service_kwargs()
        )
        invitation = invitation_create(
            organization=organization, email="new@example.org", role="member", invited_by=owner
        )
    return {
        "organization": organization,
        "extraction": Extraction.objects.get(organization=organization),
        "inquiry": inquiry,
        "api_key": ApiKey.objects.get(organization=organization),
        "membership": Membership.objects.get(user=colleague, organization=organization),
        "invitation": invitation,
    }


@pytest.fixture
def intruder_api(make_api_key):
    owner = UserFactory()
    organization = owner.memberships.get().organization
    plan_grant(organization=organization, plan="practice")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_api_key(organization)}")
    return client


@pytest.fixture
def intruder_web(client):
    owner = UserFactory()
    plan_grant(organization=owner.memberships.get().organization, plan="practice")
    client.force_login(owner)
    return client


def test_api_object_endpoints_are_404_for_another_organization(victim, intruder_api):
    extraction, inquiry = victim["extraction"].public_id, victim["inquiry"].pk
    requests = [
        ("get", f"/api/v1/extractions/{extraction}"),
        ("get", f"/api/v1/inquiries/{inquiry}"),
        ("post", f"/api/v1/inquiries/{inquiry}/cancel"),
        ("get", f"/api/v0/mental_health/inquiries/{inquiry}"),
    ]
    for method, url in requests:
        response = getattr(intruder_api, method)(url)
        assert response.status_code == HTTPStatus.NOT_FOUND, url
        assert response.json()["error"] == "not_found", url
    victim["inquiry"].refresh_from_db()
    assert victim["inquiry"].status == "PENDING"


def test_api_lists_never_show_another_organizations_objects(victim, intruder_api):
    assert intruder_api.get("/api/v1/extractions").json()["count"] == 0
    listing = intruder_api.get("/api/v1/inquiries").json()
    assert str(victim["inquiry"].pk) not in str(listing)
    assert intruder_api.get("/api/v1/usage").json()["used"] == 0


def test_pages_are_404_for_another_organizations_user(victim, intruder_web):
    extraction, inquiry = victim["extraction"].public_id, victim["inquiry"].pk
    pages = [
        ("get", f"/history/{extraction}/"),
        ("get", f"/history/{extraction}/export.csv"),
        ("get", f"/history/{extraction}/export.json"),
        ("get", f"/inquiries/{inquiry}/"),
        ("post", f"/inquiries/{inquiry}/cancel/"),
        ("get", f"/inquiries/{inquiry}/work/"),
        ("post", f"/dashboard/api-keys/{victim['api_key'].pk}/revoke/"),
        ("post", f"/dashboard/members/{victim['membership'].pk}/role/"),
        ("post", f"/dashboard/members/{victim['membership'].pk}/remove/"),
        ("post", f"/dashboard/invitations/{victim['invitation'].pk}/revoke/"),
        ("post", f"/dashboard/organizations/{victim['organization'].pk}/switch/"),
    ]
    for method, url in pages:
        response = getattr(intruder_web, method)(url)
        assert response.status_code == HTTPStatus.NOT_FOUND, url
    victim["api_key"].refresh_from_db()
    assert victim["api_key"].is_active
    assert Membership.objects.filter(pk=victim["membership"].pk).exists()


def test_page_lists_never_show_another_organizations_objects(victim, intruder_web):
    for url in (
        "/history/",
        "/inquiries/",
        "/dashboard/",
        "/dashboard/api-keys/",
        "/dashboard/members/",
        "/dashboard/audit/",
    ):
        content = intruder_web.get(url).content.decode()
        assert str(victim["extraction"].public_id) not in content, url
        assert str(victim["inquiry"].pk) not in content, url
        assert victim["api_key"].display_prefix not in content, url
        assert victim["membership"].user.email not in content, url
