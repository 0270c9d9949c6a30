"""Checks applied to every engine's answer before it reaches a user.

ICD-10-CM codes are checked against the official code set: unknown codes are removed and
reported as a High denial risk, category (non-leaf) codes are marked ``non_billable`` with a
risk, and descriptors always come from the official set. Evidence that is not an exact quote of
the note the engine saw is dropped: the UI highlights evidence in the note, so it must be there.
"""

from extraction import icd10
from extraction.result import CODE_LISTS, BillingTier, DenialRisk, ExtractionResult, RiskLevel


def _validate_icd10(result: ExtractionResult) -> None:
    kept, seen = [], set()
    for entry in result.icd10_codes:
        code = icd10.normalize(entry.code)
        if code in seen:
            continue
        seen.add(code)
        if not icd10.is_code(code):
            result.denial_risks.append(
                DenialRisk(
                    code=entry.code,
                    risk_level=RiskLevel.HIGH,
                    reason="Not a valid ICD-10-CM code; removed from the result.",
                )
            )
            continue
        entry.code = code
        entry.descriptor = icd10.descriptor(code)
        if icd10.is_billable(code):
            entry.billing_tier = BillingTier.BILLABLE
        else:
            entry.billing_tier = BillingTier.NON_BILLABLE
            result.denial_risks.append(
                DenialRisk(
                    code=code,
                    risk_level=RiskLevel.HIGH,
                    reason="Category code, not billable: report a more specific subcode.",
                )
            )
        kept.append(entry)
    result.icd10_codes = kept


def _drop_unquoted_evidence(result: ExtractionResult, note: str) -> None:
    for name in CODE_LISTS:
        for entry in getattr(result, name):
            if entry.evidence and entry.evidence not in note:
                entry.evidence = ""


def post_validate(result: ExtractionResult, *, note: str) -> ExtractionResult:
    """Apply every answer check in place and return the result."""
    _validate_icd10(result)
    _drop_unquoted_evidence(result, note)
    return result
