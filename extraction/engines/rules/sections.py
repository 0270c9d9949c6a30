"""The parts of a clinical note: sections by their headers, assessment items, sentences.

Notes spell their headers many ways ("A/P", "Assessment and Plan", "ASSESSMENT AND PLAN",
"Impression", "Dx:"). Every span here is an offset into the original note, so evidence
quotes are always exact substrings of what the clinician wrote. Matching runs on
``ClinicalNote.lower``, a lower-cased copy of the same length.
"""

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from extraction.engines.rules.prefilter import PrefilteredPattern, matches_at, prefiltered

# Header words (lower case) -> section kind. Kinds the engine reasons about:
# complaint, subjective, history, family, social, medications, allergies, ros, exam,
# assessment (diagnostic statements, often with their plans), plan, course (ED course/MDM),
# data, procedure, therapy, maintenance, other.
HEADER_KINDS: dict[str, str] = {
    "cc": "complaint",
    "chief complaint": "complaint",
    "reason for visit": "complaint",
    "reason": "complaint",
    "presenting problem": "complaint",
    "presenting complaint": "complaint",
    "hpi": "subjective",
    "history of present illness": "subjective",
    "interval history": "subjective",
    "interval hx": "subjective",
    "interval": "subjective",
    "subjective": "subjective",
    "s": "subjective",
    "pmh": "history",
    "past medical history": "history",
    "medical history": "history",
    "medical hx": "history",
    "past history": "history",
    "other hx": "history",
    "other history": "history",
    "psychiatric hx": "history",
    "psychiatric history": "history",
    "psh": "history",
    "past surgical history": "history",
    "surgical history": "history",
    "hospitalizations": "history",
    "problem list": "history",
    "fh": "family",
    "family history": "family",
    "family hx": "family",
    "sh": "social",
    "social history": "social",
    "social hx": "social",
    "social": "social",
    "substance use": "social",
    "meds": "medications",
    "medications": "medications",
    "medication": "medications",
    "current medications": "medications",
    "current meds": "medications",
    "medication list": "medications",
    "home medications": "medications",
    "allergies": "allergies",
    "allergy": "allergies",
    "all": "allergies",
    "ros": "ros",
    "review of systems": "ros",
    "exam": "exam",
    "physical exam": "exam",
    "physical examination": "exam",
    "objective": "exam",
    "o": "exam",
    "vitals": "exam",
    "vital signs": "exam",
    "measurements": "exam",
    "growth": "exam",
    "growth/vitals": "exam",
    "mse": "exam",
    "mental status": "exam",
    "mental status exam": "exam",
    "assessment": "assessment",
    "a": "assessment",
    "impression": "assessment",
    "clinical impression": "assessment",
    "diagnostic impression": "assessment",
    "diagnosis": "assessment",
    "diagnoses": "assessment",
    "dx": "assessment",
    "assessment and plan": "assessment",
    "assessment & plan": "assessment",
    "assessment/plan": "assessment",
    "a/p": "assessment",
    "a&p": "assessment",
    "problems addressed": "assessment",
    "plan": "plan",
    "p": "plan",
    "tx": "plan",
    "treatment": "plan",
    "treatment plan": "plan",
    "disposition": "plan",
    "recommendations": "plan",
    "orders": "plan",
    "ed course": "course",
    "ed course/mdm": "course",
    "mdm": "course",
    "medical decision making": "course",
    "hospital course": "course",
    "data": "data",
    "labs": "data",
    "results": "data",
    "studies": "data",
    "outside records": "data",
    "procedure": "procedure",
    "procedures": "procedure",
    "procedure note": "procedure",
    "post-procedure": "procedure",
    "psychotherapy": "therapy",
    "interventions": "therapy",
    "intervention": "therapy",
    "immunizations": "maintenance",
    "health maintenance": "maintenance",
    "development": "other",
    "safety": "other",
    "oral health": "other",
    "risk": "other",
    "risk assessment": "other",
    "response": "other",
}

# Headers also recognised in the middle of a line ("Client: 38 y/o M. Diagnosis: MDD ...").
INLINE_HEADERS = ("diagnosis", "diagnoses", "dx", "assessment", "impression")

PLAN_LIKE = frozenset({"assessment", "plan", "course"})
HISTORY_LIKE = frozenset({"history", "family", "social", "medications", "allergies", "ros"})

