"""The Claude engine through the real anthropic SDK, against a fake Messages API on loopback."""

from http import HTTPStatus

import pytest

from billing.quota import usage_snapshot
from extraction.engines.claude import SYSTEM_PROMPT
from extraction.engines.claude_schema import RESULT_SCHEMA, TOOL_NAME
from extraction.tests.fake_anthropic import FakeReply, error_reply, text_reply, tool_reply

pytestmark = pytest.mark.django_db

NOTE = "A: Type 2 diabetes with hyperglycemia, A1C 8.4%. Essential hypertension, BP 138/84."

VALID = {
    "em_codes": [
        {
            "code": "99214",
            "descriptor": "Office visit, established, moderate",
            "justification": "Two chronic illnesses, prescription drug management",
            "estimated_rvu": 2.3,
            "modifiers": [],
            "evidence": "A1C 8.4%",
        }
    ],
    "icd10_codes": [
        {
            "code": "E11.65",
            "descriptor": "model text",
            "justification": "A1C",
            "evidence": "A1C 8.4%",
        },
        {"code": "I10", "justification": "HTN", "evidence": "Essential hypertension"},
    ],
    "cpt_codes": [],
    "hcpcs_codes": [],
    "quality_codes": [],
    "optimization_tips": ["Document total time."],
    "denial_risks": [],
    "mdm": {"problems": "moderate", "data": "limited", "risk": "moderate", "level": "moderate"},
}


def test_valid_tool_call_becomes_the_result(extract, fake_anthropic, pro_organization):
    fake_anthropic.script(tool_reply(VALID, model="claude-sonnet-4-6"))
    response = extract(NOTE, payer="commercial")
    assert response.status_code == HTTPStatus.OK, response.json()
    body = response.json()
    assert body["meta"]["engine"] == "claude"
    assert body["meta"]["model"] == "claude-sonnet-4-6"
    assert [c["code"] for c in body["result"]["icd10_codes"]] == ["E11.65", "I10"]
    # Descriptors come from the official code set, not from the model.
    assert body["result"]["icd10_codes"][0]["descriptor"] == (
        "Type 2 diabetes mellitus with hyperglycemia"
    )
    assert usage_snapshot(organization=pro_organization).used == 1


def test_what_the_sdk_sends(extract, fake_anthropic):
    fake_anthropic.script(tool_reply(VALID))
    extract(NOTE, payer="medicaid", visit_type="telehealth")
    sent = fake_anthropic.requests[0]
    assert sent["path"] == "/v1/messages"
    headers = sent["headers"]
    assert "test-key" in (headers.get("x-api-key", ""), headers.get("authorization", "")[7:])
    body = sent["json"]
    assert body["model"] == "claude-sonnet-4-6"
    assert body["tool_choice"] == {"type": "tool", "name": TOOL_NAME}
    assert body["tools"][0]["name"] == TOOL_NAME
    assert body["tools"][0]["input_schema"] == RESULT_SCHEMA
    assert body["system"] == [
        {"type": "text", "text": SYSTEM_PROMPT, "cache_control": {"type": "ephemeral"}}
    ]
    user_text = body["messages"][0]["content"]
    assert "payer: medicaid" in user_text
    assert "visit_type: telehealth" in user_text
    assert NOTE in user_text


def test_scrubbed_note_is_what_the_model_sees(extract, fake_anthropic):
    fake_anthropic.script(tool_reply(VALID))
    extract("Patient email jane.roe@example.org. " + NOTE)
    assert "jane.roe@example.org" not in str(fake_anthropic.requests[0]["json"])


def test_invented_icd10_codes_are_removed_and_reported(extract, fake_anthropic):
    invented = {
        **VALID,
        "icd10_codes": [
            *VALID["icd10_codes"],
            {"code": "E11.99999", "justification": "x", "evidence": ""},
            {"code": "E11", "justification": "x", "evidence": ""},
        ],
    }
    fake_anthropic.script(tool_reply(invented))
    result = extract(NOTE).json()["result"]
    codes = {c["code"]: c for c in result["icd10_codes"]}
    assert "E11.99999" not in codes
    assert codes["E11"]["billing_tier"] == "non_billable"
    risks = {r["code"]: r for r in result["denial_risks"]}
    assert risks["E11.99999"]["risk_level"] == "High"
    assert "E11" in risks


