"""``scrub_note``: run every detector, settle overlaps, write placeholders.

Overlapping candidates merge into one redaction (the union of their spans, so no fragment of
an identifier survives), named after the member with the highest priority. Placeholders keep
the note readable for a model: one ``[NAME_n]`` per person, dates keep their year, except a
year that would leave standing a digit group of an identifier removed from the same note
("Claim WC-2025-0338719 ... injured 07/14/2025": the date becomes "[DATE]").
"""

from __future__ import annotations

import re
from operator import attrgetter

from extraction.phi.addresses import find_address_candidates
from extraction.phi.dates import find_date_candidates
from extraction.phi.names import find_name_candidates
from extraction.phi.patterns import find_identifiers
from extraction.phi.redaction import Candidate, Redaction, ScrubResult
from extraction.phi.spoken_dates import find_spoken_birth_dates, find_spoken_numbers
from extraction.phi.text import NoteText, separator_end, separator_start

PLACEHOLDERS = {
    "name": "[NAME]",
    "address": "[ADDRESS]",
    "date": "[DATE]",
    "phone": "[PHONE]",
    "fax": "[FAX]",
    "email": "[EMAIL]",
    "ssn": "[SSN]",
    "mrn": "[MRN]",
    "health_plan_id": "[PLAN_ID]",
    "account": "[ACCOUNT]",
    "license": "[LICENSE]",
    "vehicle": "[VEHICLE]",
    "device": "[DEVICE]",
    "url": "[URL]",
    "ip": "[IP]",
    "biometric": "[BIOMETRIC]",
    "photo": "[PHOTO]",
    "other_id": "[ID]",
    "age_over_89": "[90+]",
}


_START = attrgetter("start")
_END = attrgetter("end")


def _collect(note: str) -> list[Candidate]:
    text = NoteText(note)  # lower-cased once and tokenized once, for every detector
    candidates: list[Candidate] = []
    candidates.extend(find_identifiers(text))
    candidates.extend(find_date_candidates(text))
    candidates.extend(find_spoken_birth_dates(text))
    candidates.extend(find_spoken_numbers(text))
    candidates.extend(find_address_candidates(text))
    candidates.extend(find_name_candidates(text))
    return candidates


def _settle(candidates: list[Candidate]) -> list[Candidate]:
    """Merge overlapping candidates; the highest priority (then the longest) names the kind."""
    settled: list[Candidate] = []
    group: list[Candidate] = []
    group_end = -1
    # By start, then the longest first: two stable sorts on a field each, faster than a key
    # tuple per candidate (a long note has over a thousand).
    ordered = sorted(candidates, key=_END, reverse=True)
    ordered.sort(key=_START)
    for candidate in ordered:
        start, end = candidate.start, candidate.end  # each field read once
        if end <= start:
            continue
        if group and start < group_end:
            group.append(candidate)
            if end > group_end:
                group_end = end
            continue
        if group:
            settled.append(_merge(group, group_end))
        group, group_end = [candidate], end
    if group:
        settled.append(_merge(group, group_end))
    return settled


def _merge(group: list[Candidate], end: int) -> Candidate:
    if len(group) == 1:  # most candidates overlap no other: nothing to merge
        return group[0]
    start = group[0].start
    winner = max(group, key=lambda c: (c.priority, c.end - c.start))
    person = next((c.person for c in group if c.person), None)
    keep = winner.keep if (winner.start, winner.end) == (start, end) else None
    return Candidate(winner.kind, start, end, winner.priority, person=person, keep=keep)


_DIGIT_GROUP = re.compile(r"\d{4,}")


def _identifier_digit_groups(note: str, settled: list[Candidate]) -> set[str]:
    """The runs of four or more digits inside the identifiers being removed (dates aside)."""
    return {
        group
        for redaction in settled
        if redaction.kind not in ("date", "age_over_89")
        for group in _DIGIT_GROUP.findall(note, redaction.start, redaction.end)
    }


def _placeholder(
    note: str, redaction: Candidate, numbers: dict[str, int], removed_groups: set[str]
) -> str:
    if redaction.kind == "name" and redaction.person:
        number = numbers.setdefault(redaction.person, len(numbers) + 1)
        return f"[NAME_{number}]"
    text = PLACEHOLDERS[redaction.kind]
    removed = note[redaction.start : redaction.end]
    if redaction.kind == "age_over_89" and removed.isdigit() and len(removed) == 4:
        return "[YEAR]"  # a birth year that reveals an age over 89
    if redaction.kind == "date" and redaction.keep:
        year_start, year_end = redaction.keep
        if note[year_start:year_end] in removed_groups:
            return text
        if year_start > redaction.start:  # "03/14/1962" -> "[DATE]/1962"
            return text + note[separator_start(note, redaction.start, year_start) : year_end]
        # "1962-03-14" -> "1962-[DATE]"
        return note[year_start : separator_end(note, year_end, redaction.end)] + text
    return text


def scrub_note(note: str) -> ScrubResult:
    """Remove the 18 HIPAA Safe Harbor identifiers from ``note``.

    Returns the scrubbed text and, for each identifier, its kind and its offsets in the
    original note (``note[start:end]`` is the identifier). Never raises on odd input.
    """
    if not note:
        return ScrubResult(scrubbed_note=note or "", redactions=[])
    settled = _settle(_collect(note))
    numbers: dict[str, int] = {}
    removed_groups = _identifier_digit_groups(note, settled)
    pieces: list[str] = []
    position = 0
    for redaction in settled:
        pieces.append(note[position : redaction.start])
        pieces.append(_placeholder(note, redaction, numbers, removed_groups))
        position = redaction.end
    pieces.append(note[position:])
    return ScrubResult(
        scrubbed_note="".join(pieces),
        redactions=[Redaction(r.kind, r.start, r.end) for r in settled],
    )