_LINE_HEADER = re.compile(
    r"^[ \t]*(?:#+[ \t]*)?(?P<name>[a-z][a-z /&\-]{0,38}?)[ \t]*(?:\([^)\n]{0,40}\))?[ \t]*:",
)
_CAPS_HEADER = re.compile(
    r"^[ \t]*(?P<name>[A-Z][A-Z /&\-]{1,40}?)[ \t]*(?:\([^)\n]*\))?[ \t]*:?[ \t]*$"
)
_INLINE_HEADER = prefiltered(
    re.compile(
        r"(?:(?<=[.|])[ \t]+|^)(?P<name>" + "|".join(INLINE_HEADERS) + r")[ \t]*:", re.MULTILINE
    )
)
_ITEM_START = re.compile(r"^[ \t]*(?:#?\d{1,2}[.)]|#\d{1,2}|[-\u2022*])[ \t]+")
# Each alternative starts with its mark and the abbreviation checks come after it, so the
# regex engine can jump from mark to mark instead of testing the lookbehinds everywhere.
_SENTENCE_END = re.compile(
    r"\.(?<!\bdr\.)(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bapprox\.)(?=\s+[a-z0-9\[#(])"
    r"|!(?=\s)|\?(?=\s)|\n",
)
# Where a diagnostic statement ends and its plan begins: " - ", a sentence end, ";".
_WORD = re.compile(r"[a-z0-9]+")
_SPACES = re.compile(r"\s+")
_SLASH = re.compile(r"\s*/\s*")
# A header joining the orders (plan) and their results (data), read as the data.
_ORDERS_AND_RESULTS = frozenset({"plan", "data"})
_HEADING_END = re.compile(r"\s[-\u2013\u2014]{1,2}\s|;|\.(?=\s|$)|\n")


