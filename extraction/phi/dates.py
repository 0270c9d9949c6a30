"""Dates and ages.

Safe Harbor removes every element of a date except the year, so a date candidate covers the
whole date and names its year (``keep``), which the placeholder keeps: "03/14/1962" becomes
"[DATE]/1962". Ages of 90 or more become "[90+]", and so does the year of birth of anyone that
old (45 CFR 164.514(b)(2)(i)(C)); ages under 90 and all other years stay.

Patterns run on ``ascii_lower(note)``; digit-led ones scan it, word-led ones are tried only
where their first word stands (``NoteText.matches_at_words``, see ``text.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import NamedTuple

from extraction.phi.lexicon import lexicon
from extraction.phi.redaction import Candidate
from extraction.phi.text import (
    NoteText,
    boundary_before,
    matches_from,
    separator_end,
    separator_start,
    words,
)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_UNITS = words("one two three four five six seven eight nine")
_ORDINAL_WORD = (
    r"(?:(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"thirtieth|eleventh|twelfth|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth)"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR4 = r"(?:19|20)\d{2}"

# "03/14/1962", "3-14-62", "09.02.1996", "11/2024", "9/4": one digit-led scan, read in Python.
NUMERIC = re.compile(
    r"(?P<a>\d(?<![\w/.,:+-]\d)\d?)(?P<sep>[/.-])(?P<b>\d{1,4})"
    r"(?:(?P=sep)(?P<c>\d{2}(?:\d{2})?))?(?![\w/%+]|[.,:-]\d)"
)
# "3/10-3/11", "2/4 to 2/10": two bare dates joined by a dash or "to", a span of days (NUMERIC
# refuses a number that a dash and a digit follow or precede; "120/80-130/85" is no date).
DAY_SPAN = re.compile(
    r"(?P<m1>\d(?<![\w/.,:+-]\d)\d?)/(?P<d1>\d\d?)(?:-|\u2013|[ \t]+(?:to|-|\u2013)[ \t]+)"
    r"(?P<m2>\d\d?)/(?P<d2>\d\d?)(?:/(?P<year>\d\d(?:\d\d)?))?"  # "5/14-5/20/2025"
    r"(?![\w/%+]|[.,:-]\d)"
)
MONTH_SPAN = re.compile(
    rf"(?P<m1>\d(?<![\w/.,:+-]\d)\d?)/(?P<y1>{_YEAR4})[ \t]*(?:-|\u2013|to)[ \t]*"
    rf"(?P<m2>\d\d?)/(?P<y2>{_YEAR4})(?![\w/%+]|[.,:-]\d)"
)
SPACED_BIRTH_DATE = re.compile(
    r"(?:dob|date[ \t]+of[ \t]+birth)[ \t:]*"
    rf"(?P<date>(?P<a>\d{{1,2}})[ \t](?P<b>\d{{1,2}})[ \t](?P<year>{_YEAR4}))(?!\w|[/.-]\d)"
)
_SPACED_BIRTH_WORDS = frozenset(("dob", "date"))
ISO = re.compile(
    rf"(?P<year>{_YEAR4})(?<![\w/.,:-]\d{{4}})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})"
    r"(?!(?!t\d)[\w/%]|[.,:-]\d)"
)
MONTH_LED = re.compile(
    rf"(?P<month>{_MONTH})(?![a-z])\.?"
    rf"(?:(?:[ \t]+(?:the[ \t]+)?|-(?=\d))(?P<day>{_DAY}|{_ORDINAL_WORD})(?![\w]))?"
    rf"(?:(?:,?[ \t]+|,[ \t]*)(?:of[ \t]+)?(?P<year>{_YEAR4}|['\u2019]\d\d)(?!\w))?"
)
DAY_LED = re.compile(
    r"(?P<day>\d(?<![\w.-]\d)\d?(?:st|nd|rd|th)?)(?:[ \t]+of[ \t]+|[ \t]+|-)?"
    rf"(?P<month>{_MONTH})\.?(?![a-z])"
    rf"(?:(?:,?[ \t]+|-)?(?P<year>{_YEAR4})(?!\w)|-(?P<yy>\d\d)(?![\w:]))?"
)
ORDINAL_OF_MONTH = re.compile(
    rf"(?P<day>{_ORDINAL_WORD})[ \t]+of[ \t]+(?P<month>{_MONTH})(?![a-z])"
    rf"(?:,?[ \t]+(?P<year>{_YEAR4})(?!\w))?"
)
THE_DAY = re.compile(
    rf"the[ \t]+(?P<day>(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)|{_ORDINAL_WORD})(?![\w-])"
)
_DAY_PREPOSITION = re.compile(
    r"(?:on|by|until|till|through|thru|before|after|since|from|starting|beginning|than|around|"
    r"about|approx\.?|approximately|mon|monday|tue|tues|tuesday|wed|wednesday|thu|thur|thurs|"
    r"thursday|fri|friday|sat|saturday|sun|sunday|visit|appointment|appt|due|"
    r"(?:morning|afternoon|evening|night)[ \t]+of)[ \t]+$"
)
_NOT_A_DAY_AFTER = re.compile(
    r"[ \t]+(?:day|days|week|weeks|month|visit|dose|doses|cycle|attempt|time|floor|percentile|"
    r"trimester|grade|postoperative|post-op|hospital|of[ \t]+(?:the[ \t]+)?(?:day|week|cycle|"
    r"treatment))\b"
)
_WORD_AFTER = re.compile(r"[ \t]+(?!of\b|at\b|and\b|or\b|in\b)[a-z]")
_MONTH_ALONE_CUE = re.compile(
    r"(?:in|since|until|till|through|during|by|from|early|mid|late|last|next|this)(?:[ \t]+|-)"
    r"(?:(?:early|mid|late)(?:[ \t]+|-))?$"
)
# Words before a bare "m/d" that make it a date even when it reads like a score ("on 3/10").
_DATE_CUE = re.compile(
    r"\b(?:on|since|until|till|dated?|dos|date[ \t]+of[ \t]+(?:service|visit|exam|injury)|seen|"
    r"visit|admitted|discharged|drawn|collected|performed|done|given|filled|written|scheduled|due|effective|expires?|expired|returns?|"
    r"labs?|out|removed|placed|inserted|started|stopped|held|resumed|discontinued|changed|"
    r"lmp|edd|edc|(?:results?|labs?)[ \t]+from|"
    r"f/u|follow-up|week of|dose|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|meeting|conference)[ \t,(]*$"
)
_MEASURE_BEFORE = re.compile(
    r"\b(?:bp|b/p|blood pressure|pain|strength|power|motor|reflexes|dtrs?|murmur|grade|"
    r"score|scored|vision|acuity|va|ratio|i:e|tabs?|tablets?|caps?|capsules?|phq-?\d*|gad-?\d*|"
    r"gcs|apgars?|mmse|moca|bims|slums|nihss|rass|cam|flacc|ciwa|cows|sensation|pulses?|x|times|"
    r"rated|sats?|fraction)[ \t:]*$"
)
_MEASURE_AFTER = re.compile(
    r"[ \t]*(?:mm ?hg|mg|mcg|g|ml|units?|tabs?|tablets?|caps?|strength|murmur|pain|"
    r"reflexes|bilat|bilaterally|b/l|power|cm|mm|%|of|tsp|tbsp|cups?|doses?|dtrs?|motor|"
    r"systolic|diastolic|holosystolic|ejection|sem|hsm|blowing|harsh|recall|words?|items?|"
    r"criteria|sessions?|points?|correct|cores?|views?|beats?|out[ \t]+of|wks?|weeks?|tubular)\b"
)
# A study or test named just before a bare "m/d" dates it ("CT head 3/10", "echo 4/2").
_TEST_BEFORE = re.compile(
    r"\b(?:ct|cta|mri|mra|cxr|x-?rays?|xr|echo|tte|tee|eeg|cveeg|ekg|ecg|ultrasound|us|scan|"
    r"biopsy|colonoscopy|egd|pet|dexa|mammogram|imaging|culture|cultures)"
    r"(?:[ \t]+[a-z]+)?[ \t:,]*$"
)
_BARE_MD = r"(?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0?[1-9])"  # "3/10", "12/31": a month, a day
# After "m/d": a colon that opens its results, a second "m/d" making a span of days, a time.
_DATED_AFTER = re.compile(
    rf":|-{_BARE_MD}(?!\d)|[ \t]+(?:[01]?\d|2[0-3]):[0-5]\d\b"
)  # "3/3 21:00": a day and its time
_RANGE_BEFORE = re.compile(rf"(?<![\d/]){_BARE_MD}-$")
# A table row that opens with a bare date, and a cell that holds only one.
_DATED_ROW = re.compile(rf"[ \t]*(?P<date>{_BARE_MD})(?P<year>/\d{{2,4}})?[ \t]*(?:\||\t)")
_DATE_CELL = re.compile(rf"{_BARE_MD}(?:/(?:\d\d){{1,2}})?")
_LAST_WORDS = re.compile(r"([a-z]+)(?:[ \t]+([a-z]+))?[ \t:]*$")


def _eponym_before(before: str) -> bool:
    """ "Beighton 1/9", "Katz ADL 5/6": a named score one or two words before."""
    found = _LAST_WORDS.search(before)
    lex = lexicon()
    return found is not None and any(
        word in lex.eponyms and not lex.is_common(word) for word in found.groups() if word
    )


_VERB_AFTER_MONTH = re.compile(r"[ \t]*(?:mg|mcg|ml|units?|tabs?|times|x)\b")
_DOB_LABEL = re.compile(
    r"(?:\bdob|\bd\.o\.b\.?|date[ \t]+of[ \t]+birth|birth[ \t]*date|\bborn(?:[ \t]+on)?|"
    r"\bb\.)[ \t]*[:#-]?[ \t]*$"
)
# Holidays name a day of the year as surely as "Dec 25" does.
HOLIDAY = re.compile(
    r"(?:Christmas(?:[ \t]+(?:Eve|Day))?|Thanksgiving(?:[ \t]+Day)?"
    r"|New[ \t]+Year'?s(?:[ \t]+(?:Eve|Day))?"
    r"|Easter(?:[ \t]+Sunday)?|Halloween|Independence[ \t]+Day|Memorial[ \t]+Day|Labor[ \t]+Day"
    r"|Veterans[ \t]+Day|Valentine'?s[ \t]+Day|Mother'?s[ \t]+Day|Father'?s[ \t]+Day)(?![\w])"
)
YEAR_OF_BIRTH = re.compile(
    r"(?:born(?:[ \t]+in)?|dob|year[ \t]+of[ \t]+birth|yob|birth[ \t]*year)[ \t]*[:#-]?[ \t]*"
    rf"(?P<year>{_YEAR4})(?![\w/-]|\.\d)"
)
# Ages are matched from 90 up only ("9x", "1xx"): younger ages stay, and a digit-led scan
# that skips every other number is fast.
AGE_NUMBER = re.compile(
    r"(?P<age>9(?<![\w.,/-]9)\d|1(?<![\w.,/-]1)[0-3]\d)"
    r"(?:[ \t]*-?[ \t]*(?:y/o|y\.o\.?|yo[mf]?|yrs?\.?(?:[ \t-]*old)?|years?(?:[ \t-]*old)?|"
    r"years?[ \t]+of[ \t]+age|year-old|yr-old|y(?=[ \t]*[mf]\b|\)))|"
    r"(?:th)?[ \t]+birthday)(?!\w)"
)
# "(93F)", "a 94M": an age glued to the sex.
AGE_SEX = re.compile(r"(?P<age>9(?<![\w.,/-]9)\d|1(?<![\w.,/-]1)[0-3]\d)[mf](?![\w])")
_TEMPERATURE_BEFORE = re.compile(r"\b(?:t|temp|tmax|temperature)[ \t:]*$")
AGE_LABEL = re.compile(
    r"age(?:[ \t]*[:=]|d|[ \t]+of|s)?[ \t]*(?P<age>\d{2,3})(?:y(?:rs?|o)?)?(?!\w|\.\d)"
)  # "Age: 92", "Age: 92Y"
_AGE_IN_WORDS = (
    r"(?:ninety|one[ \t]+hundred(?:[ \t]+and)?)(?:[ \t-]+(?:" + "|".join(_UNITS) + r"))?"
)
AGE_WORDS = re.compile(rf"(?P<age>{_AGE_IN_WORDS})(?=[ \t-]+(?:years?|yrs?)[ \t-]*old)")
# "he turned ninety one this year", "she is ninety-two"
AGE_WORDS_OF_PERSON = re.compile(
    rf"(?:turned|turns|is|was|am)[ \t]+(?P<age>{_AGE_IN_WORDS})(?![ \t-]*(?:percent|%|mg|days?|"
    r"minutes?|pounds?|lbs?|kg))(?=[ \t]*(?:[,;.)!?]|$|\n|and\b|but\b|this\b|last\b|today\b|"
    r"now\b|in\b|on\b|years?\b))"
)
# "she is 94 and wants to go home", "he turned 91 last week", "I am 93": an age, said plainly.
AGE_OF_PERSON = re.compile(
    r"(?:he|she|patient|pt|i)[ \t]+(?:is|was|am|turned|turns|will[ \t]+be)[ \t]+"
    r"(?P<age>\d{2,3})(?=[ \t]*(?:[,;.)!?]|$|\n|and\b|but\b|with\b|who\b|today\b|now\b|"
    r"last\b|this\b|next\b|in\b|on\b|at\b))(?!\.\d)"
)
# The words the word-led patterns above open with: they are tried only where one stands.
_MONTH_WORDS = frozenset(
    words("jan january feb february mar march apr april may jun june jul july aug august sep")
    + words("sept september oct october nov november dec december")
)
_ORDINAL_WORDS = frozenset(
    words("twenty thirty thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth")
    + words("nineteenth twentieth thirtieth eleventh twelfth first second third fourth fifth")
    + words("sixth seventh eighth ninth tenth")
)
_HOLIDAY_WORDS = frozenset(
    words("christmas thanksgiving new easter halloween independence memorial labor veterans")
    + words("valentine valentines mother mothers father fathers")
)
_BIRTH_WORDS = frozenset(words("born dob year yob birth birthyear"))
_AGE_WORDS = frozenset(words("ninety one"))
_AGE_VERBS = frozenset(words("turned turns is was am"))
_PERSON_WORDS = frozenset(words("he she patient pt i"))
_SEPARATORS = frozenset("/.-")
_CENTURIES = frozenset(("19", "20"))
# What may follow the digits of DAY_LED's day: "st", "nd", "rd", "th", a space or a dash, or a
# month glued to it ("3mar").
_AFTER_DAY = frozenset("snrt \t-jfmaod")
_TWO_DIGIT_YEAR_PIVOT = 30  # "62" is 1962, "25" is 2025: notes rarely date anything after 2030.


class FoundDate(NamedTuple):
    start: int
    end: int
    year_span: tuple[int, int] | None
    year: int | None
    month: int | None
    day: int | None


def _full_year(text: str) -> int:
    value = int(text)
    if len(text) == 2:
        return 2000 + value if value <= _TWO_DIGIT_YEAR_PIVOT else 1900 + value
    return value


def _month_day(first: int, second: int) -> tuple[int, int] | None:
    """Read "mm/dd" (US order) or, failing that, "dd/mm"."""
    if 1 <= first <= 12 and 1 <= second <= 31:
        return first, second
    if 1 <= second <= 12 and 1 <= first <= 31:
        return second, first
    return None


def _in_a_row_of_dates(lower: str, start: int, end: int) -> bool:
    """A table cell that holds only this "m/d", on a line whose other cells hold a date that no
    scale could read ("06/03", "03/03/2025"; not a row of strengths "5/5 | 4/5")."""
    line_start = lower.rfind("\n", 0, start) + 1
    line_end = lower.find("\n", end)
    line = lower[line_start : len(lower) if line_end < 0 else line_end]
    cells = [cell.strip() for cell in re.split(r"\||\t", line)]
    if lower[start:end] not in cells:
        return False
    cells.remove(lower[start:end])
    dates = [cell for cell in cells if _DATE_CELL.fullmatch(cell)]
    return any(cell.count("/") == 2 or not _scale_reading(*_month_and_day(cell)) for cell in dates)


def _in_a_column_of_dates(lower: str, start: int) -> bool:
    """An "m/d" that opens a table's row, in a column of such rows (up to five above and below)
    where one date is one no scale could read ("09/08", "03/03/2025"): not "5/5 | 4/5"."""
    line_start = lower.rfind("\n", 0, start) + 1
    if lower[line_start:start].strip() or not _DATED_ROW.match(lower, line_start):
        return False
    for step in (-1, 1):
        for at in _neighbour_lines(lower, line_start, step):
            row = _DATED_ROW.match(lower, at)
            if row is None:
                break
            if row.group("year") or not _scale_reading(*_month_and_day(row.group("date"))):
                return True
    return False


def _neighbour_lines(lower: str, line_start: int, step: int, limit: int = 5) -> Iterator[int]:
    """The starts of up to ``limit`` lines above (``step`` -1) or below (+1) a line."""
    at = line_start
    for _ in range(limit):
        if step < 0:
            if at == 0:
                return
            at = lower.rfind("\n", 0, at - 1) + 1
        else:
            line_break = lower.find("\n", at)
            if line_break < 0:
                return
            at = line_break + 1
        yield at


def _month_and_day(cell: str) -> tuple[int, int]:
    month, day = cell.split("/")[:2]
    return int(month), int(day)


def _scale_reading(numerator: int, denominator: int) -> bool:
    """Scales read "n/10" (pain), "n/5" (strength) and "n/n" (full marks)."""
    return denominator in (5, 10) or numerator == denominator


def _bare_month_day(match: re.Match[str], month: str, day: str) -> tuple[int, int] | None:
    parts = int(match.group(month)), int(match.group(day))
    return parts if 1 <= parts[0] <= 12 and 1 <= parts[1] <= 31 else None


def _is_measurement(lower: str, start: int, end: int, numerator: int, denominator: int) -> bool:
    """A bare "m/d" that is a reading, a scale or a fraction, not a date."""
    if _MEASURE_AFTER.match(lower, end, min(len(lower), end + 14)):
        return True
    before = lower[max(0, start - 24) : start]
    if _DATE_CUE.search(before) or _TEST_BEFORE.search(before):
        return False
    if _MEASURE_BEFORE.search(before) or _eponym_before(before):
        return True
    if _DATED_AFTER.match(lower, end) or _RANGE_BEFORE.search(before):
        return False  # "CT head 3/10: ...", "EEG 3/10-3/11": dated results, a span of days
    if _in_a_row_of_dates(lower, start, end) or _in_a_column_of_dates(lower, start):
        return False  # "Lab | 06/03 | 07/01 | 08/05", "09/09 | 95 | 0": a table's dates
    return _scale_reading(numerator, denominator)


def _numeric_dates(text: NoteText) -> Iterator[FoundDate]:
    """ "03/14/1962", "11/2024", "1962-03-14", tried only at the numbers such a date opens with
    (see ``text.py``): one or two digits and a separator, or a year and a separator."""
    lower, runs = text.lower, text.digit_runs
    numeric_starts = [
        start for start, end in runs if end - start <= 2 and lower[end : end + 1] in _SEPARATORS
    ]
    for match in matches_from(NUMERIC, lower, numeric_starts):
        a, b, c, sep = match.group("a"), match.group("b"), match.group("c"), match.group("sep")
        if c is not None:
            if len(b) > 2:
                continue
            parts = _month_day(int(a), int(b))
            if parts is not None:
                yield FoundDate(*match.span(), match.span("c"), _full_year(c), *parts)
        elif len(b) == 4:
            if sep != "." and 1 <= int(a) <= 12 and b[:2] in ("19", "20"):
                yield FoundDate(*match.span(), match.span("b"), int(b), int(a), None)
        elif sep == "/" and len(b) <= 2:
            month, day = int(a), int(b)
            if (
                1 <= month <= 12
                and 1 <= day <= 31
                and not _is_measurement(lower, match.start(), match.end(), month, day)
            ):
                yield FoundDate(*match.span(), None, None, month, day)
    for match in matches_from(MONTH_SPAN, lower, numeric_starts):  # "(02/2025-05/2025)"
        for month, year in (("m1", "y1"), ("m2", "y2")):
            if 1 <= int(match.group(month)) <= 12:
                start, end = match.start(month), match.end(year)
                yield FoundDate(
                    start,
                    end,
                    match.span(year),
                    int(match.group(year)),
                    int(match.group(month)),
                    None,
                )
    for match in matches_from(DAY_SPAN, lower, numeric_starts):
        first, second = _bare_month_day(match, "m1", "d1"), _bare_month_day(match, "m2", "d2")
        if first and second and not _is_measurement(lower, match.start(), match.end("d1"), *first):
            year = match.group("year")
            yield FoundDate(match.start(), match.end("d1"), None, None, *first)
            if year is None:
                yield FoundDate(match.start("m2"), match.end(), None, None, *second)
            else:
                yield FoundDate(
                    match.start("m2"), match.end(), match.span("year"), _full_year(year), *second
                )
    iso_starts = [
        start
        for start, end in runs
        if end - start == 4
        and lower[start : start + 2] in _CENTURIES
        and lower[end : end + 1] in _SEPARATORS
    ]
    for match in matches_from(ISO, lower, iso_starts):
        month, day = int(match.group("m")), int(match.group("d"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            year = int(match.group("year"))
            yield FoundDate(*match.span(), match.span("year"), year, month, day)


def _end_without_period(lower: str, end: int) -> int:
    """A full month name does not own the full stop after it ("born 5th of May.")."""
    if lower[end - 1] == "." and lower[end - 4 : end - 1] not in (
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "ept",
        "sep",
        "oct",
        "nov",
        "dec",
    ):
        return end - 1
    return end


def _day_number(text: str | None) -> int | None:
    if not text:
        return None
    digits = re.match(r"\d+", text)
    return int(digits.group()) if digits else 0


def _worded_dates(text: NoteText) -> Iterator[FoundDate]:
    note, lower = text.text, text.lower
    for match in text.matches_at_words(MONTH_LED, _MONTH_WORDS):
        start = match.start()
        if not boundary_before(lower, start, "-"):
            continue
        month_text = note[start : match.end("month")]
        day, year = match.group("day"), match.group("year")
        if not (day or year):
            if _month_alone(note, lower, match):
                yield FoundDate(
                    start, match.end("month"), None, None, _MONTHS[month_text[:3].lower()], None
                )
            continue
        if (
            month_text in ("may", "march", "mar", "dec", "jan")
            and not year
            and _VERB_AFTER_MONTH.match(lower, match.end(), match.end() + 12)
        ):
            continue
        if not day and month_text in ("may", "march", "mar"):
            continue
        year_span = match.span("year") if year else None
        end = match.end() if year else _end_without_period(lower, match.end())
        yield FoundDate(
            start, end, year_span, _full_year(year.lstrip("'\u2019")) if year else None,
            _MONTHS[month_text[:3].lower()], _day_number(day),
        )  # fmt: skip
    # "3rd of March", "14-Feb-2024": a day of one or two digits, then a suffix, a space, a
    # dash or the month's first letter.
    day_starts = [
        start
        for start, end in text.digit_runs
        if end - start <= 2 and lower[end : end + 1] in _AFTER_DAY
    ]
    for match in matches_from(DAY_LED, lower, day_starts):
        if not boundary_before(lower, match.start(), "-"):
            continue
        group = "year" if match.group("year") else "yy"
        year = match.group(group)
        month = _MONTHS[match.group("month")[:3]]
        end = match.end() if year else _end_without_period(lower, match.end())
        yield FoundDate(
            match.start(), end, match.span(group) if year else None,
            _full_year(year) if year else None, month, _day_number(match.group("day")),
        )  # fmt: skip
    for match in text.matches_at_words(ORDINAL_OF_MONTH, _ORDINAL_WORDS):
        if boundary_before(lower, match.start(), "-"):
            year = match.group("year")
            yield FoundDate(
                match.start(), match.end(), match.span("year") if year else None,
                int(year) if year else None, _MONTHS[match.group("month")[:3]], None,
            )  # fmt: skip
    for match in text.matches_at_words(HOLIDAY, _HOLIDAY_WORDS, cased=True):
        if boundary_before(note, match.start()):
            yield FoundDate(*match.span(), None, None, None, None)
    for match in THE_DAY.finditer(lower):
        start = match.start()
        if not boundary_before(lower, start) or not _DAY_PREPOSITION.search(
            lower, max(0, start - 14), start
        ):
            continue
        if _NOT_A_DAY_AFTER.match(lower, match.end(), match.end() + 40):
            continue
        if not match.group("day")[0].isdigit() and _WORD_AFTER.match(lower, match.end()):
            continue  # "before the second fall": a spelled ordinal before a noun
        yield FoundDate(*match.span("day"), None, None, None, None)


def _month_alone(note: str, lower: str, match: re.Match[str]) -> bool:
    """A capitalized month name with no day or year, after "in", "since", "early"..., or
    inside a sentence."""
    month_text = note[match.start() : match.end("month")]
    if not month_text[0].isupper() or (
        match.end("month") < len(note) and note[match.end("month")].isalpha()
    ):
        return False
    if len(month_text) == 3 and month_text.lower() in ("mar", "jun", "jul", "dec", "jan"):
        return False
    start = match.start()
    if _MONTH_ALONE_CUE.search(lower, max(0, start - 20), start) is not None:
        return True
    # Inside a sentence a full month name is the month ("her April appointment"), unless a
    # capitalized word follows it ("April Tran": a name).
    end = match.end("month")
    if len(month_text) <= 3 or not month_text[1:].islower():
        return False
    before = note[max(0, start - 3) : start].rstrip(" \t")
    if not before or before[-1] in ".!?:;\n\"'([-*\u2022":
        return False
    return not (note[end : end + 1] in (" ", "\t") and note[end + 1 : end + 2].isupper())


def _spaced_birth_dates(text: NoteText) -> Iterator[FoundDate]:
    """ "dob 2 14 1954": dictation drops the slashes of a birth date."""
    for match in text.matches_at_words(SPACED_BIRTH_DATE, _SPACED_BIRTH_WORDS):
        parts = _month_day(int(match.group("a")), int(match.group("b")))
        if parts is not None and boundary_before(text.lower, match.start()):
            year = match.group("year")
            yield FoundDate(*match.span("date"), match.span("year"), int(year), *parts)


def find_dates(text: NoteText) -> list[FoundDate]:
    """Dates in the note with their parsed parts, in order of position, without overlaps."""
    found = [*_numeric_dates(text), *_worded_dates(text), *_spaced_birth_dates(text)]
    found.sort(key=lambda date: (date.start, -(date.end - date.start)))
    kept: list[FoundDate] = []
    for date in found:
        if kept and date.start < kept[-1].end:
            if date.end - date.start > kept[-1].end - kept[-1].start:
                kept[-1] = date  # "Mar 3, 2024" over "Mar 3"
            continue
        kept.append(date)
    return kept


def _complete_dates(dates: list[FoundDate]) -> list[dt.date]:
    """Every date of the note that has a year, month and day, latest first."""
    complete: set[dt.date] = set()
    for date in dates:
        if date.year and date.month and date.day:
            try:
                complete.add(dt.date(date.year, date.month, date.day))
            except ValueError:
                continue
    return sorted(complete, reverse=True)


def _reference_date(latest_first: list[dt.date], birth: FoundDate) -> dt.date:
    """The latest complete date in the note other than the birth date, else today."""
    for value in latest_first[:2]:
        if (value.year, value.month, value.day) != (birth.year, birth.month, birth.day):
            return value
    return dt.datetime.now(tz=dt.UTC).date()


def _age_on(birth: FoundDate, on: dt.date) -> int | None:
    if birth.year is None:
        return None
    age = on.year - birth.year
    if birth.month and birth.day and (on.month, on.day) < (birth.month, birth.day):
        age -= 1
    return age


def find_date_candidates(text: NoteText) -> Iterator[Candidate]:
    """Dates (year kept), ages of 90 and over, and birth years that reveal such an age."""
    note, lower = text.text, text.lower
    dates = find_dates(text)
    latest_first = _complete_dates(dates)
    old_birth_years: set[str] = set()
    for date in dates:
        # Every birth label holds a "b" ("dob", "born", "b."): most dates have none before them.
        label_start = max(0, date.start - 30)
        if (
            date.year_span is not None
            and lower.find("b", label_start, date.start) >= 0
            and _DOB_LABEL.search(lower, label_start, date.start)
        ):
            age = _age_on(date, _reference_date(latest_first, date))
            if age is not None and age >= 90:
                year_start, year_end = date.year_span
                old_birth_years.add(note[year_start:year_end])
                if year_start > date.start:
                    yield Candidate(
                        "date", date.start, separator_start(note, date.start, year_start), 50
                    )
                else:
                    yield Candidate("date", separator_end(note, year_end, date.end), date.end, 50)
                yield Candidate("age_over_89", year_start, year_end, 55)
                continue
        yield Candidate("date", date.start, date.end, 50, keep=date.year_span)
    latest_year = max((d.year for d in dates if d.year), default=dt.datetime.now(tz=dt.UTC).year)
    for match in text.matches_at_words(YEAR_OF_BIRTH, _BIRTH_WORDS):
        if boundary_before(lower, match.start()) and latest_year - int(match.group("year")) >= 90:
            old_birth_years.add(match.group("year"))
    for year in old_birth_years:
        # The year first, then the look back: a pattern that opens with a literal is searched
        # fast; one that opens with a look-behind is tried at every character.
        digits = re.escape(year)
        for match in re.finditer(rf"{digits}(?<!\d{digits})(?!\d)", note):
            yield Candidate("age_over_89", match.start(), match.end(), 45)
    yield from _old_ages(text)


def _old_ages(text: NoteText) -> Iterator[Candidate]:
    lower = text.lower
    # "9x" and "1xx" are the only numbers the digit-led age patterns open with.
    old_numbers = [
        start
        for start, end in text.digit_runs
        if (end - start == 2 and lower[start] == "9") or (end - start == 3 and lower[start] == "1")
    ]
    for pattern, matches in (
        (AGE_NUMBER, matches_from(AGE_NUMBER, lower, old_numbers)),
        (AGE_SEX, matches_from(AGE_SEX, lower, old_numbers)),
        (AGE_LABEL, AGE_LABEL.finditer(lower)),
        (AGE_WORDS, text.matches_at_words(AGE_WORDS, _AGE_WORDS)),
        (AGE_OF_PERSON, text.matches_at_words(AGE_OF_PERSON, _PERSON_WORDS)),
        (AGE_WORDS_OF_PERSON, text.matches_at_words(AGE_WORDS_OF_PERSON, _AGE_VERBS)),
    ):
        for match in matches:
            start = match.start()
            if (
                pattern is not AGE_NUMBER
                and pattern is not AGE_SEX
                and not boundary_before(lower, start, "-")
            ):
                continue
            if pattern is AGE_SEX and _TEMPERATURE_BEFORE.search(lower, max(0, start - 8), start):
                continue
            age_text = match.group("age")
            value = int(age_text) if age_text.isdigit() else 90
            if 90 <= value <= 130:
                yield Candidate("age_over_89", *match.span("age"), 55)
