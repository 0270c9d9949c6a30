"""The shape of an extraction result, shared by every engine and by post-validation.

Field names are the API reference's (``code``, ``descriptor``, ``justification``,
``estimated_rvu``, ``billing_tier``; ``code``, ``risk_level``, ``reason``). Additions the
reference allows: ``modifiers``, ``evidence`` and ``units`` on a code, ``mdm``,
``reimbursement`` and ``guardrails`` on the result.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class BillingTier(StrEnum):
    BILLABLE = "billable"
    NON_BILLABLE = "non_billable"


class RiskLevel(StrEnum):
    LOW = "Low"
    MEDIUM = "Medium"
    HIGH = "High"


@dataclass
class CodeEntry:
    code: str
    descriptor: str
    justification: str = ""
    billing_tier: str = BillingTier.BILLABLE
    estimated_rvu: float | None = None
    modifiers: list[str] = field(default_factory=list)
    evidence: str = ""
    units: int = 1

    def to_dict(self, *, with_rvu: bool) -> dict[str, Any]:
        """Diagnoses and quality codes are not paid services: no RVU and no units.

        Built field by field, as ``dataclasses.asdict`` would (modifiers are strings, so a
        list copy is its deep copy): ``asdict`` recurses and deep-copies every value, which
        cost a tenth of an extraction.
        """
        data: dict[str, Any] = {
            "code": self.code,
            "descriptor": self.descriptor,
            "justification": self.justification,
            "billing_tier": self.billing_tier,
        }
        if with_rvu:
            data["estimated_rvu"] = self.estimated_rvu
        data["modifiers"] = list(self.modifiers)
        data["evidence"] = self.evidence
        if with_rvu:
            data["units"] = self.units
        return data


@dataclass
class DenialRisk:
    code: str
    risk_level: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "risk_level": self.risk_level, "reason": self.reason}


# The code lists of a result, and whether their entries carry ``estimated_rvu``
# (the reference gives RVUs for E/M, CPT and HCPCS codes, not for diagnoses or quality codes).
CODE_LISTS: dict[str, bool] = {
    "em_codes": True,
    "icd10_codes": False,
    "cpt_codes": True,
    "hcpcs_codes": True,
    "quality_codes": False,
}


@dataclass
class ExtractionResult:
    em_codes: list[CodeEntry] = field(default_factory=list)
    icd10_codes: list[CodeEntry] = field(default_factory=list)
    cpt_codes: list[CodeEntry] = field(default_factory=list)
    hcpcs_codes: list[CodeEntry] = field(default_factory=list)
    quality_codes: list[CodeEntry] = field(default_factory=list)
    optimization_tips: list[str] = field(default_factory=list)
    denial_risks: list[DenialRisk] = field(default_factory=list)
    mdm: dict[str, Any] | None = None
    reimbursement: dict[str, Any] | None = None
    # What post-validation (extraction/engines/guardrails.py) changed in a model's answer.
    guardrails: list[dict[str, Any]] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            name: [entry.to_dict(with_rvu=with_rvu) for entry in getattr(self, name)]
            for name, with_rvu in CODE_LISTS.items()
        }
        data["optimization_tips"] = list(self.optimization_tips)
        data["denial_risks"] = [risk.to_dict() for risk in self.denial_risks]
        if self.mdm is not None:
            data["mdm"] = self.mdm
        if self.reimbursement is not None:
            data["reimbursement"] = self.reimbursement
        if self.guardrails is not None:
            data["guardrails"] = self.guardrails
        return data
