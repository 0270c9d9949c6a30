"""Birth dates and years spoken in words, as speech recognition writes dictation:
"dob nine twelve nineteen ninety eight", "born in nineteen thirty three".

A spoken date of birth goes whole (its year is not split off); a birth year alone stays unless
it reveals an age of 90 or more, like a written one (``dates.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from extraction.phi.redaction import Candidate
from extraction.phi.text import NoteText, boundary_before, words

_UNITS = words("zero oh one two three four five six seven eight nine")
_TEENS = words("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
_TENS = words("twenty thirty forty fifty sixty seventy eighty ninety")
_ORDINALS = words(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
    "thirtieth"
)
_MONTHS = words(
    "january february march april may june july august september october november december"
)
_VALUE = {word: value for value, word in enumerate(_UNITS)} | {"oh": 0, "zero": 0}
_VALUE |= {word: 10 + value for value, word in enumerate(_TEENS)}
_VALUE |= {word: 20 + 10 * value for value, word in enumerate(_TENS)}
_NUMBER_WORD = "|".join(sorted({*_UNITS, *_TEENS, *_TENS, *_ORDINALS, *_MONTHS}, key=len)[::-1])
_SPOKEN = rf"(?:{_NUMBER_WORD}|hundred|thousand)(?![a-z])"
SPOKEN_BIRTH = re.compile(
    r"(?P<label>dob|d o b|date[ \t]+of[ \t]+birth|born(?:[ \t]+(?:on|in))?)[ \t:,]+"
    rf"(?P<value>{_SPOKEN}(?:[ \t,-]+(?:(?:the|of|and)[ \t]+)?{_SPOKEN}){{1,9}})"
)
_FIRST_WORDS = frozenset(words("dob d date born"))


def _spoken_year(value: str) -> int | None:
    """ "nineteen thirty three" -> 1933, "two thousand five" -> 2005; else None."""
    parts = value.replace("-", " ").replace(",", " ").split()
    if len(parts) >= 2 and parts[0] in ("nineteen", "twenty") and "thousand" not in parts:
        rest = parts[1:]
        if rest and rest[0] == "hundred":
            rest = rest[1:]
        tail = sum(_VALUE.get(part, 100) for part in rest)
        return _VALUE[parts[0]] * 100 + tail if tail < 100 else None
    if parts[:2] == ["two", "thousand"]:
        tail = sum(_VALUE.get(part, 100) for part in parts[2:] if part != "and")
        return 2000 + tail if tail < 100 else None
    return None


def find_spoken_birth_dates(text: NoteText) -> Iterator[Candidate]:
    lower = text.lower
    this_year = dt.datetime.now(tz=dt.UTC).year
    for match in text.matches_at_words(SPOKEN_BIRTH, _FIRST_WORDS):
        if not boundary_before(lower, match.start()):
            continue
        start, end = match.span("value")
        value = match.group("value")
        year = _spoken_year(value)
        if year is None:
            if len(value.split()) >= 3:  # a whole date; "born thirty two weeks" is no date
                yield Candidate("date", start, end, 50)
        elif this_year - year >= 90:
            yield Candidate("age_over_89", start, end, 55)


# Numbers read out digit by digit: "medical record number eight eight two zero four one one",
# "can be reached at five zero three five five five zero one four six". Four digits at least.
_DIGIT_WORD = rf"(?:{'|'.join(_UNITS)})(?![a-z])"
SPOKEN_DIGITS = re.compile(rf"{_DIGIT_WORD}(?:[ \t,-]+{_DIGIT_WORD}){{3,}}")
_DIGIT_WORDS = frozenset(_UNITS)


def find_spoken_numbers(text: NoteText) -> Iterator[Candidate]:
    """Identifiers dictated as digits: ten of them a phone number, other counts an ID."""
    for match in text.matches_at_words(SPOKEN_DIGITS, _DIGIT_WORDS):
        if boundary_before(text.lower, match.start()):
            digits = len(re.findall(_DIGIT_WORD, match.group()))
            yield Candidate("phone" if digits in (7, 10, 11) else "other_id", *match.span(), 58)
