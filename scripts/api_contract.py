#!/usr/bin/env python3
"""Black-box check of ``POST /api/v1/extract`` against the published API reference.

Knows only the reference document (``claimlens-api-reference.txt``) and the error codes issue #4
adds to it (``invalid_parameter``, ``invalid_json``, 405, 415): no project code is imported, and
every request goes over HTTP with the standard library, as an API consumer's would.

    .venv/bin/python scripts/api_contract.py --base-url http://127.0.0.1:8000 --key cl_live_...
        [--free-key cl_live_...]       # a key of a Free organization: 403
        [--exhausted-key cl_live_...]  # a key whose monthly limit is used up: 429

Each check spends at most a few units of quota. Prints one line per check; exits 1 on a failure.
The test suite runs the same checks against a live server (tests/test_api_contract.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PATH = "/api/v1/extract"
NOTE = (
    "CC: Follow-up HTN and DM type 2. BP 142/88. A1C 8.3%. Assessment: type 2 diabetes with "
    "hyperglycemia; essential hypertension. Plan: increase metformin to 1000 mg twice daily."
)
MAX_NOTE_CHARS = 50_000
RESULT_LISTS = ("em_codes", "icd10_codes", "cpt_codes", "hcpcs_codes", "quality_codes")
RESULT_KEYS = {*RESULT_LISTS, "optimization_tips", "denial_risks"}
WITH_RVU = ("em_codes", "cpt_codes", "hcpcs_codes")
META_KEYS = {"model", "payer", "patient_type", "visit_type", "specialty", "phi_scrubbed"}
DEFAULTS = {
    "payer": "medicare",
    "patient_type": "established",
    "visit_type": "office",
    "specialty": "family_medicine",
    "phi_scrubbed": True,
}
VALUES = {
    "payer": ("medicare", "medicaid", "commercial", "selfpay"),
    "patient_type": ("established", "new"),
    "visit_type": (
        "office",
        "telehealth",
        "awv",
        "well_child",
        "behavioral",
        "nursing_facility",
        "emergency_dept",
        "telehealth_bh",
        "home",
    ),
    "specialty": ("family_medicine", "internal_medicine", "pediatrics", "behavioral_health"),
}
ALIASES = {
    ("payer", "self_pay"): "selfpay",
    ("visit_type", "bh"): "behavioral",
    ("visit_type", "ed"): "emergency_dept",
}


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any

    def error_code(self) -> str | None:
        return self.body.get("error") if isinstance(self.body, dict) else None


@dataclass
class Api:
    base_url: str
    key: str
    free_key: str = ""
    exhausted_key: str = ""
    timeout: float = 30.0

    def call(
        self,
        method: str = "POST",
        body: Any = None,
        *,
        key: str | None = None,
        raw: bytes | None = None,
        content_type: str = "application/json",
        authorization: str | None = None,
    ) -> Answer:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        headers = {"Content-Type": content_type, "Accept": "application/json"}
        if authorization is None:
            authorization = f"Bearer {self.key if key is None else key}"
        if authorization:
            headers["Authorization"] = authorization
        request = urllib.request.Request(  # noqa: S310 - the base URL is the operator's
            self.base_url.rstrip("/") + PATH, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return _answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return _answer(error.code, error.headers, error.read())

    def extract(self, **fields: Any) -> Answer:
        return self.call(body={"note": NOTE, **fields})


def _answer(status: int, headers, payload: bytes) -> Answer:
    try:
        body = json.loads(payload) if payload else None
    except ValueError:
        body = payload[:200]
    return Answer(status, {k.lower(): v for k, v in headers.items()}, body)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def expect_error(answer: Answer, status: int, code: str | None = None) -> None:
    """The reference: "All errors return a JSON body with error and message fields"."""
    expect(answer.status == status, f"status {answer.status}, expected {status}: {answer.body}")
    expect(
        isinstance(answer.body, dict)
        and isinstance(answer.body.get("error"), str)
        and isinstance(answer.body.get("message"), str)
        and answer.body["message"],
        f"error body without error and message: {answer.body}",
    )
    if code is not None:
        expect(answer.error_code() == code, f"error {answer.error_code()!r}, expected {code!r}")


def expect_success_shape(answer: Answer) -> dict[str, Any]:
    expect(answer.status == 200, f"status {answer.status}: {answer.body}")
    body = answer.body
    expect(isinstance(body, dict) and {"result", "meta"} <= set(body), "no result and meta")
    result, meta = body["result"], body["meta"]
    expect(set(result) >= RESULT_KEYS, f"result lacks {sorted(RESULT_KEYS - set(result))}")
    expect(set(meta) >= META_KEYS, f"meta lacks {sorted(META_KEYS - set(meta))}")
    for name in RESULT_LISTS:
        expect(isinstance(result[name], list), f"{name} is not a list")
        for code in result[name]:
            expect({"code", "descriptor", "billing_tier"} <= set(code), f"{name} item: {code}")
            expect(isinstance(code["code"], str) and code["code"], f"{name} code: {code}")
            if name in WITH_RVU:
                rvu = code.get("estimated_rvu")
                expect(isinstance(rvu, int | float), f"{name} {code['code']} estimated_rvu: {rvu}")
    expect(all(isinstance(tip, str) for tip in result["optimization_tips"]), "tips not strings")
    for risk in result["denial_risks"]:
        expect({"code", "risk_level", "reason"} <= set(risk), f"denial risk: {risk}")
        expect(risk["risk_level"] in {"Low", "Medium", "High"}, f"risk_level: {risk}")
    expect(isinstance(meta["model"], str) and meta["model"], "meta.model is empty")
    expect(isinstance(meta["phi_scrubbed"], bool), "meta.phi_scrubbed is not a boolean")
    return body


# --- checks -----------------------------------------------------------------------------------
def check_success_with_documented_defaults(api: Api) -> None:
    body = expect_success_shape(api.call(body={"note": NOTE}))
    got = {name: body["meta"][name] for name in DEFAULTS}
    expect(got == DEFAULTS, f"defaults in meta: {got}")


def check_every_documented_value_is_accepted_and_echoed(api: Api) -> None:
    for parameter, values in VALUES.items():
        for value in values:
            meta = expect_success_shape(api.extract(**{parameter: value}))["meta"]
            expect(meta[parameter] == value, f"{parameter}={value} echoed as {meta[parameter]}")


def check_aliases_are_echoed_canonical(api: Api) -> None:
    for (parameter, alias), canonical in ALIASES.items():
        meta = expect_success_shape(api.extract(**{parameter: alias}))["meta"]
        expect(meta[parameter] == canonical, f"{parameter}={alias} echoed as {meta[parameter]}")


def check_phi_scrub_false_is_echoed(api: Api) -> None:
    meta = expect_success_shape(api.extract(phi_scrub=False))["meta"]
    expect(meta["phi_scrubbed"] is False, f"phi_scrubbed {meta['phi_scrubbed']}")


def check_missing_note(api: Api) -> None:
    for body in ({}, {"note": None}, {"note": ""}, {"note": "   \n\t"}, {"note": 42}):
        expect_error(api.call(body=body), 400, "missing_note")


def check_note_length_limit(api: Api) -> None:
    expect_error(api.call(body={"note": "a" * (MAX_NOTE_CHARS + 1)}), 400, "note_too_long")
    expect_success_shape(api.call(body={"note": ((NOTE + " ") * 300)[:MAX_NOTE_CHARS]}))


def check_invalid_parameters(api: Api) -> None:
    for parameter in (*VALUES, "phi_scrub"):
        answer = api.extract(**{parameter: "not-a-value"})
        expect_error(answer, 400, "invalid_parameter")
        if parameter in VALUES:
            message = answer.body["message"]
            expect(all(v in message for v in VALUES[parameter]), f"allowed values: {message}")


def check_malformed_requests(api: Api) -> None:
    expect_error(api.call(raw=b'{"note": "unterminated'), 400, "invalid_json")
    expect_error(api.call(raw=b"note=hello", content_type="text/plain"), 415)
    expect_error(api.call("GET"), 405)


def check_authentication(api: Api) -> None:
    for authorization in ("", "Bearer sk_test_1234567890", "Bearer cl_live_notarealkey"):
        expect_error(api.call(body={"note": NOTE}, authorization=authorization), 401)


def check_free_plan_is_refused(api: Api) -> None:
    answer = api.call(body={"note": NOTE}, key=api.free_key)
    expect_error(answer, 403)
    expect("/pricing" in answer.body["message"], f"403 message: {answer.body['message']}")


def check_monthly_limit(api: Api) -> None:
    answer = api.call(body={"note": NOTE}, key=api.exhausted_key)
    expect_error(answer, 429, "rate_limit_exceeded")
    reset_at = dt.datetime.fromisoformat(answer.body["reset_at"].replace("Z", "+00:00"))
    now = dt.datetime.now(dt.UTC)
    next_month = (now.replace(day=28) + dt.timedelta(days=4)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    expect(reset_at == next_month, f"reset_at {reset_at}, expected {next_month} (UTC)")


CHECKS: dict[str, Callable[[Api], None]] = {
    name.removeprefix("check_"): check
    for name, check in sorted(globals().items())
    if name.startswith("check_")
}
NEEDS = {"free_plan_is_refused": "free_key", "monthly_limit": "exhausted_key"}


def run(api: Api) -> list[tuple[str, str]]:
    """Every check that ``api`` has the keys for: (name, failure or "" or "skipped")."""
    outcomes = []
    for name, check in CHECKS.items():
        if name in NEEDS and not getattr(api, NEEDS[name]):
            outcomes.append((name, "skipped"))
            continue
        try:
            check(api)
        except AssertionError as failure:
            outcomes.append((name, str(failure) or "failed"))
        else:
            outcomes.append((name, ""))
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", required=True, help="a Pro or Practice key with quota left")
    parser.add_argument("--free-key", default="")
    parser.add_argument("--exhausted-key", default="")
    args = parser.parse_args()
    api = Api(args.base_url, args.key, args.free_key, args.exhausted_key)
    try:
        outcomes = run(api)
    except urllib.error.URLError as error:
        print(f"cannot reach {args.base_url}: {error.reason}")
        return 2
    failed = 0
    for name, outcome in outcomes:
        label = {"": "ok", "skipped": "skip"}.get(outcome, "FAIL")
        print(f"{label:4} {name}")
        if label == "FAIL":
            failed += 1
            print(f"     {outcome[:300]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
