"""Health Harbor provider: ClaimLens as a client of the phone-call benefits upstream.

Create with ``POST {HEALTHHARBOR_BASE_URL}/api/v0/{line}/inquiries`` (HTTP Basic), keep the
upstream id, then poll ``GET .../inquiries/{id}`` until a final status; the batched webhook
(``inquiries.apis.HealthHarborWebhookApi``) may finish it sooner. Facts and quirks:
integrations.md §6. Every failure to get a usable answer (timeout, refused connection, 401,
429, 5xx, a body that is not the expected JSON) raises ProviderUnavailable, so the inquiry
stays open and is tried again; nothing is lost.
"""

import base64
import json
import logging
import re
from typing import Any

from django.conf import settings

from inquiries.http import HttpResponse, TransportError, http_request
from inquiries.models import Inquiry, Status
from inquiries.providers.base import Outcome, ProviderRejected, ProviderUnavailable
from inquiries.representation import request_document
from inquiries.results import build_results

logger = logging.getLogger(__name__)

# Upstream status → ours. Only SUCCESS and IN_PROGRESS are documented; SCHEDULED, UNSUCCESSFUL
# and UNKNOWN come from a third-party mock (integrations.md §6.5). None: still pending.
STATUS_MAP: dict[str, str | None] = {
    "SCHEDULED": Status.SCHEDULED,
    "IN_PROGRESS": Status.IN_PROGRESS,
    "SUCCESS": Status.SUCCESS,
    "UNSUCCESSFUL": Status.FAILED,
    "UNKNOWN": None,
}
UNSUCCESSFUL_SUMMARY = "The payer call did not get the benefits. Check the details and resubmit."
_STATUS_SHAPE = re.compile(r"^[A-Z_]{1,40}$")


class HealthHarborProvider:
    name = "healthharbor"

    def submit(self, inquiry: Inquiry) -> Outcome:
        body = json.dumps(request_document(inquiry)).encode()
        response = self._call("POST", f"/api/v0/{inquiry.line}/inquiries", body=body)
        data = _json_object(response)
        upstream_id = data.get("inquiry_id") or data.get("id")
        if not isinstance(upstream_id, str | int) or not str(upstream_id).strip():
            raise ProviderUnavailable("healthharbor create: no inquiry_id in the response")
        logger.info("inquiry %s: created upstream as %s", inquiry.pk, upstream_id)
        return Outcome(
            reference=str(upstream_id).strip()[:100],
            poll_after=settings.INQUIRY_POLL_INTERVAL_SECONDS,
        )

    def poll(self, inquiry: Inquiry) -> Outcome:
        path = f"/api/v0/{inquiry.line}/inquiries/{inquiry.provider_reference}"
        return outcome_from_upstream(_json_object(self._call("GET", path)), inquiry_id=inquiry.pk)

    def _call(self, method: str, path: str, body: bytes | None = None) -> HttpResponse:
        credentials = f"{settings.HEALTHHARBOR_USERNAME}:{settings.HEALTHHARBOR_PASSWORD}"
        headers = {
            "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode(),
            "Accept": "application/json",
        }
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            response = http_request(
                method,
                settings.HEALTHHARBOR_BASE_URL + path,
                body=body,
                headers=headers,
                timeout=settings.HEALTHHARBOR_TIMEOUT_SECONDS,
            )
        except TransportError as exc:
            raise ProviderUnavailable(f"healthharbor {method} {exc.reason}") from exc
        status = response.status
        if status in (401, 403):
            logger.error("healthharbor %s: credentials refused (%d)", method, status)
            raise ProviderUnavailable(f"healthharbor {method} {status}")
        if status == 429 or status >= 500 or not 200 <= status < 500:
            raise ProviderUnavailable(f"healthharbor {method} {status}")
        if status >= 400:
            if method == "POST":
                # 400/404/422 on create: the upstream will not take this request as it is.
                raise ProviderRejected(
                    f"healthharbor {method} {status}",
                    summary="The benefits service refused the request. Check the details.",
                )
            raise ProviderUnavailable(f"healthharbor {method} {status}")
        return response


def _json_object(response: HttpResponse) -> dict[str, Any]:
    try:
        data = json.loads(response.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProviderUnavailable("healthharbor: response is not JSON") from exc
    if not isinstance(data, dict):
        raise ProviderUnavailable("healthharbor: response is not a JSON object")
    return data


def outcome_from_upstream(data: dict[str, Any], *, inquiry_id: Any = None) -> Outcome:
    """Map one upstream inquiry object (GET body or webhook item) to an Outcome."""
    raw_status = data.get("status")
    vendor_status = raw_status if isinstance(raw_status, str) else ""
    vendor_status = vendor_status.strip().upper()
    safe_status = vendor_status if _STATUS_SHAPE.match(vendor_status) else "<unprintable>"
    if vendor_status not in STATUS_MAP:
        # Still pending: keep the inquiry open, store the raw value, tell whoever reads logs.
        logger.warning(
            "inquiry %s: unrecognised upstream status %s kept as pending", inquiry_id, safe_status
        )
        return Outcome(vendor_status=safe_status[:40])
    status = STATUS_MAP[vendor_status]
    if status is None:
        logger.info("inquiry %s: upstream status %s, still pending", inquiry_id, vendor_status)
    summary = data.get("summary") if isinstance(data.get("summary"), str) else ""
    results = None
    if status == Status.SUCCESS:
        results = normalize_results(data.get("results"))
    elif status == Status.FAILED:
        summary = summary or UNSUCCESSFUL_SUMMARY
    return Outcome(status=status, vendor_status=vendor_status, summary=summary, results=results)


def normalize_results(raw: Any) -> dict[str, Any]:
    """Upstream results → the contract's shape, coding around the vendor's documented quirks:
    ``call_details`` may be a list (the latest call wins), ``procedure_codes`` entries may be
    two-element lists, limitation text may be ``limitations``, amounts may be numbers."""
    raw = raw if isinstance(raw, dict) else {}
    call_details = raw.get("call_details")
    if isinstance(call_details, list):
        calls = [item for item in call_details if isinstance(item, dict)]
        call_details = calls[-1] if calls else None
    maximums = raw.get("maximums") if isinstance(raw.get("maximums"), dict) else {}
    maximums = {key: _amount(value) for key, value in maximums.items()}
    procedure_codes = []
    for entry in raw.get("procedure_codes") or []:
        merged: dict[str, Any] = {}
        parts = entry if isinstance(entry, list) else [entry]
        for part in parts:
            if isinstance(part, dict):
                merged.update(part)
        if not merged.get("procedure_code"):
            continue
        merged.setdefault("frequency_limitations", merged.get("limitations"))
        for key in ("copay_amount", "coinsurance_percentage"):
            merged[key] = _amount(merged.get(key))
        procedure_codes.append(merged)
    procedure_classes = raw.get("procedure_classes")
    return build_results(
        call_details=call_details if isinstance(call_details, dict) else None,
        plan_information=raw.get("plan_information")
        if isinstance(raw.get("plan_information"), dict)
        else None,
        maximums=maximums,
        procedure_classes=procedure_classes if isinstance(procedure_classes, dict) else None,
        procedure_codes=procedure_codes,
    )


def _amount(value: Any) -> str | None:
    """Money and percentages stay strings, as in the contract; numbers are turned into text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None
