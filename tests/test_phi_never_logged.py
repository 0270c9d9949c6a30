"""No log line ever carries patient data: every path a note takes, with logging at DEBUG."""

import logging

import pytest

from extraction.tests.fake_anthropic import tool_reply

pytestmark = pytest.mark.django_db

IDENTIFIERS = [
    "Rosalind Featherstonehaugh",
    "Featherstonehaugh",
    "04/17/1961",
    "(617) 555-0199",
    "r.feather@example.net",
    "MRN 88317702",
    "88317702",
    "123-45-6789",
    "42 Quillfeather Lane",
]
NOTE = (
    "Patient: Rosalind Featherstonehaugh, DOB 04/17/1961, MRN 88317702, SSN 123-45-6789.\n"
    "Lives at 42 Quillfeather Lane, Boston MA 02118. Phone (617) 555-0199, "
    "e-mail r.feather@example.net.\n"
    "A/P: Essential hypertension, BP 148/92, increase lisinopril to 20 mg daily.\n"
    "Total time spent 32 minutes."
)


@pytest.fixture
def everything_logged(caplog, settings):
    settings.DEBUG = True  # Django logs every SQL statement with its parameters only in DEBUG
    caplog.set_level(logging.DEBUG)  # root and Django at DEBUG; library loggers as configured
    logging.getLogger("django.db.backends").setLevel(logging.DEBUG)
    yield caplog
    records = caplog.get_records("call")  # in teardown, caplog.records is teardown's own
    assert records, "logging was not captured"
    for record in records:
        text = record.getMessage() + (str(record.exc_info) if record.exc_info else "")
        for identifier in IDENTIFIERS:
            assert identifier not in text, f"{identifier!r} logged by {record.name}"


@pytest.mark.parametrize("phi_scrub", [True, False])
def test_rules_engine_extraction(everything_logged, bearer_client, phi_scrub):
    response = bearer_client.post(
        "/api/v1/extract", {"note": NOTE, "phi_scrub": phi_scrub}, format="json"
    )
    assert response.status_code == 200
    assert any(r.name == "django.db.backends" for r in everything_logged.records)


@pytest.mark.parametrize("phi_scrub", [True, False])
def test_claude_engine_extraction_and_its_failures(
    everything_logged, bearer_client, fake_anthropic, phi_scrub
):
    answer = {"em_codes": [{"code": "99214", "justification": NOTE, "evidence": NOTE[:40]}]}
    fake_anthropic.script(tool_reply(answer))
    body = {"note": NOTE, "phi_scrub": phi_scrub}
    assert bearer_client.post("/api/v1/extract", body, format="json").status_code == 200
    fake_anthropic.script(tool_reply({"em_codes": [{"code": "", "justification": NOTE}]}))
    assert bearer_client.post("/api/v1/extract", body, format="json").status_code == 502


def test_unexpected_error_with_patient_data_in_its_message(
    everything_logged, bearer_client, monkeypatch
):
    def explode(**kwargs):
        raise ValueError(f"could not code {NOTE}")

    monkeypatch.setattr(
        "extraction.engines.rules.RulesEngine.extract", lambda self, **kw: explode()
    )
    response = bearer_client.post("/api/v1/extract", {"note": NOTE}, format="json")
    assert response.status_code == 500


def test_scrub_endpoint_and_web_workspace(everything_logged, bearer_client, client, user):
    assert bearer_client.post("/api/v1/scrub", {"note": NOTE}, format="json").status_code == 200
    client.force_login(user)
    assert (
        client.post(
            "/extract/",
            {
                "note": NOTE,
                "payer": "medicare",
                "patient_type": "established",
                "visit_type": "office",
                "specialty": "family_medicine",
                "phi_scrub": "on",
            },
        ).status_code
        == 200
    )
    assert client.post("/extract/", {"note": NOTE + "x" * 50_001}).status_code == 200
