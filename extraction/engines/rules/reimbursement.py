"""Reimbursement estimate: national, no geographic adjustment, illustrative.

CMS national payment = total RVU x conversion factor (CY PFS final rule); scaled by a payer
factor for Medicaid, commercial and self-pay from published ratios (data/fee_schedule.json).
Facility totals apply to ED and nursing facility claims (POS 21-23/31), non-facility
totals elsewhere (coding-rules.md section 13.1). The contract's ``estimated_rvu`` is the
work RVU (coding-rules.md section 13.1, from the API reference sample).
"""

from typing import Any

from extraction.engines.rules import codebook
from extraction.parameters import Payer
from extraction.result import CodeEntry

FACILITY_FAMILIES = frozenset({"ed", "nf_initial", "nf_subsequent"})


def work_rvu(code: str, units: int = 1) -> float | None:
    entry = codebook.lookup(code)
    if entry is None or entry.work_rvu is None:
        return None
    return round(entry.work_rvu * units, 2)


def estimate(entries: list[CodeEntry], *, payer: Payer, facility: bool) -> dict[str, Any]:
    schedule = codebook.fee_schedule()
    year = str(codebook.rvu_year())
    conversion = schedule["conversion_factors"][year]
    payer_factor = schedule["payer_factors"][str(payer)]
    total_rvu = 0.0
    lines: list[dict[str, Any]] = []
    unpriced: list[str] = []
    for entry in entries:
        code = codebook.lookup(entry.code)
        units = getattr(entry, "units", 1) or 1
        total = None
        if code is not None:
            total = code.f_total_rvu if facility else code.nf_total_rvu
        if total is None:
            unpriced.append(entry.code)
            continue
        line_rvu = round(total * units, 2)
        total_rvu += line_rvu
        lines.append({"code": entry.code, "units": units, "total_rvu": line_rvu})
    amount = total_rvu * conversion["usd"] * payer_factor["factor"]
    return {
        "total_rvu": round(total_rvu, 2),
        "rvu_basis": "facility" if facility else "non-facility",
        "conversion_factor": conversion["usd"],
        "conversion_factor_year": int(year),
        "payer": str(payer),
        "payer_factor": payer_factor["factor"],
        "estimated_amount_usd": round(amount, 2),
        "lines": lines,
        "unpriced_codes": unpriced,
        "sources": {
            "rvus": f"CMS PFS national RVU file, {year}",
            "conversion_factor": conversion["source"],
            "payer_factor": payer_factor["source"],
        },
        "note": "National estimate without GPCI; illustrative, not a quote.",
    }
