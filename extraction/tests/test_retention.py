"""Scheduled job: stored notes are purged after the organization's retention period."""

import pytest
from django.utils import timezone

from extraction.models import Extraction
from extraction.services import extraction_purge_expired_notes

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(bearer_client):
    def make(days_ago: int) -> Extraction:
        response = bearer_client.post(
            "/api/v1/extract", {"note": "Total time spent 25 minutes."}, format="json"
        )
        extraction = Extraction.objects.get(public_id=response.json()["meta"]["request_id"])
        Extraction.objects.filter(pk=extraction.pk).update(
            created_at=timezone.now() - timezone.timedelta(days=days_ago)
        )
        return extraction

    return make


def test_notes_past_retention_are_purged_and_results_kept(stored, pro_organization):
    pro_organization.note_retention_days = 7
    pro_organization.save(update_fields=["note_retention_days"])
    old, recent = stored(8), stored(6)

    assert extraction_purge_expired_notes() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.scrubbed_note == ""
    assert old.note_purged_at is not None
    assert old.result["em_codes"][0]["code"] == "99213"
    assert "25 minutes" in recent.scrubbed_note
    assert extraction_purge_expired_notes() == 0


def test_each_organization_keeps_its_own_period(stored, pro_organization, other_organization):
    other_organization.note_retention_days = 1
    other_organization.save(update_fields=["note_retention_days"])
    mine = stored(10)  # 30-day default
    extraction_purge_expired_notes()
    mine.refresh_from_db()
    assert mine.note_purged_at is None
