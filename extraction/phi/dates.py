"""Dates and ages.

Safe Harbor removes every element of a date except the year, so a date candidate covers the
whole date and names its year (``keep``), which the placeholder keeps: "03/14/1962" becomes
"[DATE]/1962". Ages of 90 or more become "[90+]", and so does the year of birth of anyone that
old (45 CFR 164.514(b)(2)(i)(C)); ages under 90 and all other years stay.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from extraction.phi.redaction import Candidate

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
    "thirtieth"
).split()
_ORDINAL_WORD = (
    r"(?:(?:twenty|thirty)[- ](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
    + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
    + ")"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR4 = r"(?:19|20)\d{2}"
_NOT_NUMBER_AFTER = r"(?![\w/%]|[.,:-]\d)"

NUMERIC_DATE = re.compile(
    rf"(?<![\w/.,:-])(?P<md>\d{{1,2}}(?P<sep>[/.-])\d{{1,2}})(?P=sep)"
    rf"(?P<year>{_YEAR4}|\d{{2}}){_NOT_NUMBER_AFTER}"
)
ISO_DATE = re.compile(
    rf"(?<![\w/.,:-])(?P<year>{_YEAR4})(?P<sep>[-/.])(?P<md>\d{{1,2}}(?P=sep)\d{{1,2}})"
    r"(?![\w/%]|[.,:-]\d)(?:(?<=\d)(?=T\d))?"
)
MONTH_YEAR_NUMERIC = re.compile(
    rf"(?<![\w/.,:-])(?P<md>0?[1-9]|1[0-2])[/-](?P<year>{_YEAR4}){_NOT_NUMBER_AFTER}"
)
MONTH_DAY_NUMERIC = re.compile(
    r"(?<![\w/.,:+-])(?P<md>(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9]))"
    r"(?![\w/%+]|[.,:-]\d)"
)
MONTH_NAME_DATE = re.compile(
    rf"(?i)(?<![\w-])(?P<md>{_MONTH}[ \t]+(?:the[ \t]+)?(?:{_DAY}|{_ORDINAL_WORD})(?!\w))"
    rf"(?:(?P<ysep>,?[ \t]+|,[ \t]*)(?:of[ \t]+)?(?P<year>{_YEAR4})(?!\w))?"
    rf"|(?<![\w-])(?P<md2>(?:the[ \t]+)?(?:{_DAY}|{_ORDINAL_WORD})(?:[ \t]+of)?[ \t]+{_MONTH})(?!\w)"
    rf"(?:(?P<ysep2>,?[ \t]+)(?P<year2>{_YEAR4})(?!\w))?"
)
MONTH_AND_YEAR = re.compile(rf"(?i)(?<![\w-])(?P<md>{_MONTH})(?:,?[ \t]+)(?P<year>{_YEAR4})(?!\w)")
# A month alone after a preposition of time: "since March", "in early May".
MONTH_ALONE = re.compile(
    r"(?<![\w-])(?:in|since|until|till|through|during|by|from|early|mid|late|last|next|this)"
    r"(?:[ \t]+|-)(?:early[ \t]+|mid[ \t-]+|late[ \t]+)?"
    r"(?P<md>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)(?![\w-])"
)
DAY_OF_MONTH = re.compile(
    r"(?i)(?<![\w-])(?:on|by|until|till|through|before|after|since|from|starting|beginning)"
    r"[ \t]+the[ \t]+(?P<md>(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)|" + _ORDINAL_WORD + r")"
    r"(?![\w-])(?![ \t]+(?:day|days|week|weeks|month|visit|dose|doses|cycle|attempt|time|"
    r"floor|percentile|trimester|grade|postoperative|post-op|hospital|of[ \t]+(?:the[ \t]+)?"
    r"(?:day|week|cycle|treatment)))"
)

_DATE_CUE = re.compile(
    r"(?i)(?:\b(?:on|since|from|until|till|by|dated?|last|next|through|starting|started|"
    r"stopped|of|dos|seen|visit|admitted|discharged|drawn|collected|performed|done|given|"
    r"filled|written|scheduled|due|effective|expires?|expired|returns?|f/u|follow-up|"
    r"around|before|after|week of|dose)\b|\()[ \t]*$"
)
_MEASURE_BEFORE = re.compile(
    r"(?i)\b(?:bp|b/p|blood pressure|pain|strength|power|motor|reflexes|dtrs?|murmur|grade|"
    r"score|scored|vision|acuity|va|ratio|i:e|tabs?|tablets?|caps?|capsules?|phq-?\d*|gad-?\d*|"
    r"gcs|apgars?|mmse|moca|sensation|pulses?|x|times|rated|sats?|fraction)[ \t:]*$"
)
_MEASURE_AFTER = re.compile(
    r"(?i)[ \t]*(?:mm ?hg|mg|mcg|g|ml|units?|tabs?|tablets?|caps?|strength|murmur|pain|"
    r"reflexes|bilat|bilaterally|b/l|power|cm|mm|%|of|tsp|tbsp|cups?|doses?|dtrs?|motor)\b"
)
_DOB_LABEL = re.compile(
    r"(?i)(?:\bDOB|\bD\.O\.B\.?|date[ \t]+of[ \t]+birth|birth[ \t]*date|\bborn(?:[ \t]+on)?|"
    r"\bb\.)[ \t]*[:#-]?[ \t]*$"
)
AGE = re.compile(
    r"(?i)(?<![\w.,/-])(?P<age>\d{2,3})(?:[ \t]*-?[ \t]*(?:y/o|y\.o\.?|yo|yrs?\.?[ \t-]*old|"
    r"years?[ \t-]*old|years?[ \t]+of[ \t]+age|year-old|yr-old|y(?=[ \t]*[MF]\b))|"
    r"(?:th)?[ \t]+birthday)(?!\w)"
    r"|(?<![\w-])(?:age[ \t]*[:=]?|aged|age[ \t]+of|ages|at[ \t]+age)[ \t]*(?P<age2>\d{2,3})(?![\w.]|\.\d)"
    r"|(?<![\w-])(?P<age3>(?:ninety|one[ \t]+hundred(?:[ \t]+and)?)(?:[ \t-]+(?:one|two|three|four|"
    r"five|six|seven|eight|nine))?)(?=[ \t-]+(?:years?|yrs?)[ \t-]*old)"
)
YEAR_OF_BIRTH = re.compile(
    r"(?i)(?:\bborn(?:[ \t]+in)?|\bDOB|year[ \t]+of[ \t]+birth|\bYOB|birth[ \t]*year)[ \t]*[:#-]?[ \t]*"
    rf"(?P<year>{_YEAR4})(?![\w/.-])"
)
_TWO_DIGIT_YEAR_PIVOT = 30  # "62" is 1962, "25" is 2025: notes rarely date anything after 2030.


@dataclass(frozen=True)
class FoundDate:
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


def _month_number(text: str) -> int | None:
    return _MONTHS.get(text.strip(" .").lower()[:3])


def _is_measurement(note: str, start: int, end: int, numerator: int, denominator: int) -> bool:
    """A bare "m/d" that is a reading, a scale or a fraction, not a date."""
    before = note[max(0, start - 24) : start]
    if _MEASURE_AFTER.match(note, end, min(len(note), end + 14)):
        return True
    if _DATE_CUE.search(before):
        return False
    if _MEASURE_BEFORE.search(before):
        return True
    # Scales read "n/10" (pain), "n/5" (strength) and "n/n" (full marks).
    return denominator in (5, 10) or numerator == denominator


def find_dates(note: str) -> list[FoundDate]:
    """Dates in ``note`` with their parsed parts, in order of position, without overlaps."""
    found: list[FoundDate] = []
    for match in NUMERIC_DATE.finditer(note):
        first, second = (int(part) for part in re.split(r"[/.-]", match.group("md")))
        parts = _month_day(first, second)
        if parts is None:
            continue
        year = _full_year(match.group("year"))
        found.append(FoundDate(*match.span(), match.span("year"), year, *parts))
    for match in ISO_DATE.finditer(note):
        month, day = (int(part) for part in re.split(r"[/.-]", match.group("md")))
        if 1 <= month <= 12 and 1 <= day <= 31:
            year_span = match.span("year")
            found.append(FoundDate(*match.span(), year_span, int(match.group("year")), month, day))
    for match in MONTH_YEAR_NUMERIC.finditer(note):
        found.append(
            FoundDate(*match.span(), match.span("year"), int(match.group("year")), int(match.group("md")), None)
        )
    for match in MONTH_NAME_DATE.finditer(note):
        suffix = "" if match.group("md") else "2"
        text = match.group("md" + suffix)
        month_word = re.search(_MONTH, text, re.IGNORECASE)
        if month_word is None or not _plausible_month_word(note, match, month_word.group()):
            continue
        day_digits = re.search(r"\d+", text)
        year_text = match.group("year" + suffix)
        year_span = match.span("year" + suffix) if year_text else None
        found.append(
            FoundDate(
                *match.span(),
                year_span,
                int(year_text) if year_text else None,
                _month_number(month_word.group()),
                int(day_digits.group()) if day_digits else None,
            )
        )
    for match in MONTH_AND_YEAR.finditer(note):
        if not _plausible_month_word(note, match, match.group("md")):
            continue
        found.append(
            FoundDate(
                *match.span(), match.span("year"), int(match.group("year")),
                _month_number(match.group("md")), None,
            )  # fmt: skip
        )
    for match in MONTH_ALONE.finditer(note):
        found.append(FoundDate(*match.span("md"), None, None, _month_number(match.group("md")), None))
    for match in DAY_OF_MONTH.finditer(note):
        found.append(FoundDate(*match.span("md"), None, None, None, None))
    for match in MONTH_DAY_NUMERIC.finditer(note):
        month, day = int(match.group("m")), int(match.group("d"))
        if _is_measurement(note, match.start(), match.end(), month, day):
            continue
        found.append(FoundDate(*match.span(), None, None, month, day))
    return _without_overlaps(found)


def _plausible_month_word(note: str, match: re.Match[str], month_text: str) -> bool:
    """Lower-case "may" and "march" are usually verbs; capitalized or abbreviated months are not."""
    word = month_text.strip(" .").lower()
    if word in ("may", "march") and month_text[0].islower():
        after = note[match.end() : match.end() + 12]
        return not re.match(r"[ \t]*(?:mg|mcg|ml|units?|tabs?|times|x)\b", after)
    return True


def _without_overlaps(found: list[FoundDate]) -> list[FoundDate]:
    """Keep the longest reading where several overlap ("Mar 3, 2024" over "Mar 3")."""
    found.sort(key=lambda date: (date.start, -(date.end - date.start)))
    kept: list[FoundDate] = []
    for date in found:
        if kept and date.start < kept[-1].end:
            if date.end - date.start > kept[-1].end - kept[-1].start:
                kept[-1] = date
            continue
        kept.append(date)
    return kept


def _reference_date(dates: list[FoundDate], birth: FoundDate) -> dt.date:
    """The latest complete date in the note other than the birth date, else today."""
    latest: dt.date | None = None
    for date in dates:
        if date is birth or not (date.year and date.month and date.day):
            continue
        try:
            value = dt.date(date.year, date.month, date.day)
        except ValueError:
            continue
        if latest is None or value > latest:
            latest = value
    return latest or dt.datetime.now(tz=dt.UTC).date()


def _age_on(birth: FoundDate, on: dt.date) -> int | None:
    if birth.year is None:
        return None
    age = on.year - birth.year
    if birth.month and birth.day and (on.month, on.day) < (birth.month, birth.day):
        age -= 1
    return age


def find_date_candidates(note: str) -> Iterator[Candidate]:
    """Dates (year kept), ages of 90 and over, and birth years that reveal such an age."""
    dates = find_dates(note)
    old_birth_years: set[str] = set()
    for date in dates:
        before = note[max(0, date.start - 30) : date.start]
        if _DOB_LABEL.search(before) and date.year_span is not None:
            age = _age_on(date, _reference_date(dates, date))
            if age is not None and age >= 90:
                year_start, year_end = date.year_span
                old_birth_years.add(note[year_start:year_end])
                if year_start > date.start:
                    yield Candidate("date", date.start, _strip_separator(note, date.start, year_start), 50)
                else:
                    yield Candidate("date", _skip_separator(note, year_end, date.end), date.end, 50)
                yield Candidate("age_over_89", year_start, year_end, 55)
                continue
        yield Candidate("date", date.start, date.end, 50, keep=date.year_span)
    for match in YEAR_OF_BIRTH.finditer(note):
        year = int(match.group("year"))
        reference = max((d.year for d in dates if d.year), default=dt.datetime.now(tz=dt.UTC).year)
        if reference - year >= 90:
            old_birth_years.add(match.group("year"))
    for year in old_birth_years:
        for match in re.finditer(rf"(?<!\d){re.escape(year)}(?!\d)", note):
            yield Candidate("age_over_89", match.start(), match.end(), 45)
    for match in AGE.finditer(note):
        group = next(name for name in ("age", "age2", "age3") if match.group(name))
        text = match.group(group)
        value = int(text) if text.isdigit() else 90
        if 90 <= value <= 130:
            yield Candidate("age_over_89", *match.span(group), 55)


def _strip_separator(note: str, start: int, end: int) -> int:
    while end > start and note[end - 1] in "/.-, \t":
        end -= 1
    return end


def _skip_separator(note: str, start: int, end: int) -> int:
    while start < end and note[start] in "/.-, \t":
        start += 1
    return start
