"""X12 provider: a 270 eligibility request out, a 271 response turned into the results shape.

The transport is pluggable (anything with ``exchange(text) -> text``); the default posts the
270 to ``X12_ENDPOINT_URL``. A 271 answers by service type, not by CPT code, and cannot say
whether *this provider* is in network (integrations.md §7.1): those answers stay ``null``.
"""

import logging
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from inquiries.http import TransportError, http_request
from inquiries.models import Inquiry, Status
from inquiries.procedures import service_types, short_label
from inquiries.providers.base import Outcome, ProviderUnavailable
from inquiries.results import build_results, format_call_end_time, format_date
from inquiries.x12 import (
    Benefit,
    EligibilityRequest,
    Envelope,
    MalformedX12,
    Response271,
    build_270,
    parse_271,
)

logger = logging.getLogger(__name__)

ACTIVE_CODES = frozenset({"1", "2", "3", "4", "5"})
INACTIVE_CODES = frozenset({"6", "7", "8"})
# EB04 insurance type codes (X12 element 1336) that name a plan type.
PLAN_TYPES = {"PR": "PPO", "HM": "HMO", "HN": "HMO", "EP": "EPO", "PS": "POS", "IN": "INDEMNITY"}
TOTAL_PERIODS = frozenset({"22", "23", "25", "32"})  # service/calendar year, contract, lifetime
REMAINING_PERIOD = "29"
YEAR_TO_DATE_PERIOD = "24"
PERIOD_WORDS = {"22": "service year", "23": "calendar year", "27": "visit", "7": "day"}
QUANTITY_WORDS = {"VS": "visits", "DY": "days", "HS": "hours"}

# AAA03 reject reasons (integrations.md §7.1). 42 means "try later"; the rest need new data.
RETRY_REASONS = frozenset({"42", "80"})
REJECTION_SUMMARIES = {
    "72": "The payer did not recognise the member ID. Check it and resubmit.",
    "73": "The payer did not recognise the patient's name. Check it and resubmit.",
    "75": "The payer could not find the subscriber. Check the member ID, name and date of birth.",
    "76": "The payer found a duplicate member ID. Check the member ID and resubmit.",
    "71": "The date of birth does not match the payer's records.",
    "79": "The payer could not find the provider (NPI). Check the NPI.",
}
DEFAULT_REJECTION = "The payer refused the eligibility request."


class X12Transport(Protocol):
    def exchange(self, request_270: str) -> str: ...


