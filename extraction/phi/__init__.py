"""PHI scrubbing before any engine sees a note (placeholder until the Safe Harbor scrubber lands).

This first version removes only what patterns find with certainty: e-mail addresses, phone
numbers, SSNs and full dates. The interface is final; the detection is the PHI issue's.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Redaction:
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class ScrubResult:
    scrubbed_note: str
    redactions: list[Redaction]


_PATTERNS = [
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), "[EMAIL]"),
    ("ssn", re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), "[SSN]"),
    ("phone", re.compile(r"(?<!\d)\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)"), "[PHONE]"),
    ("date", re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"), "[DATE]"),
]


def scrub_note(note: str) -> ScrubResult:
    found: list[tuple[int, int, str, str]] = []
    for kind, pattern, placeholder in _PATTERNS:
        found.extend((m.start(), m.end(), kind, placeholder) for m in pattern.finditer(note))
    found.sort()
    pieces, redactions, cursor = [], [], 0
    for start, end, kind, placeholder in found:
        if start < cursor:
            continue
        pieces.append(note[cursor:start])
        pieces.append(placeholder)
        redactions.append(Redaction(kind=kind, start=start, end=end))
        cursor = end
    pieces.append(note[cursor:])
    return ScrubResult(scrubbed_note="".join(pieces), redactions=redactions)
