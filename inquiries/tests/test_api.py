"""The inquiry API through HTTP: shapes from the contract, validation, auth, tenancy."""

import re
from http import HTTPStatus

import pytest

from accounts.models import AuditEvent
from billing.plans import Plan
from billing.services import plan_grant
from conftest import basic_auth_header
from inquiries.models import Inquiry, Status
from inquiries.services import inquiry_transition
from inquiries.tests.conftest import SAMPLE_REQUEST

pytestmark = pytest.mark.django_db

URL = "/api/v1/inquiries"

# The contract's sample response (shared/seeds/benefits-inquiry-api.txt), values as printed.
SAMPLE_RESULTS = {
    "call_details": {
        "call_end_time": "2024-03-01T06:00:00.0000Z",
        "representative_name": "Deborah M",
        "reference_number": "2812129",
    },
    "plan_information": {
        "is_active": True,
        "plan_type": "PPO",
        "effective_date": "10-01-2020",
        "termination_date": "10-31-2021",
        "is_calendar_year_plan": True,
        "is_provider_in_network": True,
        "is_primary_insurance": True,
    },
    "maximums": {
        "individual_deductible": "100",
        "individual_deductible_used": "80",
        "individual_out_of_pocket_maximum": "1000",
        "individual_out_of_pocket_maximum_used": "800",
        "family_deductible": "200",
        "family_deductible_used": "100",
        "family_out_of_pocket_maximum": "2000",
        "family_out_of_pocket_maximum_used": "1000",
    },
    "procedure_classes": {},
    "procedure_codes": [
        {
            "procedure_code": "90832",
            "procedure_name": "Psychotherapy",
            "is_covered": True,
            "is_prior_auth_required": True,
            "prior_auth_info": "Call Cigna at 1-800-997-1654",
            "is_deductible_waived": False,
            "copay_amount": "20.00",
            "coinsurance_percentage": "20",
            "frequency_limitations": "Two visits per week",
            "more_info": "Diagnosis of medium to severe COPD is required for coverage.",
        }
    ],
}
CREATION_TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")


def create(client, payload, url=URL):
    return client.post(url, payload, format="json")


def test_create_returns_201_with_inquiry_id(bearer_client, create_payload):
    response = create(bearer_client, create_payload)
    assert response.status_code == HTTPStatus.CREATED
    body = response.json()
    assert list(body) == ["inquiry_id"]
    assert Inquiry.objects.filter(pk=body["inquiry_id"]).exists()


def test_http_basic_with_the_key_as_user_name_is_accepted(api_client, api_key, create_payload):
    api_client.credentials(HTTP_AUTHORIZATION=basic_auth_header(api_key))
    response = create(api_client, create_payload)
    assert response.status_code == HTTPStatus.CREATED
    inquiry_id = response.json()["inquiry_id"]
    assert api_client.get(f"{URL}/{inquiry_id}").status_code == HTTPStatus.OK


def test_missing_key_is_401(api_client, create_payload):
    response = create(api_client, create_payload)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["error"] == "invalid_api_key"


def test_free_plan_key_gets_403(api_client, organization, make_api_key, create_payload):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_api_key(organization)}")
    for response in (create(api_client, create_payload), api_client.get(URL)):
        assert response.status_code == HTTPStatus.FORBIDDEN
        assert response.json()["error"] == "plan_required"


