"""The scrubber's result types, and the candidate span every detector reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

# The 18 HIPAA Safe Harbor identifier kinds (45 CFR 164.514(b)(2)), as this API names them.
KINDS = (
    "name",
    "address",
    "date",
    "phone",
    "fax",
    "email",
    "ssn",
    "mrn",
    "health_plan_id",
    "account",
    "license",
    "vehicle",
    "device",
    "url",
    "ip",
    "biometric",
    "photo",
    "other_id",
    "age_over_89",
)


@dataclass(frozen=True)
class Redaction:
    """One identifier taken out: ``note[start:end]`` is its text in the original note."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class ScrubResult:
    scrubbed_note: str
    redactions: list[Redaction]


class Candidate(NamedTuple):
    """A span a detector believes is PHI. ``priority`` settles overlaps (higher wins);
    ``person`` groups the mentions of one person so they share a ``[NAME_n]``; ``keep`` is the
    part of a date (its year) that stays in the scrubbed note. A tuple, not a dataclass:
    a long note makes thousands of them."""

    kind: str
    start: int
    end: int
    priority: int = 0
    person: str | None = None
    keep: tuple[int, int] | None = None
