"""Denial risks and optimization tips from the coded result (coding-rules.md sections 5-9)."""

from extraction import icd10
from extraction.engines.rules.findings import Findings
from extraction.result import CodeEntry, DenialRisk, ExtractionResult, RiskLevel


def _codes(entries: list[CodeEntry]) -> set[str]:
    return {e.code for e in entries}


def assess_risks(
    result: ExtractionResult,
    findings: Findings,
    *,
    em_basis: str | None,
    preventive: bool,
    medicare_office: bool,
    continuity_documented: bool,
) -> tuple[list[DenialRisk], list[str]]:
    risks: list[DenialRisk] = []
    tips: list[str] = []
    procedures = result.cpt_codes + result.hcpcs_codes
    procedure_codes = _codes(procedures)
    icd_codes = _codes(result.icd10_codes)
    for entry in result.hcpcs_codes:
        if entry.code == "G2211":
            risks.append(
                DenialRisk(
                    "G2211",
                    RiskLevel.MEDIUM,
                    "Requires documentation of the longitudinal relationship (continuing focal"
                    " point or ongoing care of a serious/complex condition).",
                )
            )
        if entry.code in ("G2212", "99417"):
            risks.append(
                DenialRisk(
                    entry.code,
                    RiskLevel.MEDIUM,
                    "Prolonged time must be the clinician's total time on the date, past the"
                    " payer's threshold; keep the time statement explicit.",
                )
            )
        if entry.code == "G0438":
            risks.append(
                DenialRisk(
                    "G0438",
                    RiskLevel.LOW,
                    "Once per lifetime: confirm no prior AWV and no IPPE within the last 12"
                    " months.",
                )
            )
        if entry.code == "G0439":
            risks.append(
                DenialRisk(
                    "G0439",
                    RiskLevel.LOW,
                    "Payable once per 12 months (11 full months after the last AWV).",
                )
            )
    for entry in result.em_codes:
        if em_basis == "time" and findings.total_time is not None:
            risks.append(
                DenialRisk(
                    entry.code,
                    RiskLevel.LOW,
                    f"Level supported by total time ({findings.total_time.value:g} min); the"
                    f" statement must cover only the clinician's time on the date, excluding"
                    f" separately billed services.",
                )
            )
        if em_basis == "time" and findings.total_time is None:
            risks.append(
                DenialRisk(
                    entry.code, RiskLevel.HIGH, "Time-based level without a documented total time."
                )
            )
        if "25" in entry.modifiers:
            risks.append(
                DenialRisk(
                    entry.code,
                    RiskLevel.MEDIUM,
                    "Modifier 25: the problem-oriented work must be significant and separately"
                    " identifiable from the procedure or preventive service.",
                )
            )
        if preventive and entry.code.startswith("992") and "25" not in entry.modifiers:
            risks.append(
                DenialRisk(
                    entry.code,
                    RiskLevel.HIGH,
                    "Problem E/M with a preventive visit needs modifier 25.",
                )
            )
    for entry in procedures:
        if (
            entry.code in ("20610", "20611", "20605", "20600", "20550", "20551", "69209", "69210")
            and not entry.modifiers
        ):
            risks.append(
                DenialRisk(
                    entry.code,
                    RiskLevel.HIGH,
                    "Laterality not documented: add RT, LT or 50 from the procedure note.",
                )
            )
        if (
            entry.code in ("90832", "90834", "90837", "90833", "90836", "90838")
            and findings.psychotherapy_time is None
        ):
            risks.append(
                DenialRisk(
                    entry.code,
                    RiskLevel.HIGH,
                    "Psychotherapy code without documented psychotherapy minutes or start/stop"
                    " times.",
                )
            )
    for entry in result.icd10_codes:
        descriptor = icd10.descriptor(entry.code).lower() if icd10.is_code(entry.code) else ""
        if "unspecified" in descriptor and (
            "side" in descriptor
            or "ear" in descriptor
            or "limb" in descriptor
            or "knee" in descriptor
            or "shoulder" in descriptor
        ):
            risks.append(
                DenialRisk(
                    entry.code,
                    RiskLevel.MEDIUM,
                    "Unspecified laterality: document right, left or bilateral.",
                )
            )
    if findings.tobacco_status == "current" and not procedure_codes & {"99406", "99407"}:
        tips.append(
            "Tobacco use documented: cessation counselling over 3 minutes with its time supports"
            " 99406 (3-10 min) or 99407 (>10 min)."
        )
    if (
        medicare_office
        and result.em_codes
        and "G2211" not in procedure_codes
        and not continuity_documented
    ):
        tips.append(
            "Medicare office visit: if you are the patient's continuing focal point, document it"
            " to support G2211."
        )
    if any(c.startswith("E66") for c in icd_codes) and not any(
        c.startswith("Z68") for c in icd_codes
    ):
        tips.append(
            "Obesity coded without a BMI code: document the BMI to add Z68.- (E66 'use additional"
            " code')."
        )
    if result.em_codes and em_basis == "mdm" and findings.total_time is None and not preventive:
        tips.append(
            "No total time documented: when time would give a higher level, state total time on"
            " the date of the encounter."
        )
    return risks, tips
