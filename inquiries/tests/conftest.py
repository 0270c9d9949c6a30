"""Fixtures for inquiry tests: the contract's sample request, inquiries, a fake HTTP server."""

import copy
from datetime import datetime

import pytest

from inquiries import services
from inquiries.tests.fake_http import start_fake_server, stop_fake_server

# The contract's sample `request` (shared/seeds/benefits-inquiry-api.txt), with one change:
# its "F42.23" is not an ICD-10-CM code (F42.2 is), so ClaimLens refuses it
# (test_api.py::test_contract_sample_diagnosis_f42_23_is_refused).
SAMPLE_REQUEST = {
    "type": "BENEFITS",
    "desired_completion_date": "08-19-2024",
    "patient_name": "Alex Martin",
    "dob": "01-31-2020",
    "member_id": "123456789",
    "group_id": "123456",
    "insurance_in_network": True,
    "npi": "1245319599",
    "tax_id": "123456789",
    "external_id": "health_harbor_sf",
    "diagnosis_codes": ["F41.1", "F42.2"],
    "claims_date_of_service": "01-31-2020",
    "claim_number": "1234567890",
    "insurance": "CIGNA",
    "is_specialist": True,
    "place_of_service": "office",
}
SAMPLE_CREATE = {
    **SAMPLE_REQUEST,
    "benefits_query": "CODE_LOOKUP_BENEFITS",
    "benefits_codes": ["90832"],
}


@pytest.fixture
def create_payload() -> dict:
    return copy.deepcopy(SAMPLE_CREATE)


@pytest.fixture
def make_inquiry(pro_organization, django_capture_on_commit_callbacks):
    """Create an inquiry through the service; ``run_tasks`` runs fulfilment (eager Celery)."""

    def make(organization=None, *, run_tasks: bool = False, **overrides):
        with django_capture_on_commit_callbacks(execute=run_tasks):
            return services.inquiry_create(
                organization=organization or pro_organization,
                created_by=None,
                source="test",
                **service_kwargs(**overrides),
            )

    return make


def service_kwargs(**overrides) -> dict:
    """SAMPLE_CREATE as the service takes it: dates as dates, the line set."""
    values = {"line": "mental_health", **copy.deepcopy(SAMPLE_CREATE)}
    for name in ("desired_completion_date", "dob", "claims_date_of_service"):
        values[name] = datetime.strptime(values[name], "%m-%d-%Y").date()  # noqa: DTZ007
    values.update(overrides)
    return values


@pytest.fixture
def fake_server():
    server = start_fake_server()
    yield server
    stop_fake_server(server)


@pytest.fixture
def owner_client(owner_client, pro_organization):
    """The owner's session, on the Pro plan that inquiries need."""
    return owner_client
