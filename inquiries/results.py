"""The ``results`` object of a retrieved inquiry, exactly as the contract shows it.

Every provider (sandbox, manual, X12, Health Harbor) hands its answer to :func:`build_results`,
so the keys are always all present (``null`` when the payer did not say) and unknown keys never
leak out. Money and percentages are strings, as in the contract (``"20.00"``, ``"20"``); dates
are ``MM-DD-YYYY``.
"""

from datetime import UTC, date, datetime
from typing import Any

CALL_DETAILS_KEYS = ("call_end_time", "representative_name", "reference_number")
PLAN_INFORMATION_KEYS = (
    "is_active",
    "plan_type",
    "effective_date",
    "termination_date",
    "is_calendar_year_plan",
    "is_provider_in_network",
    "is_primary_insurance",
)
MAXIMUMS_KEYS = (
    "individual_deductible",
    "individual_deductible_used",
    "individual_out_of_pocket_maximum",
    "individual_out_of_pocket_maximum_used",
    "family_deductible",
    "family_deductible_used",
    "family_out_of_pocket_maximum",
    "family_out_of_pocket_maximum_used",
)
PROCEDURE_CODE_KEYS = (
    "procedure_code",
    "procedure_name",
    "is_covered",
    "is_prior_auth_required",
    "prior_auth_info",
    "is_deductible_waived",
    "copay_amount",
    "coinsurance_percentage",
    "frequency_limitations",
    "more_info",
)

CONTRACT_DATE_FORMAT = "%m-%d-%Y"


def format_date(value: date | None) -> str | None:
    """A date as the contract writes it: ``MM-DD-YYYY``."""
    return value.strftime(CONTRACT_DATE_FORMAT) if value else None


def format_creation_ts(value: datetime) -> str:
    """``creation_ts`` as in the contract: UTC, six fractional digits, ``Z``."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def format_call_end_time(value: datetime) -> str:
    """``call_end_time`` as in the contract sample: UTC, four fractional digits, ``Z``."""
    text = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return text[:-2] + "Z"


def _pick(values: dict[str, Any] | None, keys: tuple[str, ...]) -> dict[str, Any]:
    values = values or {}
    return {key: values.get(key) for key in keys}


def procedure_code_entry(values: dict[str, Any]) -> dict[str, Any]:
    return _pick(values, PROCEDURE_CODE_KEYS)


def build_results(
    *,
    call_details: dict[str, Any] | None = None,
    plan_information: dict[str, Any] | None = None,
    maximums: dict[str, Any] | None = None,
    procedure_classes: dict[str, Any] | None = None,
    procedure_codes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The complete ``results`` object; missing values are ``None``, extra keys dropped."""
    return {
        "call_details": _pick(call_details, CALL_DETAILS_KEYS),
        "plan_information": _pick(plan_information, PLAN_INFORMATION_KEYS),
        "maximums": _pick(maximums, MAXIMUMS_KEYS),
        "procedure_classes": dict(procedure_classes or {}),
        "procedure_codes": [procedure_code_entry(entry) for entry in procedure_codes or []],
    }
