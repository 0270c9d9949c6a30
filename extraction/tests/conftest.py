import pytest


@pytest.fixture
def extract(bearer_client):
    """POST a note to /api/v1/extract with optional parameters."""

    def post(note="CC: follow-up. Total time spent 32 minutes.", **fields):
        return bearer_client.post("/api/v1/extract", {"note": note, **fields}, format="json")

    return post
