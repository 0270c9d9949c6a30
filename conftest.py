"""Fixtures shared by every app's tests."""

import base64

import pytest
from rest_framework.test import APIClient

from accounts.services import api_key_create
from accounts.tests.factories import OrganizationFactory, UserFactory
from billing.plans import Plan
from billing.services import plan_grant
from extraction.engines import _build
from extraction.tests.fake_anthropic import FakeAnthropic


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def organization(user):
    return user.memberships.get().organization


@pytest.fixture
def pro_organization(organization):
    return plan_grant(organization=organization, plan=Plan.PRO)


@pytest.fixture
def owner_client(client, user):
    """A browser session of ``user``, the owner of their organization."""
    client.force_login(user)
    return client


@pytest.fixture
def make_api_key():
    """Create a key for an organization and return its full text."""

    def make(organization, name: str = "test key", created_by=None) -> str:
        _api_key, key = api_key_create(organization=organization, name=name, created_by=created_by)
        return key

    return make


@pytest.fixture
def api_key(pro_organization, user, make_api_key) -> str:
    return make_api_key(pro_organization, created_by=user)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def bearer_client(api_key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    return client


def basic_auth_header(username: str, password: str = "") -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture
def other_organization(db):
    return OrganizationFactory()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; the production hasher's cost buys nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def fake_anthropic_server():
    server = FakeAnthropic()
    yield server
    server.close()


@pytest.fixture
def fake_anthropic(fake_anthropic_server, settings):
    """Point the Claude engine at the fake Messages API, with short timeouts."""
    settings.CLAIMLENS_ENGINE = "claude"
    settings.ANTHROPIC_API_KEY = "test-key"
    settings.ANTHROPIC_BASE_URL = fake_anthropic_server.url
    settings.ANTHROPIC_MODEL = "claude-sonnet-4-6"
    settings.ANTHROPIC_TIMEOUT_SECONDS = 1.0
    settings.ANTHROPIC_MAX_RETRIES = 1
    _build.cache_clear()
    yield fake_anthropic_server
    _build.cache_clear()
