"""The engine's data files, loaded once: procedure/HCPCS codebook, fee schedule, term lists.

Data lives in ``extraction/data/`` with its sources named inside each file; this module only
reads it and answers look-ups, so a yearly RVU update is a data change, not a code change.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

# CPT Category I (5 digits), Category II (4 digits + F), Category III (4 digits + T),
# HCPCS Level II (letter + 4 digits).
PROCEDURE_CODE_SHAPE = re.compile(r"^(?:\d{5}|\d{4}[FT]|[A-V]\d{4})$")


@dataclass(frozen=True)
class ProcedureCode:
    code: str
    list_name: str  # em_codes, cpt_codes, hcpcs_codes or quality_codes
    family: str
    descriptor: str
    work_rvu: float | None
    nf_total_rvu: float | None
    f_total_rvu: float | None
    status: str
    level: int | None = None
    age_band: tuple[int, int] | None = None
    minutes: tuple[int, int] | None = None
    global_period: str | None = None
    mod25_with_em: bool = False
    lateral: bool = False
    unit_mg: float | None = None
    drug: str | None = None
    vaccine: str | None = None


def _load(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def procedure_codes() -> dict[str, ProcedureCode]:
    raw = _load("procedure_codes.json")
    codes: dict[str, ProcedureCode] = {}
    for code, row in raw["codes"].items():
        codes[code] = ProcedureCode(
            code=code,
            list_name=row["list"],
            family=row["family"],
            descriptor=row["descriptor"],
            work_rvu=row.get("work_rvu"),
            nf_total_rvu=row.get("nf_total_rvu"),
            f_total_rvu=row.get("f_total_rvu"),
            status=row.get("status", ""),
            level=row.get("level"),
            age_band=tuple(row["age_band"]) if row.get("age_band") else None,
            minutes=tuple(row["minutes"]) if row.get("minutes") else None,
            global_period=row.get("global"),
            mod25_with_em=bool(row.get("mod25_with_em")),
            lateral=bool(row.get("lateral")),
            unit_mg=row.get("unit_mg"),
            drug=row.get("drug"),
            vaccine=row.get("vaccine"),
        )
    return codes


@cache
def rvu_year() -> int:
    return int(_load("procedure_codes.json")["_meta"]["rvu_year"])


def lookup(code: str) -> ProcedureCode | None:
    return procedure_codes().get(code.strip().upper())


def family_codes(family: str) -> list[ProcedureCode]:
    return [c for c in procedure_codes().values() if c.family == family]


@cache
def fee_schedule() -> dict[str, Any]:
    return _load("fee_schedule.json")


@cache
def diagnosis_terms() -> dict[str, Any]:
    return _load("diagnosis_terms.json")


@cache
def clinical_lexicon() -> dict[str, Any]:
    return _load("clinical_lexicon.json")


def term_pattern(terms: list[str]) -> re.Pattern[str]:
    """One regex for many lower-case phrases: whole words, longest first, spaces ~ hyphens."""
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        words = [re.escape(word) for word in term.split()]
        parts.append(r"[\s\-]+".join(words))
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])")
