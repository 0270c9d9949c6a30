"""Is a mention affirmed, negated, uncertain, historical or about a relative?

A NegEx-style reading (Chapman et al. 2001): a trigger before the mention, or a few after it,
changes its status until the clause ends. Outpatient coding depends on it: a ruled-out,
"possible" or "concerning for" diagnosis is not coded as if confirmed (ICD-10-CM Official
Guidelines section IV.H), history-only conditions are not coded (section IV.J; eval README),
and a relative's disease is family history, not the patient's.
"""

import re
from enum import StrEnum

from extraction.engines.rules.prefilter import PrefilteredPattern, prefiltered


class Assertion(StrEnum):
    PRESENT = "present"
    NEGATED = "negated"
    UNCERTAIN = "uncertain"
    HISTORICAL = "historical"
    FAMILY = "family"


# A clause ends at these marks; a trigger before one does not reach past it.
_CLAUSE_BREAK = prefiltered(
    r"[.;:!?\n()]|\s[-\u2013\u2014]{1,2}\s|\bbut\b|\bhowever\b|\balthough\b|\bexcept\b|"
    r"\bwhich\b|\bsecondary to\b|\bdue to\b|\bwith\b"
)
_PRE_BREAK = prefiltered(r"[.;!?\n()]|\s[-\u2013\u2014]{1,2}\s|\bbut\b|\bhowever\b|\balthough\b")

_PRE_NEGATION = prefiltered(
    r"\b(?:no|not|denies|denied|deny|denying|negative for|negative|without|w/o|free of|"
    r"absence of|absent|never|neither|nor|ruled out|resolved)\b(?!\s+(?:longer|only|change))"
    # "non-" negates only the mention it is joined to ("non-tender"); joined to another word
    # it names a kind ("non-proliferative diabetic retinopathy", "non-healing ulcer").
    r"|\bnon[\s-]$"
)
_PRE_UNCERTAIN = prefiltered(
    r"\b(?:possible|possibly|probable|probably|suspected|suspect|suspicion (?:of|for)|likely|"
    r"concerning for|concern for|concerns? (?:of|for)|cannot exclude|can't exclude|"
    r"cannot rule out|can't rule out|rule out|r/o|versus|vs\.?|questionable|question of|"
    r"differential|presumed|presumptive|consider|considering|evaluate for|evaluation for|"
    r"work ?up for|may have|might have|query|borderline for|screen(?:ing)? for|at risk for|"
    r"risk of)\b|\?"
)
_PRE_HISTORICAL = prefiltered(
    r"\b(?:h/o|history of|hx of|past|prior|previous|previously|remote|s/p|status post|"
    r"childhood|in the past|former|old|gestational)\b"
)
_PRE_FAMILY = prefiltered(
    r"\b(?:family history|family hx|fh|mother|mom|father|dad|sister|brother|maternal|paternal|"
    r"grandmother|grandfather|grandparents?|aunt|uncle|sibling|siblings|parents?|cousin|son|"
    r"daughter)\b(?!'s? (?:report|states|notes))"
)
_POST_NEGATION = prefiltered(
    r"^(?:[^.;\n,]{0,30}?|\s*,\s*)\b(?:ruled out|was negative|is negative|negative|unlikely|not"
    r" present|"
    r"not found|not seen|absent|resolved|not active|inactive|historical|healed)\b"
)
_POST_UNCERTAIN = prefiltered(
    r"^(?:[^.;\n,]{0,30}?|\s*,\s*)\b(?:cannot be excluded|can't be excluded|not excluded|"
    r"suspected|to be ruled out|is a concern)\b|^\s*(?:vs\.?|versus)\b|^\s*\?"
)


def _clause_before(lower: str, start: int, floor: int) -> str:
    """Text from the last clause break before ``start`` (not before ``floor``) to ``start``."""
    window_start = max(floor, start - 120)
    window = lower[window_start:start]
    breaks = list(_PRE_BREAK.finditer(window))
    return window[breaks[-1].end() :] if breaks else window


def _clause_after(lower: str, end: int, ceiling: int) -> str:
    window = lower[end : min(ceiling, end + 80)]
    stop = _CLAUSE_BREAK.search(window)
    return window[: stop.start()] if stop else window


def assertion(
    lower: str, start: int, end: int, *, floor: int = 0, ceiling: int | None = None
) -> Assertion:
    """The status of the mention ``lower[start:end]``, reading only its own clause.

    ``floor`` and ``ceiling`` bound the reading (e.g. an assessment item), so a trigger in a
    neighbouring statement never applies.
    """
    ceiling = len(lower) if ceiling is None else ceiling
    before = _clause_before(lower, start, floor)
    after = _clause_after(lower, end, ceiling)
    if _PRE_FAMILY.search(before):
        return Assertion.FAMILY
    if _PRE_NEGATION.search(before) or _POST_NEGATION.match(after):
        return Assertion.NEGATED
    if _PRE_UNCERTAIN.search(before) or _POST_UNCERTAIN.match(after):
        return Assertion.UNCERTAIN
    if _PRE_HISTORICAL.search(before):
        return Assertion.HISTORICAL
    return Assertion.PRESENT


_CUES = (
    _PRE_FAMILY,
    _PRE_NEGATION,
    _PRE_UNCERTAIN,
    _PRE_HISTORICAL,
    _POST_NEGATION,
    _POST_UNCERTAIN,
)


def holds_no_cue(lower: str, start: int, end: int) -> bool:
    """True when ``lower[start:end]`` holds no keyword of any trigger, so every mention read
    with this span as floor and ceiling is PRESENT: callers skip the per-mention reading."""
    text = lower[start:end]
    return not any(cue.could_match(text) for cue in _CUES)


def affirmed_matches(
    pattern: PrefilteredPattern, lower: str, start: int, end: int
) -> list[re.Match[str]]:
    """Matches of ``pattern`` in ``lower[start:end]`` whose status is PRESENT."""
    return [
        match
        for match in pattern.finditer(lower, start, end)
        if assertion(lower, match.start(), match.end(), floor=start, ceiling=end)
        is Assertion.PRESENT
    ]


# A word that opens its own comma part qualifies the statement, not the negated phrase before
# it: "retinopathy without macular edema, both eyes"; "migraine without aura, transformed
# from episodic". (A negated list keeps its reach: its items are findings, not qualifiers.)
_OPENS_PART = re.compile(r",\s*(?:(?:in|of|on) )?(?:the )?$")


def opens_comma_part(lower: str, floor: int, start: int) -> bool:
    """Whether the word at ``start`` begins a comma-separated part after ``floor``."""
    return _OPENS_PART.search(lower, floor, start) is not None
