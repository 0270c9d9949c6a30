"""Small text helpers shared by the detectors, written for speed on long notes.

Python's ``re`` scans fast only when a pattern starts with a literal or a character set and
has no ``(?i)``: it then jumps straight to the places where a match can begin. So detectors
match lower-case literals against ``ascii_lower(note)`` (same length, same offsets as the
note) and check word boundaries in Python (``boundary_before``) instead of a leading
look-behind.

A pattern that opens with a word from a list ("lives in", "phone:", a month) still starts
at almost every letter, so it is not scanned at all: ``NoteText`` tokenizes the note once per
scrub, indexes its words, and ``matches_at_words`` tries the pattern only where one of its
first words stands. Every detector shares that one ``NoteText``.

A digit-led pattern is no better: ``re`` tries it at every digit of the note, and a long note
holds thousands. Such patterns start where a number starts, so ``NoteText.digit_runs`` finds
the note's runs of digits once, each detector keeps the runs its pattern can open with (the
length and the next character tell), and ``matches_from`` tries the pattern only there.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Set
from itertools import accumulate
from typing import NamedTuple

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def ascii_lower(note: str) -> str:
    """``note`` with A-Z lower-cased and every other character untouched: offsets match.

    Not cached on purpose: a cache would keep patients' notes in memory after the request
    (and the copy costs about a tenth of a millisecond per 50,000 characters)."""
    return note.translate(_ASCII_LOWER)


def occurrences(text: str, needle: str) -> Iterator[int]:
    """Every offset where ``needle`` stands in ``text`` (``str.find``, fastest for a literal)."""
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def starts_sentence(text: str, position: int) -> bool:
    """Does a sentence, a line, a bracket or a list item start at ``position``?"""
    before = text[max(0, position - 4) : position].rstrip(" \t-*\u2022")
    return not before or before[-1] in ".!?:;\n\"'([>"


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


def fold(word: str) -> str:
    """Lower-case and strip accents, so "José" and "Jose" look the same to the lexicon."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
# The same words in an ASCII note, faster; captured, so ``re.split`` returns them too.
_ASCII_TOKEN_SPLIT = re.compile(r"([a-z]++(?:['\-][a-z]++)*+)")  # possessive: never backtracks
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_COMPOUND = re.compile(r"[-'\u2019]")


class Token(NamedTuple):
    """A word of the note; ``key`` is folded and without a possessive ending. Its casing is
    read once, here, because the name search asks it tens of thousands of times a note."""

    start: int
    end: int
    text: str
    key: str
    is_capitalized: bool  # "Smith", "McAllister", "O'Brien"
    is_upper: bool  # two letters or more, all capitals: "SMITH", "MRN"
    is_initial: bool  # one capital letter: "J"
    is_lower: bool  # "smith", "okafor-bell"

    @property
    def parts(self) -> tuple[str, ...]:
        key = self.key
        if "-" in key or "'" in key or "\u2019" in key:
            return tuple(part for part in _COMPOUND.split(key) if part)
        return (key,)


def _token(start: int, end: int, text: str, key: str) -> Token:
    if text.isupper():
        casing = (False, len(text) >= 2, len(text) == 1, False)
    elif text[0].isupper():
        casing = (True, False, False, False)
    else:
        casing = (False, False, False, text.islower())
    return tuple.__new__(Token, (start, end, text, key, *casing))