def test_malformed_reply_gets_one_repair_turn(extract, fake_anthropic):
    broken = {**VALID, "em_codes": [{"code": "", "justification": 3}]}
    fake_anthropic.script(tool_reply(broken), tool_reply(VALID))
    response = extract(NOTE)
    assert response.status_code == HTTPStatus.OK
    assert len(fake_anthropic.requests) == 2
    repair = fake_anthropic.requests[1]["json"]["messages"]
    assert [m["role"] for m in repair] == ["user", "assistant", "user"]
    tool_result = repair[2]["content"][0]
    assert tool_result["type"] == "tool_result"
    assert tool_result["is_error"] is True
    assert "em_codes[0].code" in tool_result["content"]


@pytest.mark.parametrize(
    "bad_reply",
    [
        tool_reply(
            {**VALID, "denial_risks": [{"code": "X", "risk_level": "Severe", "reason": "r"}]}
        ),
        tool_reply("not an object"),
        text_reply("I think it is 99214."),
        tool_reply(VALID, name="other_tool"),
    ],
    ids=["bad-risk-level", "not-object", "text-only", "wrong-tool"],
)
def test_reply_still_invalid_after_repair_is_502_and_free(
    extract, fake_anthropic, pro_organization, bad_reply
):
    fake_anthropic.script(bad_reply)
    response = extract(NOTE)
    assert response.status_code == HTTPStatus.BAD_GATEWAY
    assert response.json()["error"] == "parse_error"
    assert len(fake_anthropic.requests) == 2
    assert usage_snapshot(organization=pro_organization).used == 0


def test_overloaded_model_is_503_with_retry_after_and_free(
    extract, fake_anthropic, pro_organization
):
    fake_anthropic.script(error_reply(529, "overloaded_error"))
    response = extract(NOTE)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["error"] == "model_unavailable"
    assert int(response["Retry-After"]) > 0
    assert len(fake_anthropic.requests) == 2  # one bounded retry by the SDK
    assert usage_snapshot(organization=pro_organization).used == 0


def test_rate_limited_model_passes_its_retry_after_on(extract, fake_anthropic, settings):
    settings.ANTHROPIC_MAX_RETRIES = 0
    from extraction.engines import _build

    _build.cache_clear()
    fake_anthropic.script(error_reply(429, "rate_limit_error", retry_after="7"))
    response = extract(NOTE)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "7"


def test_slow_model_times_out_to_503_in_bounded_time(extract, fake_anthropic, pro_organization):
    import time

    fake_anthropic.script(FakeReply(body={}, delay_seconds=3))
    started = time.monotonic()
    response = extract(NOTE)
    elapsed = time.monotonic() - started
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["error"] == "model_unavailable"
    assert elapsed < 6  # 1 s timeout, one retry with backoff
    assert usage_snapshot(organization=pro_organization).used == 0


def test_engine_default_follows_the_api_key(monkeypatch, tmp_path):
    from claimlens.tests.test_settings import run_manage

    code = "from django.conf import settings; print(settings.CLAIMLENS_ENGINE)"
    env = {"CLAIMLENS_VAR_DIR": str(tmp_path), "ANTHROPIC_API_KEY": "", "CLAIMLENS_ENGINE": ""}
    without = run_manage("shell", "--no-imports", "-c", code, env=env)
    with_key = run_manage(
        "shell", "--no-imports", "-c", code, env={**env, "ANTHROPIC_API_KEY": "k"}
    )
    assert without.stdout.split()[-1] == "rules"
    assert with_key.stdout.split()[-1] == "claude"


def test_guardrails_lower_an_overstated_level_visibly(extract, fake_anthropic):
    overstated = {
        **VALID,
        "em_codes": [
            {
                "code": "99215",
                "justification": "High complexity",
                "evidence": "Essential hypertension",
            }
        ],
        "cpt_codes": [{"code": "99999", "justification": "invented", "evidence": ""}],
    }
    fake_anthropic.script(tool_reply(overstated))
    note = "A: Essential hypertension, stable on lisinopril, BP 128/78. Continue same dose."
    result = extract(note, patient_type="established").json()["result"]
    assert result["em_codes"][0]["code"] != "99215"
    assert "99999" not in [c["code"] for c in result["cpt_codes"]]
    risks = {r["code"]: r["risk_level"] for r in result["denial_risks"]}
    assert risks.get("99215") == "High"
    assert risks.get("99999") == "High"
    actions = {(g["action"], g["code"]) for g in result["guardrails"]}
    assert any(code == "99999" for _action, code in actions)
    assert any(code == "99215" for _action, code in actions)
