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

Results are those of the plain regex, always. The reading walks the parse tree of the standard
library's own regex parser (``re._parser``, Python 3.11+); anything it cannot prove it leaves
out, so a pattern it does not understand is simply scanned as before.
"""

import re
import sys
from collections.abc import Iterator

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

# keyword -> (nearest, farthest) offset of its first character from the start of a match
Anchors = dict[str, tuple[int, int]]
# The offsets of a keyword in an alternative that starts where the text starts (\A, or ^
# without MULTILINE): wherever the keyword is, such a match can only start at position 0.
AT_TEXT_START = (-1, -1)
UNBOUNDED = sys.maxsize


class PrefilteredPattern:
    """A compiled regex with the keywords every match contains (``None``: no prefilter).

    ``search``, ``finditer`` and ``sub`` answer exactly as ``re.Pattern``'s do.
    """

    __slots__ = ("anchors", "keyword_sets", "keywords", "regex", "shortest_checked")

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
        bounded = [
            anchors
            for anchors in requirements
            if all(far <= MAX_ANCHOR_DISTANCE for _, far in anchors.values())
        ]
        tightest = min(bounded, key=_places_per_keyword, default=None)
        self.anchors = [(k, *offsets) for k, offsets in tightest.items()] if tightest else None

    def __repr__(self) -> str:
        return f"PrefilteredPattern({self.regex.pattern!r}, keywords={self.keywords!r})"

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def could_match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
        if pos > 0 or endpos < len(text):
            text = text[max(pos, 0) : endpos]
        return all(any(keyword in text for keyword in keywords) for keywords in self.keyword_sets)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
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
        starts = self._possible_starts(text, pos, endpos)
        if starts is None:
            return self.regex.finditer(text, pos, endpos)
        return self._matches_at(text, starts, endpos)

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
        if not self.could_match(text, pos, endpos):
            return []
        if self.anchors is None or endpos - pos < MIN_ANCHORED_TEXT:
            return None
        most = (endpos - pos) // POSITIONS_PER_ATTEMPT
        starts: set[int] = set()
        for keyword, near, far in self.anchors:
            found = text.find(keyword, pos, endpos)
            if (near, far) == AT_TEXT_START:
                if found >= 0 and pos == 0:
                    starts.add(0)
                continue
            while found >= 0:
                starts.update(range(max(pos, found - far), found - near + 1))
                if len(starts) > most:
                    return None
                found = text.find(keyword, found + 1, endpos)
        return sorted(starts)

    def _matches_at(self, text: str, starts: list[int], endpos: int) -> Iterator[re.Match[str]]:
        """``finditer`` over the possible starts: each match, then on from where it ended."""
        resume = 0
        for start in starts:
            if start < resume:
                continue
            match = self.regex.match(text, start, endpos)
            if match:
                yield match
                resume = match.end()  # a match holds a keyword, so it is never empty


def prefiltered(regex: str | re.Pattern[str]) -> PrefilteredPattern:
    """Compile ``regex`` (if it is not compiled yet) with its keyword prefilter."""
    return PrefilteredPattern(re.compile(regex))


def required_substrings(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Literal substrings one of which is inside every match of ``regex`` (the most selective
    such set), or ``None``."""
    requirements = keyword_requirements(regex)
    return frozenset(requirements[0]) if requirements else None


def keyword_requirements(regex: re.Pattern[str]) -> list[Anchors]:
    """Sets of keywords, each with one keyword inside every match of ``regex``, with how far
    from the match start each can begin; most selective first, none when none is known."""
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
        run, run_offset = "", (0, 0)  # consecutive literal characters, matched as one string
        offset = (0, 0)  # how far the current item can be from the start of the sequence
        for op, value in [*items, (None, None)]:  # the sentinel closes the last run
            if op is sre.LITERAL:
                run, run_offset = (run + chr(value), run_offset) if run else (chr(value), offset)
                offset = _add(offset, (1, 1))
                continue
            candidates = [{run: run_offset}] if run else []
            if op is sre.SUBPATTERN and not value[1] & re.IGNORECASE:
                candidates.append(_shift(self.anchors(list(value[3])), offset))
            elif op is sre.ATOMIC_GROUP:
                candidates.append(_shift(self.anchors(list(value)), offset))
            elif op is not None and op.name in _REPEATS and value[0] >= 1:
                candidates.append(_shift(self.anchors(list(value[2])), offset))
            elif op is sre.BRANCH:
                alternatives = [list(alternative) for alternative in value[1]]
                needed = [self.anchors(alternative) for alternative in alternatives]
                if all(anchors is not None for anchors in needed):
                    candidates.append(_shift(_merge(needed), offset))
                if run:  # "e(?:cg|kg)" needs "ecg" or "ekg", better than "e" or "cg"/"kg"
                    joined = [{run + _literal_prefix(a): run_offset} for a in alternatives]
                    candidates.append(_merge(joined))
            run = ""
            found += [anchors for anchors in candidates if anchors is not None]
            if op is not None:
                offset = _add(offset, self._width(op, value))
        if at_text_start:
            return [dict.fromkeys(anchors, AT_TEXT_START) for anchors in found]
        return found

    def _width(self, op: object, value: object) -> tuple[int, int]:
        return sre_parser.SubPattern(self.state, [(op, value)]).getwidth()

    def _starts_at_text_start(self, item: tuple) -> bool:
        op, value = item
        if op is not sre.AT:
            return False
        multiline = self.state.flags & re.MULTILINE
        return value is sre.AT_BEGINNING_STRING or (value is sre.AT_BEGINNING and not multiline)


def _add(first: tuple[int, int], second: tuple[int, int]) -> tuple[int, int]:
    if first == AT_TEXT_START:
        return first  # whatever comes before, the match still starts at position 0
    return first[0] + second[0], first[1] + second[1]


def _shift(anchors: Anchors | None, offset: tuple[int, int]) -> Anchors | None:
    if anchors is None:
        return None
    return {keyword: _add(span, offset) for keyword, span in anchors.items()}


def _merge(all_anchors: list[Anchors]) -> Anchors:
    merged: Anchors = {}
    for anchors in all_anchors:
        for keyword, offsets in anchors.items():
            known = merged.get(keyword, offsets)
            if known == offsets:
                merged[keyword] = offsets
            elif AT_TEXT_START in (known, offsets):
                merged[keyword] = (0, UNBOUNDED)  # at the text start or not: anywhere
            else:
                merged[keyword] = min(known[0], offsets[0]), max(known[1], offsets[1])
    return merged


def _literal_prefix(items: list[tuple]) -> str:
    prefix = ""
    for op, value in items:
        if op is not sre.LITERAL:
            break
        prefix += chr(value)
    return prefix


def _places_per_keyword(anchors: Anchors) -> int:
    return max(far - near + 1 if near >= 0 else 1 for near, far in anchors.values())


def _rank(anchors: Anchors) -> tuple[int, int, int]:
    """Longer keywords occur less often by chance, fewer keywords are fewer checks, and
    keywords near the match start locate it."""
    farthest = max(far for _, far in anchors.values())
    return min(len(keyword) for keyword in anchors), -len(anchors), -farthest