class HttpTransport:
    """POST the 270 to a clearinghouse endpoint; the body of a 2xx answer is the 271."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        self.timeout = timeout

    def exchange(self, request_270: str) -> str:
        response = http_request(
            "POST",
            self.url,
            body=request_270.encode(),
            headers={"Content-Type": "application/edi-x12", "Accept": "application/edi-x12"},
            timeout=self.timeout,
        )
        if not 200 <= response.status < 300:
            raise TransportError(f"http {response.status}")
        return response.body.decode("ascii", errors="replace")


def default_transport() -> X12Transport:
    return HttpTransport(settings.X12_ENDPOINT_URL, settings.X12_TIMEOUT_SECONDS)


class X12Provider:
    name = "x12"

    def __init__(self, transport: X12Transport | None = None) -> None:
        self.transport = transport or default_transport()

    def submit(self, inquiry: Inquiry) -> Outcome:
        request_270 = build_270(eligibility_request(inquiry), envelope=envelope_for(inquiry))
        try:
            text = self.transport.exchange(request_270)
        except TransportError as exc:
            raise ProviderUnavailable(f"x12 transport {exc.reason}") from exc
        try:
            response = parse_271(text)
        except MalformedX12 as exc:
            raise ProviderUnavailable(f"x12 malformed 271 ({exc})") from exc
        return outcome_from_271(response, benefits_codes=inquiry.benefits_codes)

    def poll(self, inquiry: Inquiry) -> Outcome:
        return Outcome()  # a 270/271 exchange is synchronous


def eligibility_request(inquiry: Inquiry) -> EligibilityRequest:
    wanted = ["30"]
    for code in inquiry.benefits_codes:
        wanted += [stc for stc in service_types(code) if stc not in wanted]
    return EligibilityRequest(
        trace_number=inquiry.pk.hex,
        payer_name=inquiry.insurance.replace("_", " "),
        payer_id=inquiry.insurance,
        provider_name=inquiry.organization.name,
        npi=inquiry.npi,
        tax_id=inquiry.tax_id,
        patient_name=inquiry.patient_name,
        member_id=inquiry.member_id,
        group_id=inquiry.group_id,
        date_of_birth=inquiry.date_of_birth,
        service_date=inquiry.desired_completion_date,
        service_types=tuple(wanted),
    )


def envelope_for(inquiry: Inquiry) -> Envelope:
    return Envelope(
        submitter_id=settings.X12_SUBMITTER_ID,
        receiver_id=settings.X12_RECEIVER_ID,
        control_number=inquiry.pk.int % 1_000_000_000,
        usage_indicator=settings.X12_USAGE_INDICATOR,
        created=timezone.now(),
    )


def outcome_from_271(response: Response271, *, benefits_codes: list[str]) -> Outcome:
    """The results shape from a parsed 271, or FAILED / retry for an AAA rejection."""
    if response.rejections:
        rejection = response.rejections[0]
        reason = f"x12 AAA {rejection.reason or '?'} at {rejection.level or '?'} level"
        if rejection.reason in RETRY_REASONS:
            raise ProviderUnavailable(reason)
        logger.info("x12 rejection: %s, follow-up %s", reason, rejection.follow_up or "-")
        return Outcome(
            status=Status.FAILED,
            summary=REJECTION_SUMMARIES.get(rejection.reason, DEFAULT_REJECTION),
        )

    benefits = response.benefits
    plan = _plan_information(response)
    results = build_results(
        call_details={
            "call_end_time": format_call_end_time(timezone.now()),
            "representative_name": None,
            "reference_number": response.payer_trace or response.our_trace or None,
        },
        plan_information=plan,
        maximums=_maximums(benefits),
        procedure_codes=[_procedure(code, benefits) for code in benefits_codes],
    )
    summary = (
        "Eligibility retrieved electronically (X12 271)."
        if plan["is_active"] is not False
        else "The plan is not active."
    )
    return Outcome(status=Status.SUCCESS, summary=summary, results=results)


def _x12_date(value: str) -> str | None:
    try:
        return format_date(datetime.strptime(value, "%Y%m%d").date())  # noqa: DTZ007 - a date
    except ValueError:
        return None


def _plan_information(response: Response271) -> dict:
    status_benefits = [b for b in response.benefits if b.code in ACTIVE_CODES | INACTIVE_CODES]
    first = status_benefits[0] if status_benefits else None
    is_active = None if first is None else first.code in ACTIVE_CODES
    plan_type = None
    if first is not None:
        plan_type = PLAN_TYPES.get(first.insurance_type)
        words = first.description.upper().split()
        plan_type = plan_type or next((t for t in ("PPO", "HMO", "EPO", "POS") if t in words), None)
    dates = response.dates
    begin, _, end = dates.get("291", "").partition("-")
    periods = {b.period for b in response.benefits if b.code in {"C", "G"}}
    return {
        "is_active": is_active,
        "plan_type": plan_type,
        "effective_date": _x12_date(dates.get("346") or dates.get("356") or begin),
        "termination_date": _x12_date(dates.get("347") or dates.get("357") or end),
        "is_calendar_year_plan": True if "23" in periods else (False if "22" in periods else None),
        # A 271 cannot tell whether this provider is in network, nor coordination of benefits.
        "is_provider_in_network": None,
        "is_primary_insurance": None,
    }


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def _in_network(benefit: Benefit) -> bool:
    return benefit.in_network in {"Y", ""}


def _maximums(benefits: list[Benefit]) -> dict:
    values: dict[str, str | None] = {}
    for prefix, coverage in (("individual", "IND"), ("family", "FAM")):
        for name, code in (("deductible", "C"), ("out_of_pocket_maximum", "G")):
            plan_wide = [
                b
                for b in benefits
                if b.code == code
                and b.coverage_level == coverage
                and _in_network(b)
                and (not b.service_types or "30" in b.service_types)
            ]
            total = next((b.amount for b in plan_wide if b.period in TOTAL_PERIODS), None)
            remaining = next((b.amount for b in plan_wide if b.period == REMAINING_PERIOD), None)
            used = next((b.amount for b in plan_wide if b.period == YEAR_TO_DATE_PERIOD), None)
            if used is None and total is not None and remaining is not None:
                total_amount, remaining_amount = _decimal(total), _decimal(remaining)
                if total_amount is not None and remaining_amount is not None:
                    used = format(total_amount - remaining_amount, "f")
            values[f"{prefix}_{name}"] = total
            values[f"{prefix}_{name}_used"] = used
    return values


def _percent(value: str) -> str | None:
    """EB08 is a fraction (``.2``); the contract writes a percentage string (``"20"``)."""
    fraction = _decimal(value)
    return None if fraction is None else format((fraction * 100).normalize(), "f")


def _procedure(code: str, benefits: list[Benefit]) -> dict:
    wanted = service_types(code)

    def matching(benefit: Benefit) -> bool:
        return any(stc in benefit.service_types for stc in wanted)

    relevant = [b for b in benefits if matching(b)]
    in_network = [b for b in relevant if _in_network(b)]
    copay = next((b.amount for b in in_network if b.code == "B" and b.amount), None)
    coinsurance = next((_percent(b.percent) for b in in_network if b.code == "A"), None)
    auth_flags = {b.auth_required for b in in_network if b.auth_required}
    limits = [b for b in in_network if b.code == "F" and b.quantity]
    messages = [message for b in relevant for message in b.messages]
    notes = [m for m in messages if "AUTH" not in m.upper()]
    for benefit in relevant:
        if benefit.code == "A" and not _in_network(benefit) and benefit.percent:
            notes.append(f"Out of network: {_percent(benefit.percent)}% coinsurance.")
        notes += [f"Benefits administered by {name}." for name in benefit.related_entities]
    covered = None
    if any(b.code == "I" for b in in_network):
        covered = False
    elif any(b.code in {"1", "A", "B", "C", "F"} for b in in_network):
        covered = True
    return {
        "procedure_code": code,
        "procedure_name": short_label(code),
        "is_covered": covered,
        "is_prior_auth_required": True
        if "Y" in auth_flags
        else (False if "N" in auth_flags else None),
        "prior_auth_info": next((m for m in messages if "AUTH" in m.upper()), None),
        "is_deductible_waived": None,
        "copay_amount": copay,
        "coinsurance_percentage": coinsurance,
        "frequency_limitations": "; ".join(
            f"{b.quantity} {QUANTITY_WORDS.get(b.quantity_qualifier, b.quantity_qualifier)} "
            f"per {PERIOD_WORDS.get(b.period, 'period')}"
            for b in limits
        )
        or None,
        "more_info": " ".join(notes) or None,
    }
