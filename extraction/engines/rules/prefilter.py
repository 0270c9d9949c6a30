"""Regexes that skip their scan when the text lacks every word a match needs.

Python's regex engine tries a pattern at every position of the text, and most of the engine's
patterns find nothing in most notes: scanning a 3,000-character note costs a fraction of a
millisecond per pattern, for a hundred patterns and more. Each pattern is read once, when it
is compiled, for literal substrings one of which is inside every match (``\\b(?:ecg|ekg)\\b``
needs "ecg" or "ekg"); a plain ``in`` check of the text then says when the scan can only come
back empty, and the scan is skipped. Results are those of the plain regex, always.

The reading walks the parse tree of the standard library's own regex parser (``re._parser``,
Python 3.11+); anything it cannot prove it leaves out, so a pattern it does not understand
simply has no prefilter and is always scanned.
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
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


class PrefilteredPattern:
    """A compiled regex with the keywords any match contains (``None``: no prefilter).

    ``search``, ``finditer`` and ``sub`` answer exactly as ``re.Pattern``'s do; they only skip
    the regex when no keyword is inside ``text[pos:endpos]``.
    """

    __slots__ = ("keywords", "regex")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex
        self.keywords = required_substrings(regex)

    def __repr__(self) -> str:
        return f"PrefilteredPattern({self.regex.pattern!r}, keywords={self.keywords!r})"

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def could_match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> bool:
        if self.keywords is None:
            return True
        if pos <= 0 and endpos >= len(text):
            return any(keyword in text for keyword in self.keywords)
        return any(text.find(keyword, pos, endpos) >= 0 for keyword in self.keywords)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.search(text, pos, endpos) if self.could_match(text, pos, endpos) else None

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        if self.could_match(text, pos, endpos):
            return self.regex.finditer(text, pos, endpos)
        return iter(())

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.match(text, pos, endpos)  # one position: already cheap to try

    def sub(self, replacement: str, text: str) -> str:
        return self.regex.sub(replacement, text) if self.could_match(text) else text


def prefiltered(regex: str | re.Pattern[str]) -> PrefilteredPattern:
    """Compile ``regex`` (if it is not compiled yet) with its keyword prefilter."""
    return PrefilteredPattern(re.compile(regex))


def required_substrings(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Literal substrings one of which is inside every match of ``regex``, or ``None`` when
    no such set is known (or it is too large to be worth checking)."""
    if sre_parser is None or regex.flags & re.IGNORECASE:
        return None
    try:
        parsed = sre_parser.parse(regex.pattern, regex.flags)
    except (re.error, TypeError):  # pragma: no cover - compiled already, so it parses
        return None
    keywords = _needed(list(parsed))
    if keywords is None or len(keywords) > MAX_KEYWORDS:
        return None
    return keywords


def _needed(items: list[tuple]) -> frozenset[str] | None:
    """Keywords for a sequence of parsed items: the most selective among what its literal
    runs and its mandatory parts (groups, branches, repeats of at least one) each require.
    Lookarounds, classes, anchors and optional parts require nothing."""
    best: frozenset[str] | None = None
    run = ""  # consecutive literal characters, matched as one substring
    for op, value in [*items, (None, None)]:  # the sentinel closes the last run
        if op is sre.LITERAL:
            run += chr(value)
            continue
        candidates = [frozenset({run})] if run else []
        if op is sre.SUBPATTERN and not value[1] & re.IGNORECASE:
            candidates.append(_needed(list(value[3])))
        elif op is sre.ATOMIC_GROUP:
            candidates.append(_needed(list(value)))
        elif op is not None and op.name in _REPEATS and value[0] >= 1:
            candidates.append(_needed(list(value[2])))
        elif op is sre.BRANCH:
            alternatives = [list(alternative) for alternative in value[1]]
            needed = [_needed(alternative) for alternative in alternatives]
            if all(keywords is not None for keywords in needed):
                candidates.append(frozenset().union(*needed))
            if run:  # "e(?:cg|kg)" needs "ecg" or "ekg", better than "e" or "cg"/"kg"
                candidates.append(frozenset(run + _literal_prefix(a) for a in alternatives))
        run = ""
        for keywords in candidates:
            if keywords is None:
                continue
            if best is None or _selectivity(keywords) > _selectivity(best):
                best = keywords
    return best


def _literal_prefix(items: list[tuple]) -> str:
    prefix = ""
    for op, value in items:
        if op is not sre.LITERAL:
            break
        prefix += chr(value)
    return prefix


def _selectivity(keywords: frozenset[str]) -> tuple[int, int]:
    """Longer keywords occur less often by chance; fewer keywords are fewer checks."""
    return min(len(keyword) for keyword in keywords), -len(keywords)
