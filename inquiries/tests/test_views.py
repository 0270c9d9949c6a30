"""The inquiry pages: list, create (prefilled from the extraction UI), detail, queue, settings."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Membership, Role
from accounts.tests.factories import UserFactory
from inquiries.models import CallbackDelivery, Inquiry, InquirySettings, Status
from inquiries.services import inquiry_transition

pytestmark = pytest.mark.django_db

FORM = {
    "patient_name": "Alex Martin",
    "dob": "2020-01-31",
    "insurance": "cigna",
    "member_id": "123456789",
    "group_id": "123456",
    "line": "mental_health",
    "benefits_query": ["CODE_LOOKUP_BENEFITS", "PLAN_INFO"],
    "benefits_codes": "90832, 90834",
    "diagnosis_codes": "F41.1",
    "npi": "1245319599",
    "tax_id": "123456789",
    "insurance_in_network": "",
    "is_specialist": "true",
    "place_of_service": "office",
    "desired_completion_date": "2030-08-19",
    "external_id": "front-desk",
}


@pytest.fixture
def member_client(client, pro_organization):
    member = UserFactory()
    Membership.objects.create(user=member, organization=pro_organization, role=Role.MEMBER)
    member.memberships.exclude(organization=pro_organization).delete()
    client.force_login(member)
    return client


def test_pages_need_a_login(client):
    response = client.get(reverse("inquiries:list"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]


def test_new_form_is_prefilled_from_the_query_string(owner_client):
    response = owner_client.get("/inquiries/new/?cpt=99214,G2211&icd10=E11.65,I10")
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert 'value="99214, G2211"' in page
    assert 'value="E11.65, I10"' in page


def test_create_from_the_form_runs_and_shows_the_answer(
    owner_client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("inquiries:create"), FORM)
    inquiry = Inquiry.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("inquiries:detail", args=[inquiry.pk])
    assert inquiry.created_by == user
    assert inquiry.insurance == "CIGNA"
    assert inquiry.benefits_query == ["CODE_LOOKUP_BENEFITS", "PLAN_INFO"]
    assert inquiry.status == "SUCCESS"

    page = owner_client.get(response["Location"]).content.decode()
    assert "badge-status-success" in page
    assert "$20.00" in page  # sandbox copay
    assert "90834" in page
    event = AuditEvent.objects.get(action="inquiry.viewed")
    assert event.actor == user
    assert event.detail == {"via": "web"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("npi", "1245319598", "check digit"),
        ("diagnosis_codes", "F42.23", "Not an ICD-10-CM code: F42.23"),
        ("benefits_codes", "123", "Not a CPT"),
        ("benefits_codes", "", "benefits_codes is required"),
    ],
)
def test_create_form_shows_errors(owner_client, field, value, message):
    response = owner_client.post(reverse("inquiries:create"), {**FORM, field: value})
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not Inquiry.objects.exists()


def test_list_shows_only_this_organizations_inquiries_and_filters(
    owner_client, make_inquiry, other_organization
):
    mine = make_inquiry(patient_name="Mine Patient")
    make_inquiry(other_organization, patient_name="Their Patient")
    inquiry_transition(inquiry=mine, to_status=Status.CANCELLED, source="test")
    make_inquiry(patient_name="Open Patient")

    page = owner_client.get(reverse("inquiries:list")).content.decode()
    assert "Mine Patient" in page
    assert "Open Patient" in page
    assert "Their Patient" not in page
    assert "badge-status-cancelled" in page

    filtered = owner_client.get(reverse("inquiries:list"), {"status": "PENDING"}).content.decode()
    assert "Open Patient" in filtered
    assert "Mine Patient" not in filtered


def test_another_organizations_detail_is_404(owner_client, make_inquiry, other_organization):
    theirs = make_inquiry(other_organization)
    assert owner_client.get(reverse("inquiries:detail", args=[theirs.pk])).status_code == 404
    assert owner_client.post(reverse("inquiries:cancel", args=[theirs.pk])).status_code == 404


def test_cancel_from_the_page(owner_client, make_inquiry):
    inquiry = make_inquiry()
    owner_client.post(reverse("inquiries:cancel", args=[inquiry.pk]))
    inquiry.refresh_from_db()
    assert inquiry.status == "CANCELLED"
    response = owner_client.post(reverse("inquiries:cancel", args=[inquiry.pk]), follow=True)
    assert "cannot become CANCELLED" in response.content.decode()


def test_members_cannot_open_the_work_queue_or_settings(member_client):
    assert member_client.get(reverse("inquiries:queue")).status_code == HTTPStatus.FORBIDDEN
    assert member_client.get(reverse("inquiries:settings")).status_code == HTTPStatus.FORBIDDEN


@pytest.fixture
def manual_inquiry(make_inquiry, settings):
    settings.INQUIRY_PROVIDER = "manual"
    return make_inquiry(run_tasks=True, benefits_codes=["90832", "90834"])


def complete_form(codes):
    data = {
        "action": "complete",
        "call-representative_name": "Deborah M",
        "call-reference_number": "2812129",
        "plan-is_active": "true",
        "plan-plan_type": "PPO",
        "plan-effective_date": "2020-10-01",
        "plan-termination_date": "",
        "plan-is_calendar_year_plan": "true",
        "plan-is_provider_in_network": "true",
        "plan-is_primary_insurance": "",
        "max-individual_deductible": "100",
        "max-individual_deductible_used": "80",
        "code-TOTAL_FORMS": str(len(codes)),
        "code-INITIAL_FORMS": str(len(codes)),
    }
    for index, code in enumerate(codes):
        data.update(
            {
                f"code-{index}-procedure_code": code,
                f"code-{index}-procedure_name": "Psychotherapy",
                f"code-{index}-is_covered": "true",
                f"code-{index}-is_prior_auth_required": "false",
                f"code-{index}-copay_amount": "20.00",
                f"code-{index}-coinsurance_percentage": "20",
            }
        )
    return data


def test_staff_claim_record_and_complete_a_manual_inquiry(owner_client, user, manual_inquiry):
    queue = owner_client.get(reverse("inquiries:queue")).content.decode()
    assert "Alex Martin" in queue

    work_url = reverse("inquiries:work", args=[manual_inquiry.pk])
    owner_client.post(work_url, {"action": "claim"})
    manual_inquiry.refresh_from_db()
    assert (manual_inquiry.status, manual_inquiry.claimed_by) == ("IN_PROGRESS", user)

    page = owner_client.get(work_url).content.decode()
    assert "Complete inquiry" in page
    bad = owner_client.post(
        work_url, {**complete_form(["90832", "90834"]), "max-family_deductible": "lots"}
    )
    assert bad.status_code == HTTPStatus.OK
    assert "Digits only" in bad.content.decode()

    response = owner_client.post(work_url, complete_form(["90832", "90834"]))
    assert response.status_code == HTTPStatus.FOUND
    manual_inquiry.refresh_from_db()
    assert manual_inquiry.status == "SUCCESS"
    results = manual_inquiry.results
    assert results["call_details"]["representative_name"] == "Deborah M"
    assert results["plan_information"]["effective_date"] == "10-01-2020"
    assert results["plan_information"]["is_primary_insurance"] is None
    assert results["maximums"]["individual_deductible_used"] == "80"
    assert results["maximums"]["family_deductible"] is None
    assert [c["procedure_code"] for c in results["procedure_codes"]] == ["90832", "90834"]
    assert results["procedure_codes"][0]["is_prior_auth_required"] is False
    assert list(manual_inquiry.transitions.values_list("to_status", "actor")) == [
        ("IN_PROGRESS", user.pk),
        ("SUCCESS", user.pk),
    ]


def test_staff_release_and_report_unreachable(owner_client, manual_inquiry):
    work_url = reverse("inquiries:work", args=[manual_inquiry.pk])
    owner_client.post(work_url, {"action": "claim"})
    owner_client.post(work_url, {"action": "release"})
    manual_inquiry.refresh_from_db()
    assert (manual_inquiry.status, manual_inquiry.claimed_by) == ("PENDING", None)

    owner_client.post(work_url, {"action": "claim"})
    owner_client.post(work_url, {"action": "unreachable", "summary": "On hold for an hour."})
    manual_inquiry.refresh_from_db()
    assert (manual_inquiry.status, manual_inquiry.summary) == ("FAILED", "On hold for an hour.")


def test_callback_settings_page(owner_client, pro_organization, make_inquiry):
    url = reverse("inquiries:settings")
    owner_client.post(url, {"action": "save", "callback_url": "https://example.org/hook"})
    row = InquirySettings.objects.get(organization=pro_organization)
    assert row.callback_url == "https://example.org/hook"
    first_secret = row.callback_secret
    assert first_secret in owner_client.get(url).content.decode()

    owner_client.post(url, {"action": "rotate"})
    row.refresh_from_db()
    assert row.callback_secret != first_secret

    CallbackDelivery.objects.create(
        inquiry=make_inquiry(), event_id="evt_1", url=row.callback_url, attempt=1, status_code=500
    )
    assert "evt_1" in owner_client.get(url).content.decode()
    response = owner_client.post(url, {"action": "save", "callback_url": "not a url"})
    assert "Enter a valid URL" in response.content.decode()


def test_admin_pages_load_without_patient_data(client, make_inquiry, pro_organization):
    admin = UserFactory()
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    inquiry = make_inquiry(run_tasks=True)
    InquirySettings.objects.create(organization=pro_organization)
    for url in (
        "/admin/inquiries/inquiry/",
        f"/admin/inquiries/inquiry/{inquiry.pk}/change/",
        "/admin/inquiries/inquirysettings/",
        "/admin/inquiries/callbackdelivery/",
    ):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert "Alex Martin" not in response.content.decode(), url
