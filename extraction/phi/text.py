"""Small text helpers shared by the detectors, written for speed on long notes.

Python's ``re`` scans fast only when a pattern starts with a literal or a character set and
has no ``(?i)``: it then jumps straight to the places where a match can begin. So detectors
match lower-case literals against ``ascii_lower(note)`` (same length, same offsets as the
note) and check word boundaries in Python (``boundary_before``) instead of a leading
look-behind.
"""

from __future__ import annotations

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(note: str) -> str:
    """``note`` with A-Z lower-cased and every other character untouched: offsets match.

    Not cached on purpose: a cache would keep patients' notes in memory after the request
    (and the copy costs about a tenth of a millisecond per 50,000 characters)."""
    return note.translate(_ASCII_LOWER)


def boundary_before(note: str, start: int, also: str = "") -> bool:
    """True when ``note[start]`` does not continue a word (or any character in ``also``)."""
    if start == 0:
        return True
    previous = note[start - 1]
    return not (previous.isalnum() or previous == "_" or previous in also)


_DROP_ASCII_DIGITS = str.maketrans("", "", "0123456789")


def digit_count(text: str) -> int:
    """How many ASCII digits ``text`` holds (the detectors only match ASCII digits)."""
    return len(text) - len(text.translate(_DROP_ASCII_DIGITS))


def words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of ``text``: keeps long word lists readable in code."""
    return tuple(text.split())


_DATE_SEPARATORS = "/.-, \t"


def separator_start(note: str, start: int, end: int) -> int:
    """Where the run of date separators ("/", ", ") that ends at ``end`` begins."""
    while end > start and note[end - 1] in _DATE_SEPARATORS:
        end -= 1
    return end


def separator_end(note: str, start: int, end: int) -> int:
    """Where the run of date separators that begins at ``start`` ends."""
    while start < end and note[start] in _DATE_SEPARATORS:
        start += 1
    return start
