"""Post-validation of a model's answer with the rule engine's knowledge.

A model's code string is not evidence (coding-rules.md item 9: published LLM exact-match
accuracy for ICD-10-CM and CPT is 34-50%). Every code is looked up: invented or malformed
codes are removed and reported as denial risks; an E/M level above what the documented MDM
or time supports is lowered to the supported level and flagged High; descriptors come from
the code tables, never from the model. Each change is listed in ``result.guardrails``.
ICD-10-CM codes and evidence quotes are checked for every engine by ``extraction.validation``,
which adds its changes to the same list.
"""

import copy
from typing import Any

from extraction.engines.rules import codebook
from extraction.engines.rules.engine import code_note
from extraction.engines.rules.reimbursement import FACILITY_FAMILIES, estimate, work_rvu
from extraction.parameters import ExtractionParameters, Payer
from extraction.result import CodeEntry, DenialRisk, ExtractionResult, RiskLevel

PROCEDURE_LISTS = ("em_codes", "cpt_codes", "hcpcs_codes", "quality_codes")


def apply_guardrails(
    model_result: ExtractionResult,
    *,
    note: str,
    parameters: ExtractionParameters,
    rules_result: ExtractionResult | None = None,
) -> ExtractionResult:
    """A checked copy of ``model_result``; the input is left untouched."""
    rules = rules_result if rules_result is not None else code_note(note, parameters)
    result = copy.deepcopy(model_result)
    changes: list[dict[str, Any]] = []

    def record(action: str, list_name: str, code: str, reason: str, **extra: Any) -> None:
        changes.append(
            {"action": action, "list": list_name, "code": code, "reason": reason, **extra}
        )

    for list_name in PROCEDURE_LISTS:
        setattr(result, list_name, _checked_procedures(result, list_name, parameters, record))
    _move_to_right_lists(result, record)
    _check_em_levels(result, rules, parameters, record)
    if result.mdm is None:
        result.mdm = rules.mdm
    elif rules.mdm is not None:
        result.mdm = {**result.mdm, "rules_engine": rules.mdm}
    priced = result.em_codes + result.cpt_codes + result.hcpcs_codes
    family = (rules.mdm or {}).get("family", "")
    result.reimbursement = estimate(
        priced, payer=parameters.payer, facility=family in FACILITY_FAMILIES
    )
    result.guardrails = changes
    return result


def _checked_procedures(
    result: ExtractionResult, list_name: str, parameters: ExtractionParameters, record: Any
) -> list[CodeEntry]:
    kept: list[CodeEntry] = []
    for entry in getattr(result, list_name):
        code = entry.code.strip().upper()
        if not codebook.PROCEDURE_CODE_SHAPE.match(code):
            reason = "Malformed CPT/HCPCS code."
            result.denial_risks.append(DenialRisk(entry.code, RiskLevel.HIGH, reason))
            record("removed", list_name, entry.code, reason)
            continue
        info = codebook.lookup(code)
        if info is None:
            reason = "Code not in the ClaimLens codebook: it cannot be verified."
            result.denial_risks.append(DenialRisk(code, RiskLevel.HIGH, reason))
            record("removed", list_name, code, reason)
            continue
        if code == "G2211" and parameters.payer != Payer.MEDICARE:
            reason = "G2211 is a Medicare add-on; not reported for this payer."
            result.denial_risks.append(DenialRisk(code, RiskLevel.HIGH, reason))
            record("removed", list_name, code, reason)
            continue
        entry.code = code
        entry.descriptor = info.descriptor
        if list_name != "quality_codes":
            entry.estimated_rvu = work_rvu(code, entry.units or 1)
        kept.append(entry)
    return kept


def _move_to_right_lists(result: ExtractionResult, record: Any) -> None:
    for list_name in PROCEDURE_LISTS:
        for entry in list(getattr(result, list_name)):
            info = codebook.lookup(entry.code)
            if info and info.list_name != list_name:
                getattr(result, list_name).remove(entry)
                getattr(result, info.list_name).append(entry)
                record("moved", list_name, entry.code, f"Belongs in {info.list_name}.")


def _check_em_levels(
    result: ExtractionResult,
    rules: ExtractionResult,
    parameters: ExtractionParameters,
    record: Any,
) -> None:
    """Lower an E/M level the documentation does not support (rule engine MDM or time)."""
    supported = {codebook.lookup(e.code).family: e for e in rules.em_codes}
    for entry in result.em_codes:
        info = codebook.lookup(entry.code)
        if info is None or info.level is None:
            continue
        rules_entry = supported.get(info.family)
        if rules_entry is None:
            expected = ", ".join(sorted(supported)) or "none"
            reason = (
                f"E/M family {info.family} does not match the visit "
                f"(rule engine found: {expected}); verify patient type and setting."
            )
            result.denial_risks.append(DenialRisk(entry.code, RiskLevel.HIGH, reason))
            record("flagged", "em_codes", entry.code, reason)
            continue
        rules_level = codebook.lookup(rules_entry.code).level or 0
        if info.level > rules_level:
            old = entry.code
            reason = (
                f"Level above what the documented MDM or time supports ({rules_entry.code}: "
                f"{rules_entry.justification}); lowered from {old}."
            )
            entry.code = rules_entry.code
            entry.descriptor = codebook.lookup(rules_entry.code).descriptor
            entry.estimated_rvu = work_rvu(rules_entry.code)
            entry.justification = f"{entry.justification} [guardrail: {reason}]".strip()
            result.denial_risks.append(DenialRisk(old, RiskLevel.HIGH, reason))
            record("lowered", "em_codes", old, reason, replacement=rules_entry.code)
