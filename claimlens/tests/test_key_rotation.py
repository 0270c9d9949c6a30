"""Encryption keys rotate without losing stored data."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection

from extraction.models import Extraction

pytestmark = pytest.mark.django_db


def _raw_note(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT scrubbed_note FROM extraction_extraction WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_rotation_rewrites_rows_under_the_new_key(bearer_client, settings):
    old_key, new_key = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    response = bearer_client.post(
        "/api/v1/extract", {"note": "Total time spent 25 minutes."}, format="json"
    )
    extraction = Extraction.objects.get(public_id=response.json()["meta"]["request_id"])
    before = _raw_note(extraction.pk)

    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]  # new first, old still readable
    extraction.refresh_from_db()
    assert "25 minutes" in extraction.scrubbed_note
    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "extraction.Extraction: 1 row(s)" in out.getvalue()
    assert _raw_note(extraction.pk) != before

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    extraction.refresh_from_db()
    assert "25 minutes" in extraction.scrubbed_note
    assert extraction.result["em_codes"][0]["code"] == "99213"
    with pytest.raises(InvalidToken):
        Fernet(old_key.encode()).decrypt(_raw_note(extraction.pk).encode())
