"""API key authentication through the public API: Bearer, Basic, bad and revoked keys."""

from http import HTTPStatus

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.api_keys import KEY_MARKER, SECRET_BYTES, hash_key, parse_prefix
from accounts.models import ApiKey, AuditEvent
from accounts.services import api_key_revoke
from conftest import basic_auth_header

pytestmark = pytest.mark.django_db

USAGE_URL = "/api/v1/usage"


def test_key_format_has_marker_prefix_and_256_bit_secret(pro_organization, make_api_key):
    key = make_api_key(pro_organization)
    assert key.startswith(KEY_MARKER)
    assert SECRET_BYTES >= 32
    prefix = parse_prefix(key)
    stored = ApiKey.objects.get(prefix=prefix)
    assert stored.hashed_key == hash_key(key)
    assert key not in stored.hashed_key
    assert len(key) - len(KEY_MARKER) - len(prefix) >= 43  # 32 bytes, base64url


def test_keys_are_unique(pro_organization, make_api_key):
    keys = {make_api_key(pro_organization) for _ in range(20)}
    assert len(keys) == 20


def test_bearer_key_authenticates(bearer_client, pro_organization):
    response = bearer_client.get(USAGE_URL)
    assert response.status_code == HTTPStatus.OK
    assert response.json()["plan"] == "pro"


def test_basic_auth_with_key_as_username_authenticates(api_client, api_key):
    api_client.credentials(HTTP_AUTHORIZATION=basic_auth_header(api_key))
    response = api_client.get(USAGE_URL)
    assert response.status_code == HTTPStatus.OK


def test_missing_key_is_401_with_json_body(api_client):
    response = api_client.get(USAGE_URL)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["error"] == "invalid_api_key"
    assert response.json()["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer cl_live_",
        "Bearer not-a-key",
        "Bearer " + "cl_live_" + "a" * 51,
        "Bearer sk_live_" + "a" * 51,
        "Token whatever",
        "Basic !!!not-base64",
        basic_auth_header("cl_live_short"),
    ],
)
def test_malformed_or_unknown_keys_are_401(api_client, header, api_key):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get(USAGE_URL)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["error"] == "invalid_api_key"


def test_right_prefix_wrong_secret_is_401(api_client, api_key):
    tampered = api_key[:-4] + ("AAAA" if not api_key.endswith("AAAA") else "BBBB")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tampered}")
    assert api_client.get(USAGE_URL).status_code == HTTPStatus.UNAUTHORIZED


def test_revoked_key_is_refused_on_the_very_next_request(bearer_client, api_key, user):
    assert bearer_client.get(USAGE_URL).status_code == HTTPStatus.OK
    api_key_revoke(api_key=ApiKey.objects.get(prefix=parse_prefix(api_key)), revoked_by=user)
    response = bearer_client.get(USAGE_URL)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["error"] == "invalid_api_key"


def test_revoke_records_who_and_when_and_audits(api_key, user):
    stored = ApiKey.objects.get(prefix=parse_prefix(api_key))
    api_key_revoke(api_key=stored, revoked_by=user)
    stored.refresh_from_db()
    assert stored.revoked_by == user
    assert stored.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_key.revoked", target_id=str(stored.pk)).exists()


def test_key_in_query_string_is_ignored(api_client, api_key):
    response = api_client.get(f"{USAGE_URL}?api_key={api_key}")
    assert response.status_code == HTTPStatus.UNAUTHORIZED


def test_free_plan_key_gets_403_plan_required(api_client, organization, make_api_key):
    key = make_api_key(organization)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = api_client.get(USAGE_URL)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["error"] == "plan_required"
    assert "/pricing" in response.json()["message"]


def test_last_used_is_recorded_at_most_every_few_minutes(bearer_client, api_key, settings):
    settings.API_KEY_LAST_USED_RESOLUTION_SECONDS = 300
    stored = ApiKey.objects.get(prefix=parse_prefix(api_key))
    assert stored.last_used_at is None
    bearer_client.get(USAGE_URL)
    stored.refresh_from_db()
    first = stored.last_used_at
    assert first is not None
    bearer_client.get(USAGE_URL)
    stored.refresh_from_db()
    assert stored.last_used_at == first
    ApiKey.objects.filter(pk=stored.pk).update(last_used_at=first - timezone.timedelta(minutes=6))
    bearer_client.get(USAGE_URL)
    stored.refresh_from_db()
    assert stored.last_used_at > first


def test_usage_endpoint_reports_quota_and_headers(bearer_client):
    response = bearer_client.get(USAGE_URL)
    body = response.json()
    assert body == {
        "plan": "pro",
        "limit": 1000,
        "used": 0,
        "remaining": 1000,
        "reset_at": body["reset_at"],
    }
    assert body["reset_at"].endswith("T00:00:00Z")
    assert response["X-RateLimit-Limit"] == "1000"
    assert response["X-RateLimit-Remaining"] == "1000"


def test_one_organizations_key_sees_only_its_own_usage(api_client, other_organization, api_key):
    from billing.quota import quota_reserve
    from billing.services import plan_grant

    plan_grant(organization=other_organization, plan="practice")
    quota_reserve(organization=other_organization)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    body = api_client.get(USAGE_URL).json()
    assert body["used"] == 0
    assert body["plan"] == "pro"


def test_unknown_method_is_405_json(bearer_client):
    response = bearer_client.delete(USAGE_URL)
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json()["error"] == "method_not_allowed"


def test_api_key_header_is_case_insensitive_on_scheme(api_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"bearer {api_key}")
    assert client.get(USAGE_URL).status_code == HTTPStatus.OK
