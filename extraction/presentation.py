"""What the workspace shows for a result or an error, in words a clinician understands."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

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


def _details(element: dict[str, Any]) -> list[str]:
    """Readable lines for one MDM element of the rule engine (or a model's free text)."""
    lines = [item["statement"] for item in element.get("addressed", []) if item.get("statement")]
    lines += element.get("reasons", [])
    if element.get("unique_tests"):
        lines.append("Tests: " + ", ".join(element["unique_tests"]))
    if element.get("external_sources"):
        lines.append("External records: " + ", ".join(element["external_sources"]))
    for flag, label in (
        ("independent_historian", "Independent historian"),
        ("independent_interpretation", "Independent interpretation of a test"),
        ("discussion_with_external_clinician", "Discussion with an external clinician"),
    ):
        if element.get(flag):
            lines.append(label)
    if element.get("minutes") is not None:
        lines.append(f"{element['minutes']:g} minutes documented")
    return lines


def mdm_rows(mdm: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Problems, data, risk and time with the level each supports, then the overall level."""
    if not mdm:
        return []
    rows = []
    for key, label in (
        ("problems", "Problems"),
        ("data", "Data"),
        ("risk", "Risk"),
        ("time", "Time"),
    ):
        element = mdm.get(key)
        if isinstance(element, dict):
            rows.append(
                {"label": label, "level": element.get("level", ""), "details": _details(element)}
            )
        elif element:
            rows.append({"label": label, "level": str(element), "details": []})
    if mdm.get("time_minutes"):
        rows.append({"label": "Time", "level": "", "details": [f"{mdm['time_minutes']} minutes"]})
    overall = mdm.get("level")
    if overall:
        basis = {"mdm": "medical decision making", "time": "total time"}.get(
            mdm.get("basis", ""), ""
        )
        rows.append(
            {
                "label": "Overall",
                "level": overall,
                "details": [f"Levelled on {basis}"] if basis else [],
            }
        )
    return rows


def result_view(result: dict[str, Any]) -> dict[str, Any]:
    """Group a stored or fresh result for the template."""
    groups = [(label, result.get(name, [])) for name, label in CODE_GROUPS]
    all_codes = [entry["code"] for _label, entries in groups for entry in entries]
    procedures = [
        e["code"] for name in ("em_codes", "cpt_codes", "hcpcs_codes") for e in result.get(name, [])
    ]
    diagnoses = [e["code"] for e in result.get("icd10_codes", [])]
    return {
        "groups": [(label, entries) for label, entries in groups if entries],
        "all_codes": " ".join(all_codes),
        "nothing_billable": not all_codes,
        # Prefills the benefits-inquiry form ("Check benefits for these codes").
        "benefits_query": urlencode({"cpt": ",".join(procedures), "icd10": ",".join(diagnoses)})
        if procedures
        else "",
        "denial_risks": sorted(
            result.get("denial_risks", []), key=lambda r: RISK_ORDER.get(r["risk_level"], 3)
        ),
        "tips": result.get("optimization_tips", []),
        "mdm_rows": mdm_rows(result.get("mdm")),
        "reimbursement": result.get("reimbursement"),
    }
