import pytest

from extraction.engines import _build
from extraction.tests.fake_anthropic import FakeAnthropic


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


@pytest.fixture
def extract(bearer_client):
    """POST a note to /api/v1/extract with optional parameters."""

    def post(note="CC: follow-up. Total time spent 32 minutes.", **fields):
        return bearer_client.post("/api/v1/extract", {"note": note, **fields}, format="json")

    return post