def same_length_lower(text: str) -> str:
    """Lower-case without changing any offset (a few characters grow when lower-cased)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Section:
    kind: str
    name: str
    start: int  # header start
    body_start: int
    end: int


@dataclass
class AssessmentItem:
    """One numbered, bulleted or single-line statement of an assessment section."""

    start: int
    end: int
    heading: Span  # the diagnostic statement, before its plan
    section_kind: str
    is_plan_line: bool = False


@dataclass
class ClinicalNote:
    text: str
    lower: str = field(init=False)
    # pattern -> starts of the sentences holding one of its keywords (sentences_mentioning)
    _keyword_sentences: dict[PrefilteredPattern, frozenset[int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self.lower = same_length_lower(self.text)

    @cached_property
    def sections(self) -> list[Section]:
        return _find_sections(self.text, self.lower)

    @cached_property
    def _section_starts(self) -> list[int]:
        return [section.start for section in self.sections]

    def section_kind_at(self, position: int) -> str:
        """The kind of the section holding ``position``, or "other".

        Sections are sorted and each ends where the next begins (or sooner), so the only
        candidate is the last one starting at or before ``position``.
        """
        index = bisect.bisect_right(self._section_starts, position) - 1
        if index >= 0 and position < self.sections[index].end:
            return self.sections[index].kind
        return "other"

    def sections_of(self, *kinds: str) -> list[Section]:
        return [s for s in self.sections if s.kind in kinds]

    @cached_property
    def has_plan_sections(self) -> bool:
        """Whether the note has an assessment, plan or course section (else it is unstructured
        and any sentence outside the history may carry the plan)."""
        return bool(self.sections_of(*PLAN_LIKE))

    @cached_property
    def items(self) -> list[AssessmentItem]:
        items: list[AssessmentItem] = []
        for section in self.sections_of("assessment"):
            items.extend(_split_items(self, section))
        return items

    @cached_property
    def has_assessment(self) -> bool:
        return any(not item.is_plan_line for item in self.items)

    def sentences(self, start: int = 0, end: int | None = None) -> list[Span]:
        end = len(self.text) if end is None else end
        spans: list[Span] = []
        cursor = start
        for match in _SENTENCE_END.finditer(self.lower, start, end):
            stop = match.end() if match.group() != "\n" else match.start()
            if self.text[cursor:stop].strip():
                spans.append(Span(cursor, stop))
            cursor = match.end()
        if self.text[cursor:end].strip():
            spans.append(Span(cursor, end))
        return spans

    @cached_property
    def all_sentences(self) -> list[Span]:
        return self.sentences()

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [span.start for span in self.all_sentences]

    @cached_property
    def _sentence_by_start(self) -> dict[int, Span]:
        return {span.start: span for span in self.all_sentences}

    def sentence_at(self, position: int) -> Span:
        index = bisect.bisect_right(self._sentence_starts, position) - 1
        if index >= 0:
            span = self.all_sentences[index]
            if span.start <= position < span.end:
                return span
        return Span(position, position)

    def sentences_mentioning(self, *patterns: PrefilteredPattern) -> list[Span]:
        """The sentences, in note order, holding a keyword of one of ``patterns``: the only
        ones where they can match (every sentence when one has no keywords).

        Found with plain substring searches of the whole note, once per pattern and note, so
        a loop over the candidates replaces a regex search of every sentence.
        """
        starts: set[int] = set()
        for pattern in patterns:
            keywords = pattern.needed_keywords
            if keywords is None:
                return self.all_sentences
            known = self._keyword_sentences.get(pattern)
            if known is None:
                known = self._keyword_sentences[pattern] = self._sentences_holding(keywords)
            starts |= known
        return [self._sentence_by_start[start] for start in sorted(starts)]

    def _sentences_holding(self, keywords: Iterable[str]) -> frozenset[int]:
        starts: set[int] = set()
        for keyword in keywords:
            position = self.lower.find(keyword)
            while position >= 0:
                sentence = self.sentence_at(position)
                if position + len(keyword) <= sentence.end:
                    starts.add(sentence.start)
                # A later occurrence that starts in this sentence adds nothing new.
                position = self.lower.find(keyword, max(position + 1, sentence.end))
        return frozenset(starts)

    @cached_property
    def words(self) -> frozenset[str]:
        """Every run of letters and digits in the note."""
        return frozenset(_WORD.findall(self.lower))

    def find_terms(
        self, regex: re.Pattern[str], first_words: frozenset[str] | None
    ) -> Iterator[re.Match[str]]:
        """``regex.finditer(self.lower)`` for a term list (``codebook.term_pattern``), tried
        only where one of its terms' first words is (``codebook.term_first_words``)."""
        if first_words is None:
            return regex.finditer(self.lower)
        starts: list[int] = []
        for word in first_words & self.words:
            found = self.lower.find(word)
            while found >= 0:
                starts.append(found)
                found = self.lower.find(word, found + 1)
        return matches_at(regex, self.lower, sorted(starts))

    def find_terms_between(
        self, regex: re.Pattern[str], first_words: frozenset[str] | None, start: int, end: int
    ) -> Iterator[re.Match[str]]:
        """``regex.finditer(self.lower, start, end)`` for a term list, tried only at the words
        of that stretch that begin one of its terms. A match begins with a term's first word,
        a whole word; the regex engine would try a large term list at every position of the
        stretch instead. For short stretches, such as assessment items."""
        if first_words is None:
            return regex.finditer(self.lower, start, end)
        starts = [
            word.start()
            for word in _WORD.finditer(self.lower, start, end)
            if word.group() in first_words
        ]
        return matches_at(regex, self.lower, starts, end)

    def sentences_matching(self, pattern: PrefilteredPattern) -> list[Span]:
        """The sentences holding at least one match of ``pattern``, in note order."""
        found: dict[int, Span] = {}
        for match in pattern.finditer(self.lower):
            span = self.sentence_at(match.start())
            if span.end > span.start:
                found.setdefault(span.start, span)
        return list(found.values())

    def quote(self, start: int, end: int, limit: int = 240) -> str:
        """An exact substring of the note around [start, end), trimmed of outer whitespace."""
        start = max(0, start)
        end = min(len(self.text), max(end, start))
        if end - start > limit:
            end = start + limit
        snippet = self.text[start:end]
        stripped = snippet.strip()
        return stripped if stripped else snippet

    def plan_like_spans(self) -> list[Span]:
        return [Span(s.body_start, s.end) for s in self.sections_of(*PLAN_LIKE)]


def _canonical_header(name: str) -> str | None:
    """The header's key in HEADER_KINDS. Spaces around a slash do not matter, and two known
    headers of one kind joined by a slash are that kind ("MDM / ED course", "Medical decision
    making/ED course" are the course)."""
    name = _SLASH.sub("/", _SPACES.sub(" ", name.strip().lower()))
    if name in HEADER_KINDS:
        return name
    parts = name.split("/")
    if not all(part in HEADER_KINDS for part in parts):
        return None
    kinds = {HEADER_KINDS[p] for p in parts}
    if len(kinds) == 1:
        return parts[0]
    if kinds == _ORDERS_AND_RESULTS:
        # "Orders/results": a list of the tests done and what they showed, the MDM data.
        return next(p for p in parts if HEADER_KINDS[p] == "data")
    return None


