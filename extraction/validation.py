"""Checks applied to every engine's answer before it reaches a user.

ICD-10-CM codes are checked against the official code set: unknown codes are removed and
reported as a High denial risk, category (non-leaf) codes are marked ``non_billable`` with a
risk, and descriptors always come from the official set. Evidence that is not an exact quote of
the note the engine saw is dropped: the UI highlights evidence in the note, so it must be there.
For a model's answer the changes are also listed in ``result.guardrails``.
"""

from typing import Any

from extraction import icd10
from extraction.result import CODE_LISTS, BillingTier, DenialRisk, ExtractionResult, RiskLevel

Change = dict[str, Any]


def _change(action: str, list_name: str, code: str, reason: str) -> Change:
    return {"action": action, "list": list_name, "code": code, "reason": reason}


def validate_icd10(result: ExtractionResult) -> list[Change]:
    changes: list[Change] = []
    kept, seen = [], set()
    for entry in result.icd10_codes:
        code = icd10.normalize(entry.code)
        if code in seen:
            continue
        seen.add(code)
        if not icd10.is_code(code):
            reason = "Not a valid ICD-10-CM code; removed from the result."
            result.denial_risks.append(DenialRisk(entry.code, RiskLevel.HIGH, reason))
            changes.append(_change("removed", "icd10_codes", entry.code, reason))
            continue
        entry.code = code
        entry.descriptor = icd10.descriptor(code)
        if icd10.is_billable(code):
            entry.billing_tier = BillingTier.BILLABLE
        else:
            entry.billing_tier = BillingTier.NON_BILLABLE
            reason = "Category code, not billable: report a more specific subcode."
            result.denial_risks.append(DenialRisk(code, RiskLevel.HIGH, reason))
            changes.append(_change("marked_non_billable", "icd10_codes", code, reason))
        kept.append(entry)
    result.icd10_codes = kept
    return changes


def clear_unquoted_evidence(result: ExtractionResult, note: str) -> list[Change]:
    changes: list[Change] = []
    for name in CODE_LISTS:
        for entry in getattr(result, name):
            if entry.evidence and entry.evidence not in note:
                entry.evidence = ""
                changes.append(
                    _change(
                        "evidence_cleared",
                        name,
                        entry.code,
                        "Evidence is not a quote from the note.",
                    )
                )
    return changes


def post_validate(result: ExtractionResult, *, note: str) -> ExtractionResult:
    """Apply every answer check in place and return the result."""
    changes = validate_icd10(result) + clear_unquoted_evidence(result, note)
    if result.guardrails is not None:
        result.guardrails.extend(changes)
    return result