def test_retrieve_matches_the_contract_sample_field_by_field(
    bearer_client, create_payload, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        inquiry_id = create(bearer_client, create_payload).json()["inquiry_id"]
    inquiry = Inquiry.objects.get(pk=inquiry_id)
    inquiry_transition(
        inquiry=inquiry,
        to_status=Status.SUCCESS,
        source="test",
        summary="Benefits retrieved successfully.",
        results=SAMPLE_RESULTS,
    )

    body = bearer_client.get(f"{URL}/{inquiry_id}").json()

    assert list(body) == ["id", "status", "creation_ts", "summary", "results", "request"]
    assert body["id"] == inquiry_id
    assert body["status"] == "SUCCESS"
    assert CREATION_TS.match(body["creation_ts"])
    assert body["summary"] == "Benefits retrieved successfully."
    for section, expected in SAMPLE_RESULTS.items():
        assert body["results"][section] == expected, section
    assert list(body["results"]) == list(SAMPLE_RESULTS)
    for field, expected in SAMPLE_REQUEST.items():
        assert body["request"][field] == expected, field
    # Beyond the sample's request keys, the echo carries the query that was asked.
    assert set(body["request"]) - set(SAMPLE_REQUEST) == {"benefits_query", "benefits_codes"}
    assert body["request"]["benefits_query"] == "CODE_LOOKUP_BENEFITS"
    assert body["request"]["benefits_codes"] == ["90832"]


def test_results_are_null_until_success(bearer_client, create_payload):
    create_payload["member_id"] = "CLTEST0005"  # sandbox: payer unreachable, stays pending
    inquiry_id = create(bearer_client, create_payload).json()["inquiry_id"]
    body = bearer_client.get(f"{URL}/{inquiry_id}").json()
    assert body["status"] == "PENDING"
    assert body["results"] is None


def test_benefits_query_may_be_a_list(bearer_client, create_payload):
    create_payload["benefits_query"] = ["PLAN_INFO", "MAXIMUMS", "NETWORK_STATUS"]
    create_payload["benefits_codes"] = []
    response = create(bearer_client, create_payload)
    assert response.status_code == HTTPStatus.CREATED
    body = bearer_client.get(f"{URL}/{response.json()['inquiry_id']}").json()
    assert body["request"]["benefits_query"] == ["PLAN_INFO", "MAXIMUMS", "NETWORK_STATUS"]


def test_codes_are_normalised(bearer_client, create_payload):
    create_payload["diagnosis_codes"] = ["f411", "E11.65"]
    create_payload["benefits_codes"] = ["99214", "g2211"]
    inquiry_id = create(bearer_client, create_payload).json()["inquiry_id"]
    request = bearer_client.get(f"{URL}/{inquiry_id}").json()["request"]
    assert request["diagnosis_codes"] == ["F41.1", "E11.65"]
    assert request["benefits_codes"] == ["99214", "G2211"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("npi", "1245319598", "check digit"),
        ("npi", "12345", "10 digits"),
        ("diagnosis_codes", ["F41.1", "X99.999"], "X99.999"),
        ("benefits_codes", ["9083", "D1110", "ABCDE"], "9083, ABCDE"),
        ("dob", "2020-01-31", "MM-DD-YYYY"),
        ("dob", "01-31-2999", "future"),
        ("tax_id", "12-3456789", "9 digits"),
        ("benefits_query", "EVERYTHING", "Unknown benefits_query"),
        ("benefits_query", 7, "string or a list"),
        ("insurance", "cigna!", "upper-case"),
        ("insurance_in_network", "perhaps", "boolean"),
    ],
)
def test_invalid_fields_are_named(bearer_client, create_payload, field, value, message):
    create_payload[field] = value
    response = create(bearer_client, create_payload)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert body["message"].startswith(f"{field}:")
    assert message in body["message"]
    assert not Inquiry.objects.exists()


def test_contract_sample_diagnosis_f42_23_is_refused(bearer_client, create_payload):
    create_payload["diagnosis_codes"] = ["F41.1", "F42.23"]
    response = create(bearer_client, create_payload)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "F42.23" in response.json()["message"]


@pytest.mark.parametrize(
    "field", ["patient_name", "dob", "member_id", "insurance", "npi", "benefits_query"]
)
def test_required_fields(bearer_client, create_payload, field):
    del create_payload[field]
    response = create(bearer_client, create_payload)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"{field}: This field is required." in response.json()["message"]


def test_every_bad_field_is_named_at_once(bearer_client, create_payload):
    create_payload.update(npi="1", dob="yesterday")
    message = create(bearer_client, create_payload).json()["message"]
    assert "npi:" in message
    assert "dob:" in message


def test_code_lookup_needs_codes(bearer_client, create_payload):
    create_payload["benefits_codes"] = []
    response = create(bearer_client, create_payload)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "benefits_codes is required" in response.json()["message"]


def test_another_organizations_inquiry_is_404(
    api_client, other_organization, make_api_key, make_inquiry
):
    inquiry = make_inquiry()
    plan_grant(organization=other_organization, plan=Plan.PRO)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_api_key(other_organization)}")
    for response in (
        api_client.get(f"{URL}/{inquiry.pk}"),
        api_client.post(f"{URL}/{inquiry.pk}/cancel"),
        api_client.get(f"/api/v0/mental_health/inquiries/{inquiry.pk}"),
    ):
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert response.json() == {"error": "not_found", "message": "Not found."}
    assert api_client.get(URL).json()["count"] == 0


@pytest.mark.parametrize("inquiry_id", ["nope", "00000000-0000-0000-0000-000000000000"])
def test_unknown_or_malformed_id_is_404(bearer_client, inquiry_id):
    response = bearer_client.get(f"{URL}/{inquiry_id}")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["error"] == "not_found"


