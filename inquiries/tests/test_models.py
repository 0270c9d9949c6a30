"""Inquiry storage: encrypted identifiers at rest, the status constraint in the database."""

import pytest
from cryptography.fernet import Fernet
from django.db import IntegrityError, connection, transaction

from inquiries.checks import check_inquiry_provider
from inquiries.models import Inquiry

pytestmark = pytest.mark.django_db

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def _raw_row(inquiry, *columns):
    table = Inquiry._meta.db_table
    key = inquiry.pk.hex if connection.vendor == "sqlite" else inquiry.pk
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [key])  # noqa: S608
        return cursor.fetchone()


def test_model_fields_store_ciphertext_and_read_plain_text(settings, make_inquiry):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    inquiry = make_inquiry(patient_name="Alex Martin", member_id="W123456789")

    raw = _raw_row(inquiry, "patient_name", "member_id", "dob", "diagnosis_codes")
    assert all(value.startswith("gAAAAA") for value in raw)  # Fernet tokens
    assert "Alex" not in " ".join(raw)
    assert "W123456789" not in " ".join(raw)

    # Rotation: a new first key, the old one kept; existing rows still read.
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    fresh = Inquiry.objects.get(pk=inquiry.pk)
    assert fresh.patient_name == "Alex Martin"
    assert fresh.member_id == "W123456789"
    assert fresh.diagnosis_codes == ["F41.1", "F42.2"]
    assert fresh.date_of_birth.isoformat() == "2020-01-31"


def test_json_field_round_trips_nested_values(settings, make_inquiry):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    inquiry = make_inquiry()
    results = {"maximums": {"individual_deductible": "100"}, "procedure_codes": [{"a": None}]}
    Inquiry.objects.filter(pk=inquiry.pk).update(results=results)
    assert Inquiry.objects.get(pk=inquiry.pk).results == results


def test_status_outside_the_list_is_refused_by_the_database(make_inquiry):
    inquiry = make_inquiry()
    with pytest.raises(IntegrityError), transaction.atomic():
        Inquiry.objects.filter(pk=inquiry.pk).update(status="DONE")


@pytest.mark.parametrize(
    ("overrides", "ids"),
    [
        ({"INQUIRY_PROVIDER": "sandbox"}, []),
        ({"INQUIRY_PROVIDER": "carrier-pigeon"}, ["inquiries.E001"]),
        (
            {"INQUIRY_PROVIDER": "healthharbor", "HEALTHHARBOR_USERNAME": ""},
            ["inquiries.E002", "inquiries.W001"],
        ),
        (
            {
                "INQUIRY_PROVIDER": "healthharbor",
                "HEALTHHARBOR_USERNAME": "u",
                "HEALTHHARBOR_PASSWORD": "p",
                "HEALTHHARBOR_WEBHOOK_SECRET": "s",
            },
            [],
        ),
        ({"INQUIRY_PROVIDER": "x12", "X12_ENDPOINT_URL": ""}, ["inquiries.E003"]),
    ],
)
def test_provider_configuration_is_checked_at_startup(settings, overrides, ids):
    for name, value in overrides.items():
        setattr(settings, name, value)
    assert [message.id for message in check_inquiry_provider()] == ids
