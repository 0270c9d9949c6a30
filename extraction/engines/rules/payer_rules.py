"""Where payers differ: wellness codes, prolonged time, G2211, telehealth modifiers.

Sources: coding-rules.md sections 4-7 and the eval README conventions (Medicare G2212,
others 99417; G0438/G0439 for Medicare wellness, CPT preventive codes for other payers;
G2211 for Medicare office/outpatient E/M with documented continuity, not beside a
modifier-25 E/M unless that E/M goes with an AWV or other preventive service, CY2025;
telehealth office codes with 95, or 93 when audio-only, for every payer).
"""

from extraction.engines.rules.findings import Findings
from extraction.engines.rules.negation import affirmed_matches
from extraction.engines.rules.prefilter import prefiltered
from extraction.engines.rules.sections import ClinicalNote, Span
from extraction.parameters import Payer

OFFICE_FAMILIES = frozenset({"office_new", "office_est"})

# Prolonged time: (payer is Medicare, family) -> (code, minutes for the first unit).
# CPT 99417 from 75 (new) / 55 (est.) min; Medicare G2212 from 89 / 69 min (2021 PFS final
# rule); G0317 nursing facility (99306 95, 99310 85 min); G0318 home (99345 140, 99350 110).
_PROLONGED: dict[tuple[bool, str], tuple[str, int]] = {
    (False, "office_new"): ("99417", 75),
    (False, "office_est"): ("99417", 55),
    (True, "office_new"): ("G2212", 89),
    (True, "office_est"): ("G2212", 69),
    (True, "nf_initial"): ("G0317", 95),
    (True, "nf_subsequent"): ("G0317", 85),
    (True, "home_new"): ("G0318", 140),
    (True, "home_est"): ("G0318", 110),
}

_CONTINUITY = prefiltered(
    r"\b(?:i have|i've) (?:been|followed|managed|seen|cared for|known)\b|"
    r"\b(?:my|our) patient (?:for|since)\b|\bpatient of mine\b|"
    r"\b(?:his|her|their) (?:pcp|primary care (?:physician|provider|doctor)) since\b|"
    r"\b(?:i am|i'm|i remain|remains?) (?:his|her|their|the patient's)"
    r" (?:primary|longitudinal|pcp)|"
    r"\bi (?:will )?continue to (?:manage|follow)\b|\bwhom i have (?:followed|managed|seen)\b|"
    r"\bi manage\b|\blongitudinal(?:ly)?\b|continuing focal point|"
    r"\bongoing (?:care|management) (?:of|for)\b|\b(?:followed|managed|seen) (?:by me|here|in this "
    r"(?:practice|clinic)) (?:since|for|every)\b|\bseen here every\b|"
    r"\bfollowed by me\b|\bcontinue to manage\b|"
    r"\bi (?:provide|give) (?:his|her|their|the patient's) (?:continuing|ongoing|longitudinal)"
    r" (?:primary )?care\b"
)
_CONTINUITY_ELSEWHERE = prefiltered(
    r"\b(?:his|her|their) (?:pcp|primary care (?:physician|provider|doctor)) is"
    r" (?:in|at|with|dr)\b|"
    r"\bmanaged by (?:his|her|their) (?:pcp|primary)|"
    r"\bfollow[\s-]?up with (?:his|her|their) (?:pcp|primary care)"
)
# A visit labelled one-time, walk-in or urgent care is not longitudinal care; read in the
# note's first line only, where the visit names itself ("Urgent care visit 10/01 for fatigue"
# in the history is an earlier visit elsewhere, not this one).
_ONE_TIME_VISIT = prefiltered(r"\bone[\s-]time visit\b|\bwalk[\s-]in\b|\burgent care visit\b")
_TITLE_LINE = 200


def prolonged_service(
    *, payer: Payer, family: str, level: int, minutes: float | None
) -> tuple[str, int, int] | None:
    """(code, units, threshold) when total time passes the prolonged threshold of the top level."""
    if minutes is None or level < 4:
        return None
    rule = _PROLONGED.get((payer == Payer.MEDICARE, family))
    if rule is None and family.startswith(("nf_", "home_")) and payer != Payer.MEDICARE:
        return None  # 99418 thresholds for these families are not collected yet
    if rule is None:
        return None
    code, threshold = rule
    if minutes < threshold:
        return None
    units = 1 + int((minutes - threshold) // 15)
    return code, units, threshold


def continuity_evidence(note: ClinicalNote) -> Span | None:
    """A statement that this clinician is the continuing focal point or gives ongoing care for
    a serious or complex condition (G2211 definition), unless the note says care is elsewhere."""
    title = note.lower[:_TITLE_LINE].split("\n", 1)[0]
    if _CONTINUITY_ELSEWHERE.search(note.lower) or _ONE_TIME_VISIT.search(title):
        return None
    match = _CONTINUITY.search(note.lower)
    return Span(match.start(), match.end()) if match else None


def g2211_allowed(
    *, payer: Payer, family: str, em_modifiers: list[str], with_preventive: bool
) -> bool:
    if payer != Payer.MEDICARE or family not in OFFICE_FAMILIES:
        return False
    return "25" not in em_modifiers or with_preventive


def telehealth_modifier(findings: Findings) -> str:
    """93 when the visit was audio-only, otherwise 95 (synchronous audio-video)."""
    if findings.audio_only and not findings.video:
        return "93"
    if findings.audio_only and findings.video and findings.audio_only.start < findings.video.start:
        return "93"
    return "95"


_IPPE = prefiltered(r"welcome to medicare|\bippe\b|initial preventive physical")
_AWV_INITIAL = prefiltered(
    r"(?:initial|first)(?:[\s-]ever)? (?:medicare )?(?:annual"
    r" )?wellness|\bawv\b[^.\n]{0,20}\b(?:initial|first)\b|"
    r"(?:initial|first) awv|\bg0438\b"
)


def wellness_code(note: ClinicalNote) -> tuple[str, str]:
    """Medicare wellness code and why: IPPE G0402, first AWV G0438, subsequent AWV G0439."""
    lower = note.lower
    if affirmed_matches(_IPPE, lower, 0, len(lower)):
        return "G0402", "Initial preventive physical examination documented"
    if affirmed_matches(_AWV_INITIAL, lower, 0, len(lower)):
        return "G0438", "First (initial) annual wellness visit documented"
    return "G0439", "Subsequent annual wellness visit"