def tokenize(note: str, lower: str) -> list[Token]:
    """The words of ``note`` (letters, joined by hyphens or apostrophes); ``lower`` is
    ``ascii_lower(note)``."""
    tokens: list[Token] = []
    append = tokens.append
    if note.isascii():  # the common case, inlined: this loop runs for every word
        # ``re.split`` hands over the words and the gaps between them without a match object
        # per word; the gaps' lengths give the offsets.
        pieces = _ASCII_TOKEN_SPLIT.split(lower)  # gap, word, gap, word, ..., gap
        offsets = list(accumulate(map(len, pieces), initial=0))
        new = tuple.__new__
        for start, end, key in zip(offsets[1:-1:2], offsets[2::2], pieces[1::2], strict=True):
            text = note[start:end]
            if "'" in key:
                key = _POSSESSIVE.sub("", key)
            if text == key:
                append(new(Token, (start, end, text, key, False, False, False, True)))
            elif text.isupper():
                upper = len(text) >= 2
                append(new(Token, (start, end, text, key, False, upper, not upper, False)))
            elif text[0].isupper():
                append(new(Token, (start, end, text, key, True, False, False, False)))
            else:
                append(new(Token, (start, end, text, key, False, False, False, text.islower())))
        return tokens
    for match in _TOKEN.finditer(note):
        start, end = match.span()
        text = match.group()
        key = lower[start:end] if text.isascii() else fold(text)
        if "'" in key or "\u2019" in key:
            key = _POSSESSIVE.sub("", key)
        append(_token(start, end, text, key))
    return tokens


def matches_from(
    pattern: re.Pattern[str], source: str, starts: Iterable[int]
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(source)``, tried only at ``starts`` (ascending), without overlaps:
    the same matches when every match of the pattern begins at one of ``starts``."""
    resume = 0
    for start in starts:
        if start < resume:
            continue
        match = pattern.match(source, start)
        if match is not None:
            resume = match.end()
            yield match


_DIGIT_RUN = re.compile(r"\d+")


class NoteText:
    """One note as every detector reads it, built once per scrub: the text, its
    ``ascii_lower`` copy (same offsets), its words, tokenized on first use, and its runs of
    digits, found on first use."""

    __slots__ = ("_digit_runs", "_positions", "_tokens", "eponym_after", "lower", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = ascii_lower(text)
        self._tokens: list[Token] | None = None
        self._positions: dict[str, list[int]] | None = None
        self._digit_runs: list[tuple[int, int]] | None = None
        # ``Lexicon.eponym_noun_follows`` by the end offset of a word, for this note only: the
        # name and town searches ask it of the same words.
        self.eponym_after: dict[int, bool] = {}

    @property
    def digit_runs(self) -> list[tuple[int, int]]:
        """(start, end) of every run of digits (``\\d+``, as the patterns read digits), in
        order: a digit-led pattern that cannot start inside a number starts at one of them."""
        if self._digit_runs is None:
            self._digit_runs = [match.span() for match in _DIGIT_RUN.finditer(self.text)]
        return self._digit_runs

    @property
    def tokens(self) -> list[Token]:
        if self._tokens is None:
            self._tokens = tokenize(self.text, self.lower)
        return self._tokens

    def indices_of(self, keys: Set[str]) -> list[int]:
        """Indices, in order, of the tokens whose key (or, for "mid-june", the first part of
        it) is in ``keys``: a detector walks only the words it can start at."""
        if self._positions is None:
            self._positions = {}
            for index, token in enumerate(self.tokens):
                self._positions.setdefault(token.key, []).append(index)
                if "-" in token.key:
                    self._positions.setdefault(token.key.split("-", 1)[0], []).append(index)
        positions = self._positions
        if len(keys) < len(positions):
            found = {index for key in keys if key in positions for index in positions[key]}
        else:  # a long word list (every town's first word): look the note's words up in it
            found = {index for key, at in positions.items() if key in keys for index in at}
        return sorted(found)

    def matches_at_words(
        self, pattern: re.Pattern[str], first_words: Set[str], *, cased: bool = False
    ) -> Iterator[re.Match[str]]:
        """``pattern.finditer`` over the lower-cased note (the note itself when ``cased``),
        tried only where a word of ``first_words`` starts, without overlaps. The same matches
        for a pattern that always opens with one of those words at a word start, and far
        fewer places to try than a scan of every letter."""
        tokens = self.tokens
        starts = (tokens[index].start for index in self.indices_of(first_words))
        return matches_from(pattern, self.text if cased else self.lower, starts)
