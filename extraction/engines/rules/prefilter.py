"""Regexes that look only where the words a match needs are.

Python's regex engine tries a pattern at every position of the text, and most of the engine's
patterns find nothing in most notes: scanning a 3,000-character note costs up to a millisecond
per pattern, for a hundred patterns and more. So each pattern is read once, when compiled, for
literal keywords one of which is inside every match (``\\b(?:ecg|ekg)\\b`` needs "ecg" or "ekg"),
and for how far from the start of a match each keyword can be. Then:

- a text holding none of the keywords cannot match: a plain ``in`` check skips the scan;
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


class PrefilteredPattern:
    """A compiled regex with the keywords every match contains (``None``: no prefilter).

    ``search``, ``finditer`` and ``sub`` answer exactly as ``re.Pattern``'s do.
    """

    __slots__ = ("anchors", "keywords", "regex", "shortest_checked")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        anchors = keyword_anchors(regex)
        self.keywords = frozenset(anchors) if anchors else None
        self.shortest_checked = CHARS_PER_KEYWORD_CHECK * len(anchors) if anchors else sys.maxsize
        bounded = anchors and all(far <= MAX_ANCHOR_DISTANCE for _, far in anchors.values())
        self.anchors = [(k, near, far) for k, (near, far) in anchors.items()] if bounded else None

    def __repr__(self) -> str:
        return f"PrefilteredPattern({self.regex.pattern!r}, keywords={self.keywords!r})"

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def could_match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
        if self.keywords is None:
            return True
        if pos > 0 or endpos < len(text):
            text = text[max(pos, 0) : endpos]
        return any(keyword in text for keyword in self.keywords)

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
        if self.anchors is None or endpos - pos < MIN_ANCHORED_TEXT:
            return None if self.could_match(text, pos, endpos) else []
        most = (endpos - pos) // POSITIONS_PER_ATTEMPT
        starts: set[int] = set()
        for keyword, near, far in self.anchors:
            found = text.find(keyword, pos, endpos)
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
    """Literal substrings one of which is inside every match of ``regex``, or ``None``."""
    anchors = keyword_anchors(regex)
    return frozenset(anchors) if anchors else None


def keyword_anchors(regex: re.Pattern[str]) -> Anchors | None:
    """Keywords one of which is inside every match of ``regex``, each with how far from the
    match start it can begin; ``None`` when no such set is known or it is too large."""
    if sre_parser is None or regex.flags & re.IGNORECASE:
        return None
    try:
        parsed = sre_parser.parse(regex.pattern, regex.flags)
    except (re.error, TypeError):  # pragma: no cover - compiled already, so it parses
        return None
    anchors = _Reader(parsed.state).anchors(list(parsed))
    if anchors is None or len(anchors) > MAX_KEYWORDS:
        return None
    return anchors


class _Reader:
    """Reads a parsed regex for the keywords its matches need and where they can begin."""

    def __init__(self, state: object) -> None:
        self.state = state

    def anchors(self, items: list[tuple]) -> Anchors | None:
        """For a sequence of parsed items: the most selective of what its literal runs and its
        mandatory parts (groups, branches, repeats of at least one) each require. Lookarounds,
        classes, anchors and optional parts require nothing."""
        best: Anchors | None = None
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
            for anchors in candidates:
                if anchors is not None and (best is None or _rank(anchors) > _rank(best)):
                    best = anchors
            if op is not None:
                offset = _add(offset, self._width(op, value))
        return best

    def _width(self, op: object, value: object) -> tuple[int, int]:
        return sre_parser.SubPattern(self.state, [(op, value)]).getwidth()


def _add(first: tuple[int, int], second: tuple[int, int]) -> tuple[int, int]:
    return first[0] + second[0], first[1] + second[1]


def _shift(anchors: Anchors | None, offset: tuple[int, int]) -> Anchors | None:
    if anchors is None:
        return None
    return {keyword: _add(span, offset) for keyword, span in anchors.items()}


def _merge(all_anchors: list[Anchors]) -> Anchors:
    merged: Anchors = {}
    for anchors in all_anchors:
        for keyword, (near, far) in anchors.items():
            known = merged.get(keyword, (near, far))
            merged[keyword] = min(known[0], near), max(known[1], far)
    return merged


def _literal_prefix(items: list[tuple]) -> str:
    prefix = ""
    for op, value in items:
        if op is not sre.LITERAL:
            break
        prefix += chr(value)
    return prefix


def _rank(anchors: Anchors) -> tuple[int, int, int]:
    """Longer keywords occur less often by chance, fewer keywords are fewer checks, and
    keywords near the match start locate it."""
    farthest = max(far for _, far in anchors.values())
    return min(len(keyword) for keyword in anchors), -len(anchors), -farthest
