"""What the workspace shows for a result or an error, in words a clinician understands."""

from dataclasses import dataclass
from typing import Any

from accounts.models import Organization
from billing.quota import next_reset, usage_snapshot
from claimlens.api import ApplicationError

CODE_GROUPS = [
    ("em_codes", "E/M"),
    ("icd10_codes", "ICD-10-CM"),
    ("cpt_codes", "CPT"),
    ("hcpcs_codes", "HCPCS"),
    ("quality_codes", "Quality"),
]
RISK_ORDER = {"High": 0, "Medium": 1, "Low": 2}


@dataclass(frozen=True)
class FriendlyError:
    title: str
    detail: str
    upgrade: bool = False


def friendly_error(error: ApplicationError, organization: Organization) -> FriendlyError:
    if error.code == "rate_limit_exceeded":
        usage = usage_snapshot(organization=organization)
        return FriendlyError(
            title="Monthly limit reached",
            detail=(
                f"This practice has used all {usage.limit:,} extractions of the "
                f"{organization.get_plan_display()} plan this month. The counter resets on "
                f"{next_reset():%-d %B %Y}."
            ),
            upgrade=True,
        )
    if error.code == "model_unavailable":
        return FriendlyError(
            title="The coding model is busy",
            detail="Nothing was counted against your quota. Please try again in a minute.",
        )
    if error.code == "parse_error":
        return FriendlyError(
            title="The coding model gave an unreadable answer",
            detail="Nothing was counted against your quota. Please try again.",
        )
    return FriendlyError(
        title="Something went wrong on our side",
        detail="Nothing was counted against your quota. If it keeps happening, contact support.",
    )


def result_view(result: dict[str, Any]) -> dict[str, Any]:
    """Group a stored or fresh result for the template."""
    groups = [(label, result.get(name, [])) for name, label in CODE_GROUPS]
    all_codes = [entry["code"] for _label, entries in groups for entry in entries]
    return {
        "groups": [(label, entries) for label, entries in groups if entries],
        "all_codes": " ".join(all_codes),
        "nothing_billable": not all_codes,
        "denial_risks": sorted(
            result.get("denial_risks", []), key=lambda r: RISK_ORDER.get(r["risk_level"], 3)
        ),
        "tips": result.get("optimization_tips", []),
        "mdm": result.get("mdm"),
        "reimbursement": result.get("reimbursement"),
    }