def test_retrieve_is_audited_without_patient_data(bearer_client, make_inquiry):
    inquiry = make_inquiry()
    bearer_client.get(f"{URL}/{inquiry.pk}")
    event = AuditEvent.objects.get(action="inquiry.viewed")
    assert event.target_id == str(inquiry.pk)
    assert event.detail["via"] == "api"
    assert "Alex" not in str(event.detail)


def test_list_filters_and_pages(bearer_client, make_inquiry, django_assert_max_num_queries):
    first = make_inquiry(external_id="clinic_a")
    second = make_inquiry(external_id="clinic_b")
    third = make_inquiry(external_id="clinic_b")
    inquiry_transition(inquiry=third, to_status=Status.CANCELLED, source="test")

    with django_assert_max_num_queries(8):
        body = bearer_client.get(URL).json()
    assert body["count"] == 3
    assert [item["id"] for item in body["results"]] == [
        str(third.pk),
        str(second.pk),
        str(first.pk),
    ]
    assert list(body["results"][0]) == [
        "id",
        "status",
        "creation_ts",
        "summary",
        "results",
        "request",
    ]

    by_external = bearer_client.get(URL, {"external_id": "clinic_b"}).json()
    assert {item["id"] for item in by_external["results"]} == {str(second.pk), str(third.pk)}
    by_status = bearer_client.get(URL, {"status": "PENDING,SCHEDULED"}).json()
    assert {item["id"] for item in by_status["results"]} == {str(first.pk), str(second.pk)}
    page = bearer_client.get(URL, {"limit": 1, "offset": 1}).json()
    assert [item["id"] for item in page["results"]] == [str(second.pk)]
    assert page["next"]
    assert page["previous"]


def test_list_created_range_is_inclusive_days(bearer_client, make_inquiry):
    old = make_inquiry()
    Inquiry.objects.filter(pk=old.pk).update(created_at="2024-01-15T23:59:00Z")
    new = make_inquiry()
    Inquiry.objects.filter(pk=new.pk).update(created_at="2024-02-01T00:00:00Z")
    ids = lambda params: [i["id"] for i in bearer_client.get(URL, params).json()["results"]]  # noqa: E731
    assert ids({"created_from": "01-15-2024", "created_to": "01-15-2024"}) == [str(old.pk)]
    assert ids({"created_from": "01-16-2024"}) == [str(new.pk)]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"status": "DONE"}, "status"), ({"created_from": "2024-01-01"}, "created_from")],
)
def test_bad_list_filters_are_400(bearer_client, params, field):
    response = bearer_client.get(URL, params)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["message"].startswith(f"{field}:")


def test_cancel_then_cancel_again_is_409(bearer_client, make_inquiry):
    inquiry = make_inquiry()
    response = bearer_client.post(f"{URL}/{inquiry.pk}/cancel")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "CANCELLED"

    again = bearer_client.post(f"{URL}/{inquiry.pk}/cancel")
    assert again.status_code == HTTPStatus.CONFLICT
    assert again.json()["error"] == "invalid_transition"
    assert "CANCELLED" in again.json()["message"]


def test_compat_v0_create_list_and_retrieve(api_client, api_key, create_payload):
    api_client.credentials(HTTP_AUTHORIZATION=basic_auth_header(api_key))
    created = api_client.post("/api/v0/dental/inquiries", create_payload, format="json")
    assert created.status_code == HTTPStatus.OK
    inquiry_id = created.json()["inquiry_id"]
    assert Inquiry.objects.get(pk=inquiry_id).line == "dental"

    listed = api_client.get("/api/v0/dental/inquiries").json()
    assert isinstance(listed, list)
    assert [item["id"] for item in listed] == [inquiry_id]
    assert api_client.get("/api/v0/medical/inquiries").json() == []

    detail = api_client.get(f"/api/v0/dental/inquiries/{inquiry_id}")
    assert detail.status_code == HTTPStatus.OK
    assert list(detail.json()) == ["id", "status", "creation_ts", "summary", "results", "request"]
    assert api_client.get(f"/api/v0/medical/inquiries/{inquiry_id}").status_code == 404


def test_compat_v0_rejects_unknown_line(api_client, api_key, create_payload):
    api_client.credentials(HTTP_AUTHORIZATION=basic_auth_header(api_key))
    assert api_client.get("/api/v0/vision/inquiries").status_code == HTTPStatus.NOT_FOUND


def test_dental_queries_are_checked_against_the_dental_list(bearer_client, create_payload):
    create_payload.update(line="dental", benefits_query="PSYCHOTHERAPY")
    response = create(bearer_client, create_payload)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Unknown benefits_query for dental" in response.json()["message"]


def test_put_on_the_collection_is_405_json(bearer_client):
    response = bearer_client.put(URL, {}, format="json")
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json()["error"] == "method_not_allowed"
