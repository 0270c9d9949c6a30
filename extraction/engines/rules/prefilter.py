"""Regexes that look only where the words a match needs are.

Python's regex engine tries a pattern at every position of the text, and most of the engine's
patterns find nothing in most notes: scanning a 3,000-character note costs up to a millisecond
per pattern, for a hundred patterns and more. So each pattern is read once, when compiled, for
literal keywords one of which is inside every match (``\\b(?:ecg|ekg)\\b`` needs "ecg" or "ekg"),
and for how far from the start of a match each keyword can be. Then:

- a text holding none of the keywords cannot match: a plain ``in`` check skips the scan (a
  pattern may need several such sets, "neb" and then "given": each is checked);
- in a long text, a match can only start that far before a keyword, so the regex is tried at
  those few positions (``regex.match(text, start)``, the very attempt a scan makes there).
  The distance may include runs of a character class (``\\d{1,3}\\s*min``): the run before a
  keyword is measured in the text.

Results are those of the plain regex, always. The reading walks the parse tree of the standard
library's own regex parser (``re._parser``, Python 3.11+); anything it cannot prove it leaves
out, so a pattern it does not understand is simply scanned as before.
"""

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

try:
    from re import _constants as sre
    from re import _parser as sre_parser
except ImportError:  # pragma: no cover - a Python whose re module is laid out differently
    sre = sre_parser = None

# Past this many keywords the ``in`` checks cost about what the scan they would save costs.
MAX_KEYWORDS = 40
# Keywords further than this from a match start do not locate it well enough to be used.
MAX_ANCHOR_DISTANCE = 120
# Texts shorter than this are scanned: placing the attempts would cost more than it saves.
MIN_ANCHORED_TEXT = 400
# A keyword check costs about what the regex engine spends on 4 characters of text, so texts
# shorter than 4 characters per keyword are scanned without checking.
CHARS_PER_KEYWORD_CHECK = 4
# A Python call per attempt costs about what the regex engine spends on 8 positions itself.
POSITIONS_PER_ATTEMPT = 8

_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
_UNBOUNDED_WIDTH = getattr(sre_parser, "MAXWIDTH", sys.maxsize)


@dataclass(frozen=True)
class _Run:
    """A step of unbounded length: at least ``least`` characters that ``holds`` accepts."""

    holds: Callable[[str], bool]
    least: int


class _AtTextStart:
    """Where a keyword is in an alternative that starts where the text starts (\\A, or ^
    without MULTILINE): wherever the keyword is, such a match can only start at position 0."""


AT_TEXT_START = _AtTextStart()
# From the start of a match to a keyword: fixed (fewest, most) widths and runs, in order.
Path = tuple[tuple[int, int] | _Run, ...] | _AtTextStart
# keyword -> its path, or None when the keyword is required but its place is not known
Anchors = dict[str, Path | None]


