from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.api_keys import parse_prefix
from accounts.models import ApiKey, Organization, User
from accounts.tests.factories import UserFactory
from billing.models import PlanChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = User.objects.create_superuser(email="ops@claimlens.test", password="x")
    client.force_login(staff)
    client.staff = staff
    return client


def test_admin_bulk_revoke_records_the_revoker(staff_client, pro_organization, make_api_key):
    keys = [make_api_key(pro_organization, name=f"k{i}") for i in range(3)]
    chosen = ApiKey.objects.filter(prefix__in=[parse_prefix(k) for k in keys[:2]])
    response = staff_client.post(
        "/admin/accounts/apikey/",
        {"action": "revoke_selected", "_selected_action": [k.pk for k in chosen]},
    )
    assert response.status_code == HTTPStatus.FOUND
    revoked = ApiKey.objects.filter(revoked_at__isnull=False)
    assert set(revoked.values_list("pk", flat=True)) == {k.pk for k in chosen}
    assert all(k.revoked_by == staff_client.staff for k in revoked)
    assert ApiKey.objects.get(prefix=parse_prefix(keys[2])).is_active


def test_admin_key_list_shows_prefix_and_status(staff_client, pro_organization, make_api_key):
    key = make_api_key(pro_organization, name="Listed key")
    response = staff_client.get("/admin/accounts/apikey/")
    assert response.status_code == HTTPStatus.OK
    assert f"cl_live_{parse_prefix(key)}".encode() in response.content
    assert b"active" in response.content
    assert key.encode() not in response.content


def test_admin_grant_plan_action_records_history(staff_client, organization):
    staff_client.post(
        "/admin/accounts/organization/",
        {"action": "grant_practice", "_selected_action": [organization.pk]},
    )
    organization.refresh_from_db()
    assert organization.plan == "practice"
    change = PlanChange.objects.get(organization=organization, to_plan="practice")
    assert change.source == "manual"
    assert change.changed_by == staff_client.staff


def test_create_api_key_creates_user_org_plan_and_prints_key_last(client):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_key",
        "--email",
        "Bench@Example.org",
        "--plan",
        "practice",
        stdout=out,
        stderr=err,
    )
    key = out.getvalue().strip().splitlines()[-1]
    assert key.startswith("cl_live_")
    user = User.objects.get(email="bench@example.org")
    organization = user.memberships.get().organization
    assert organization.plan == "practice"
    assert PlanChange.objects.filter(organization=organization, source="manual").exists()
    response = client.get("/api/v1/usage", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.json()["limit"] == 5000


def test_create_api_key_reuses_existing_user_and_organization():
    existing = UserFactory(email="known@example.org")
    out = StringIO()
    call_command(
        "create_api_key",
        "--email",
        "known@example.org",
        "--plan",
        "pro",
        stdout=out,
        stderr=StringIO(),
    )
    assert Organization.objects.filter(memberships__user=existing).count() == 1
    assert ApiKey.objects.filter(organization__memberships__user=existing).count() == 1


def test_demo_setup_prints_a_working_login_and_key(client):
    out = StringIO()
    call_command("demo_setup", stdout=out)
    text = out.getvalue()
    key = next(word for word in text.split() if word.startswith("cl_live_"))
    assert client.get("/api/v1/usage", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.login(email="demo@claimlens.local", password="claimlens-demo")
    call_command("demo_setup", stdout=StringIO())  # running it twice is fine
    assert User.objects.filter(email="demo@claimlens.local").count() == 1
