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
    with_ippe: str | None = None  # beside G0402: "included", or the IPPE's own code
    repair: str | None = None  # wound repair depth: simple or intermediate
    repair_sites: tuple[str, ...] = ()  # site classes a wound repair code covers
    max_cm: float | None = None  # longest total repair length the code takes


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
            with_ippe=row.get("with_ippe"),
            repair=row.get("repair"),
            repair_sites=tuple(row.get("repair_sites", ())),
            max_cm=row.get("max_cm"),
        )
    return codes


@cache
def rvu_year() -> int:
    return int(_load("procedure_codes.json")["_meta"]["rvu_year"])


def lookup(code: str) -> ProcedureCode | None:
    return procedure_codes().get(code.strip().upper())


@cache
def family_codes(family: str) -> tuple[ProcedureCode, ...]:
    return tuple(c for c in procedure_codes().values() if c.family == family)


@cache
def fee_schedule() -> dict[str, Any]:
    return _load("fee_schedule.json")


@cache
def diagnosis_terms() -> dict[str, Any]:
    return _load("diagnosis_terms.json")


@cache
def vaccine_products() -> list[dict[str, Any]]:
    """Vaccine products in the order they are tried (combinations before their parts)."""
    return _load("vaccines.json")["products"]


@cache
def clinical_lexicon() -> dict[str, Any]:
    return _load("clinical_lexicon.json")


_WORD_GAP = r"[\s\-]+"  # what may separate a term's words in a note: spaces or hyphens
_GAP = " "  # the trie's step for a word gap (a term's words never hold a space)
_END = ""  # trie key marking that a term ends at this node


def term_pattern(terms: list[str]) -> re.Pattern[str]:
    r"""One regex for many lower-case phrases: whole words, spaces ~ hyphens, and at any
    position the longest term that matches.

    The terms are nested as a trie, ``a(?:cute(?:[\s\-]+bronchitis)?|sthma)``, so the regex
    engine follows one branch per character instead of trying each of a thousand terms at
    every word start. It finds exactly what the plain alternation sorted longest first finds:
    terms matching at one position are then word-prefixes of each other and the trie tries
    the longer first. That fails only where a hyphen inside a word competes with a word gap
    ("x-ray" beside "x ray"), so such lists keep the plain alternation.
    """
    trie: dict[str, dict] = {}
    for term in sorted(set(terms)):
        node = trie
        for step in _GAP.join(term.split()):
            node = node.setdefault(step, {})
        node[_END] = {}
    body = _trie_regex(trie) if not _gap_competes(trie) else _alternation(terms)
    return re.compile(r"(?<![a-z0-9])(?:" + body + r")(?![a-z0-9])")


def term_first_words(terms: list[str]) -> frozenset[str] | None:
    """The first word (run of letters and digits) of every term, or None when a term starts
    otherwise. A match of ``term_pattern`` starts with one of these as a whole word, so a
    note without any of them holds no match, and a match can only start where one is."""
    words = set()
    for term in terms:
        first = re.match(r"[a-z0-9]+", term)
        if first is None:
            return None
        words.add(first.group())
    return frozenset(words)


def _trie_regex(node: dict[str, dict]) -> str:
    branches = [
        (_WORD_GAP if step == _GAP else re.escape(step)) + _trie_regex(child)
        for step, child in node.items()
        if step != _END
    ]
    if not branches:
        return ""
    if len(branches) == 1 and _END not in node:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if _END in node else group  # longer terms first, then end here


def _gap_competes(node: dict[str, dict]) -> bool:
    """A hyphen and a word gap both leave this node and the character after them does not
    tell which one the text takes: the trie could then pick a shorter term."""
    if _GAP in node and "-" in node:
        after_hyphen, after_gap = set(node["-"]), set(node[_GAP])
        if after_hyphen & after_gap or (after_hyphen | after_gap) & {_END, _GAP, "-"}:
            return True
    return any(_gap_competes(child) for child in node.values())


def _alternation(terms: list[str]) -> str:
    """Every term in turn, longest first, so the longest term at a position wins."""
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        words = [re.escape(word) for word in term.split()]
        parts.append(_WORD_GAP.join(words))
    return "|".join(parts)