class PrefilteredPattern:
    """A compiled regex with the keywords every match contains (``None``: no prefilter).

    ``search``, ``finditer`` and ``sub`` answer exactly as ``re.Pattern``'s do.
    """

    __slots__ = (
        "anchors",
        "checks",
        "checks_before_locating",
        "keyword_sets",
        "keywords",
        "regex",
        "shortest_checked",
    )

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        requirements = keyword_requirements(regex)
        # Each set holds a keyword of every match; the most selective set comes first.
        self.keyword_sets = [frozenset(anchors) for anchors in requirements]
        self.keywords = self.keyword_sets[0] if requirements else None
        self.shortest_checked = (
            CHARS_PER_KEYWORD_CHECK * len(self.keywords) if self.keywords else sys.maxsize
        )
        # Matches are located from the set that leaves the fewest places to try per keyword.
        located = [anchors for anchors in requirements if _locates(anchors)]
        tightest = min(located, key=_places_per_keyword, default=None)
        self.anchors = list(tightest.items()) if tightest else None
        # Each ``in`` check scans the text, so a set is checked without the keywords that hold
        # another of its keywords ("phone visit" is in a text only where "phone" is).
        self.checks = [_shortest_needed(keywords) for keywords in self.keyword_sets]
        # Locating a match finds every keyword of the anchors' set, so a text without them is
        # told apart then: checking that set first would scan the text for them twice.
        located_set = frozenset(tightest) if tightest else None
        self.checks_before_locating = [
            checks
            for keywords, checks in zip(self.keyword_sets, self.checks, strict=True)
            if keywords != located_set
        ]

    def __repr__(self) -> str:
        return f"PrefilteredPattern({self.regex.pattern!r}, keywords={self.keywords!r})"

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    @property
    def needed_keywords(self) -> tuple[str, ...] | None:
        """``keywords`` without those that hold another of them: a text, or a sentence, holds
        one of ``keywords`` exactly when it holds one of these, found with fewer scans."""
        return self.checks[0] if self.checks else None

    def could_match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
        if pos > 0 or endpos < len(text):
            text = text[max(pos, 0) : endpos]
        return _holds_one_of_each(text, self.checks)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if len(text) < self.shortest_checked:  # the usual short text: no checks, just scan
            return self.regex.search(text, pos, endpos)
        starts = self._possible_starts(text, pos, endpos)
        if starts is None:
            return self.regex.search(text, pos, endpos)
        for start in starts:
            match = self.regex.match(text, start, endpos)
            if match:
                return match
        return None

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        if len(text) < self.shortest_checked:
            return self.regex.finditer(text, pos, endpos)
        starts = self._possible_starts(text, pos, endpos)
        if starts is None:
            return self.regex.finditer(text, pos, endpos)
        return matches_at(self.regex, text, starts, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.match(text, pos, endpos)  # one position: already cheap to try

    def sub(self, replacement: str, text: str) -> str:
        return self.regex.sub(replacement, text) if self.could_match(text) else text

    def _possible_starts(self, text: str, pos: int, endpos: int) -> list[int] | None:
        """Sorted positions where a match can start ([] when none can), or None when the whole
        text is to be scanned: no keywords, a text too short to check, or too many places."""
        pos, endpos = max(pos, 0), min(endpos, len(text))
        if endpos - pos < self.shortest_checked:
            return None
        if self.anchors is None or endpos - pos < MIN_ANCHORED_TEXT:
            return None if self.could_match(text, pos, endpos) else []
        region = text[pos:endpos] if pos > 0 or endpos < len(text) else text
        if not _holds_one_of_each(region, self.checks_before_locating):
            return []
        most = (endpos - pos) // POSITIONS_PER_ATTEMPT
        starts: set[int] = set()
        for keyword, path in self.anchors:
            found = text.find(keyword, pos, endpos)
            if path is AT_TEXT_START:
                if found >= 0 and pos == 0:
                    starts.add(0)
                continue
            while found >= 0:
                starts.update(_starts_before(text, found, path, pos))
                if len(starts) > most:
                    return None
                found = text.find(keyword, found + 1, endpos)
        return sorted(starts)


def _holds_one_of_each(text: str, keyword_sets: list[tuple[str, ...]]) -> bool:
    """Whether ``text`` holds a keyword of every set (plain loops: this runs a hundred times a
    note, and a generator per set costs more than the checks of a short text)."""
    for keywords in keyword_sets:
        for keyword in keywords:
            if keyword in text:
                break
        else:
            return False
    return True


def _shortest_needed(keywords: frozenset[str]) -> tuple[str, ...]:
    """The keywords that hold no other keyword of the set: a text holds one of the set exactly
    when it holds one of these. Shortest first, the likelier to be found early."""
    needed = [k for k in keywords if not any(o != k and o in k for o in keywords)]
    return tuple(sorted(needed, key=lambda keyword: (len(keyword), keyword)))


def matches_at(
    regex: re.Pattern[str], text: str, starts: list[int], endpos: int = sys.maxsize
) -> Iterator[re.Match[str]]:
    """``regex.finditer(text)`` when matches can only start at the sorted ``starts``: each
    match, then on from where it ended. For regexes that never match the empty string."""
    resume = 0
    for start in starts:
        if start < resume:
            continue
        match = regex.match(text, start, endpos)
        if match:
            yield match
            resume = match.end()


def _starts_before(text: str, found: int, path: Path, pos: int) -> Iterable[int]:
    """Where a match can start when the keyword at ``found`` lies at the end of ``path``."""
    if not path:
        return (found,)
    if len(path) == 1 and isinstance(path[0], tuple):  # the usual case: fixed widths only
        fewest, most = path[0]
        return range(max(pos, found - most), found - fewest + 1)
    points = {found}
    for step in reversed(path):
        if isinstance(step, _Run):
            reached: set[int] = set()
            for point in points:
                length = 0
                while point - length > pos and step.holds(text[point - length - 1]):
                    length += 1
                reached.update(range(point - length, point - step.least + 1))
            points = reached
        else:
            fewest, most = step
            points = {p - width for p in points for width in range(fewest, most + 1)}
    return {point for point in points if point >= pos}


def prefiltered(regex: str | re.Pattern[str]) -> PrefilteredPattern:
    """Compile ``regex`` (if it is not compiled yet) with its keyword prefilter."""
    return PrefilteredPattern(re.compile(regex))


def required_substrings(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Literal substrings one of which is inside every match of ``regex`` (the most selective
    such set), or ``None``."""
    requirements = keyword_requirements(regex)
    return frozenset(requirements[0]) if requirements else None


def keyword_requirements(regex: re.Pattern[str]) -> list[Anchors]:
    """Sets of keywords, each with one keyword inside every match of ``regex``, with the path
    from the match start to each; most selective first, none when none is known."""
    if sre_parser is None or regex.flags & re.IGNORECASE:
        return []
    try:
        parsed = sre_parser.parse(regex.pattern, regex.flags)
    except (re.error, TypeError):  # pragma: no cover - compiled already, so it parses
        return []
    requirements = _Reader(parsed.state).candidates(list(parsed))
    usable = [anchors for anchors in requirements if len(anchors) <= MAX_KEYWORDS]
    return sorted(usable, key=_rank, reverse=True)


class _Reader:
    """Reads a parsed regex for the keywords its matches need and where they can begin."""

    def __init__(self, state: object) -> None:
        self.state = state

    def anchors(self, items: list[tuple]) -> Anchors | None:
        """The most selective keyword set a sequence of parsed items requires."""
        return max(self.candidates(items), key=_rank, default=None)

    def candidates(self, items: list[tuple]) -> list[Anchors]:
        """What a sequence of parsed items requires: a keyword set for each literal run and
        each mandatory part (groups, branches, repeats of at least one). Lookarounds, classes,
        anchors and optional parts require nothing."""
        found: list[Anchors] = []
        at_text_start = bool(items) and self._starts_at_text_start(items[0])
        run, run_path = "", ()  # consecutive literal characters, matched as one string
        path: Path | None = ()  # from the start of the sequence to the current item
        for op, value in [*items, (None, None)]:  # the sentinel closes the last run
            if op is sre.LITERAL:
                run, run_path = (run + chr(value), run_path) if run else (chr(value), path)
                path = _extend(path, (1, 1))
                continue
            candidates = [{run: run_path}] if run else []
            if op is sre.SUBPATTERN and not value[1] & re.IGNORECASE:
                candidates.append(_after(path, self.anchors(list(value[3]))))
            elif op is sre.ATOMIC_GROUP:
                candidates.append(_after(path, self.anchors(list(value))))
            elif op is not None and op.name in _REPEATS and value[0] >= 1:
                candidates.append(_after(path, self.anchors(list(value[2]))))
            elif op is sre.BRANCH:
                alternatives = [list(alternative) for alternative in value[1]]
                needed = [self.anchors(alternative) for alternative in alternatives]
                if all(anchors is not None for anchors in needed):
                    candidates.append(_after(path, _merge(needed)))
                if run:  # "e(?:cg|kg)" needs "ecg" or "ekg", better than "e" or "cg"/"kg"
                    joined = [{run + _literal_prefix(a): run_path} for a in alternatives]
                    candidates.append(_merge(joined))
            run = ""
            found += [anchors for anchors in candidates if anchors is not None]
            if op is not None:
                path = _extend(path, self._step(op, value))
        if at_text_start:
            return [dict.fromkeys(anchors, AT_TEXT_START) for anchors in found]
        return found

    def _step(self, op: object, value: object) -> tuple[int, int] | _Run | Path | None:
        """How much text an item takes: fixed widths, a run of a character class, the path of
        a group or of alternatives (``(?:\\.[ \\t]+|^)``), or None when not known."""
        fewest, most = sre_parser.SubPattern(self.state, [(op, value)]).getwidth()
        if most < _UNBOUNDED_WIDTH:
            return fewest, most
        if op.name in _REPEATS and len(value[2]) == 1:
            holds = _character_test(*value[2][0])
            return _Run(holds, value[0]) if holds is not None else None
        if op is sre.SUBPATTERN and not value[1] & re.IGNORECASE:
            return self._path(list(value[3]))
        if op is sre.BRANCH:
            paths = [self._path(list(alternative)) for alternative in value[1]]
            merged = paths[0]
            for path in paths[1:]:
                merged = _either(merged, path)
            return merged
        return None

    def _path(self, items: list[tuple]) -> Path | None:
        path: Path | None = ()
        for op, value in items:
            path = _extend(path, (1, 1) if op is sre.LITERAL else self._step(op, value))
        return path

    def _starts_at_text_start(self, item: tuple) -> bool:
        op, value = item
        if op is not sre.AT:
            return False
        multiline = self.state.flags & re.MULTILINE
        return value is sre.AT_BEGINNING_STRING or (value is sre.AT_BEGINNING and not multiline)


def _character_test(op: object, value: object) -> Callable[[str], bool] | None:
    """A test for one character of a literal or a class of literals, ranges and ``\\s``/``\\d``
    (what ``\\s*``, ``[ \\t]+`` or ``[\\s\\-]+`` repeat), or None for anything else."""
    members = [(op, value)] if op is sre.LITERAL else value if op is sre.IN else None
    if members is None:
        return None
    characters, ranges, categories = set(), [], []
    for member, argument in members:
        if member is sre.LITERAL:
            characters.add(chr(argument))
        elif member is sre.RANGE:
            ranges.append((chr(argument[0]), chr(argument[1])))
        elif member is sre.CATEGORY and argument is sre.CATEGORY_SPACE:
            categories.append(str.isspace)  # what \s matches in a str pattern
        elif member is sre.CATEGORY and argument is sre.CATEGORY_DIGIT:
            categories.append(str.isdecimal)  # what \d matches in a str pattern
        else:
            return None  # negated classes, words, ...: not read

    def holds(character: str) -> bool:
        return (
            character in characters
            or any(low <= character <= high for low, high in ranges)
            or any(category(character) for category in categories)
        )

    return holds


def _extend(path: Path | None, step: tuple[int, int] | _Run | Path | None) -> Path | None:
    if path is None or step is None or step is AT_TEXT_START:
        return None
    if isinstance(step, tuple) and (not step or not isinstance(step[0], int)):
        for part in step:  # a path: its steps in turn
            path = _extend(path, part)
        return path
    if path and isinstance(step, tuple) and isinstance(path[-1], tuple):
        last = path[-1]
        return (*path[:-1], (last[0] + step[0], last[1] + step[1]))
    return (*path, step)


def _after(prefix: Path | None, anchors: Anchors | None) -> Anchors | None:
    """Anchors of a part, seen from the start of the sequence that holds it."""
    if anchors is None:
        return None
    return {keyword: _join(prefix, path) for keyword, path in anchors.items()}


def _join(prefix: Path | None, path: Path | None) -> Path | None:
    if path is AT_TEXT_START:
        return path  # whatever comes before, the match still starts at position 0
    if prefix is None or path is None:
        return None
    joined: Path | None = prefix
    for step in path:
        joined = _extend(joined, step)
    return joined


def _merge(all_anchors: list[Anchors]) -> Anchors:
    """Anchors of alternatives: a keyword's paths are joined when all are fixed widths."""
    merged: Anchors = {}
    for anchors in all_anchors:
        for keyword, path in anchors.items():
            if keyword not in merged or merged[keyword] == path:
                merged[keyword] = path
            else:
                merged[keyword] = _either(merged[keyword], path)
    return merged


def _either(first: Path | None, second: Path | None) -> Path | None:
    """A path that covers both: fixed widths, each maybe followed by the same run (a missing
    run is a run of none), else None: the place is not known."""
    shapes = [_fixed_then_run(path) for path in (first, second)]
    if None in shapes:
        return None
    (fixed_1, run_1), (fixed_2, run_2) = shapes
    widths = (min(fixed_1[0], fixed_2[0]), max(fixed_1[1], fixed_2[1]))
    if run_1 is None and run_2 is None:
        return (widths,)
    if run_1 is not None and run_2 is not None and run_1 is not run_2:
        return None  # runs of two classes
    run = run_1 or run_2
    least = run.least if run_1 is run_2 else 0
    return (widths, _Run(run.holds, least))


def _fixed_then_run(path: Path | None) -> tuple[tuple[int, int], _Run | None] | None:
    if path is None or path is AT_TEXT_START or len(path) > 2:
        return None
    fixed = [step for step in path if isinstance(step, tuple)]
    runs = [step for step in path if isinstance(step, _Run)]
    if len(fixed) > 1 or len(runs) > 1 or (runs and path[-1] is not runs[0]):
        return None
    return (fixed[0] if fixed else (0, 0)), (runs[0] if runs else None)


def _literal_prefix(items: list[tuple]) -> str:
    prefix = ""
    for op, value in items:
        if op is not sre.LITERAL:
            break
        prefix += chr(value)
    return prefix


def _fixed_span(path: Path) -> tuple[int, int]:
    """The fewest and most characters of the fixed steps of a path."""
    steps = [step for step in path if isinstance(step, tuple)]
    return sum(s[0] for s in steps), sum(s[1] for s in steps)


def _locates(anchors: Anchors) -> bool:
    """Whether every keyword's place is known and near enough to locate a match start."""
    return all(
        path is not None and (path is AT_TEXT_START or _fixed_span(path)[1] <= MAX_ANCHOR_DISTANCE)
        for path in anchors.values()
    )


def _places_per_keyword(anchors: Anchors) -> int:
    """Roughly how many starts one keyword occurrence leaves to try."""
    places = 1
    for path in anchors.values():
        if path is not AT_TEXT_START and path is not None:
            fewest, most = _fixed_span(path)
            runs = sum(isinstance(step, _Run) for step in path)
            places = max(places, most - fewest + 1 + 2 * runs)
    return places


def _rank(anchors: Anchors) -> tuple[int, int]:
    """Longer keywords occur less often by chance; fewer keywords are fewer checks."""
    return min(len(keyword) for keyword in anchors), -len(anchors)