def _find_sections(text: str, lower: str) -> list[Section]:
    headers: list[tuple[int, int, str, str, bool]] = []  # start, body_start, kind, name, inline
    offset = 0
    for line in text.splitlines(keepends=True):
        line_lower = lower[offset : offset + len(line)]
        # A line header ends with ":"; most lines have none, and the regex backtracks on each.
        match = _LINE_HEADER.match(line_lower) if ":" in line_lower else None
        name = _canonical_header(match.group("name")) if match else None
        if match and name:
            headers.append((offset, offset + match.end(), HEADER_KINDS[name], name, False))
        else:
            caps = _CAPS_HEADER.match(line.rstrip("\r\n"))
            caps_name = _canonical_header(caps.group("name")) if caps else None
            if caps and caps_name and len(caps_name) > 2:
                body = offset + len(line)
                headers.append((offset, body, HEADER_KINDS[caps_name], caps_name, False))
        offset += len(line)
    known = {h[0] for h in headers}
    for match in _INLINE_HEADER.finditer(lower):
        line_start = lower.rfind("\n", 0, match.start()) + 1
        if line_start in known and lower[line_start : match.start()].strip() == "":
            continue
        if match.start() > line_start:
            headers.append(
                (match.start("name"), match.end(), "assessment", match.group("name"), True)
            )
    headers.sort()
    sections: list[Section] = []
    for index, (start, body_start, kind, name, inline) in enumerate(headers):
        following = headers[index + 1][0] if index + 1 < len(headers) else len(text)
        if inline:
            line_end = text.find("\n", body_start)
            following = min(following, line_end if line_end != -1 else len(text))
        sections.append(Section(kind, name, start, body_start, following))
    return sections


_PLAN_LINE = re.compile(
    r"^(?:start|started|increase|decrease|continue|refill|hold|stop|discontinue|add|begin|"
    r"order|ordered|check|repeat|recheck|return|follow|f/u|rtc|next|refer|referral|counsel|"
    r"discussed|reviewed|advised|educat|sleep hygiene|safety|guidance|anticipatory|"
    r"pre-participation|prescriptions?|patient|will|plan|labs?)\b"
)
_DOSE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|units?|ml|g)\b")


def _split_items(note: ClinicalNote, section: Section) -> list[AssessmentItem]:
    text, lower = note.text, note.lower
    body_start = section.body_start
    lines: list[tuple[int, int]] = []
    position = body_start
    while position < section.end:
        newline = text.find("\n", position, section.end)
        stop = section.end if newline == -1 else newline
        lines.append((position, stop))
        position = stop + 1
    raw_items: list[list[int]] = []
    numbered = any(_ITEM_START.match(lower[s:e]) for s, e in lines)
    for start, stop in lines:
        if not text[start:stop].strip():
            continue
        starts_item = bool(_ITEM_START.match(lower[start:stop]))
        if not raw_items or starts_item or not numbered:
            raw_items.append([start, stop])
        else:
            raw_items[-1][1] = stop
    items: list[AssessmentItem] = []
    for start, stop in raw_items:
        marker = _ITEM_START.match(lower[start:stop])
        content_start = start + (marker.end() if marker else 0)
        while content_start < stop and text[content_start].isspace():
            content_start += 1
        heading, is_plan = statement_heading(lower, content_start, stop)
        items.append(AssessmentItem(start, stop, heading, section.kind, is_plan))
    return items


def statement_heading(lower: str, start: int, stop: int) -> tuple[Span, bool]:
    """The diagnostic statement opening ``lower[start:stop]`` (up to its plan) and whether
    the text reads as a plan line instead (a plan verb first, or a dose in the statement)."""
    heading_end = _HEADING_END.search(lower, start, stop)
    heading = Span(start, heading_end.start() if heading_end else stop)
    is_plan = bool(_PLAN_LINE.match(lower[start:stop])) or bool(
        _DOSE.search(lower, heading.start, heading.end)
    )
    return heading, is_plan
