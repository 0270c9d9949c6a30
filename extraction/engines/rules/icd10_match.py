"""A fallback matcher from the official ICD-10-CM wording to a diagnostic statement.

The curated term table (``diagnosis_terms.json``) knows the common conditions and their
refinements; it cannot know every axis of every category ("suppurative", "axilla",
"ureter"). This matcher reads the tabular list's own descriptions and inclusion terms and
finds the billable code whose words a statement covers, so the statement's specificity is
not lost (Official Guidelines I.B.2: code to the highest specificity documented).

It is conservative, because a wrong code is worse than a less specific one:

- every word of a code's description must be in the statement (after light normalization:
  plurals, "both" for "bilateral", adjective forms such as "ureteral" for "ureter");
- words in parentheses are nonessential modifiers (tabular convention I.A.7) and
  "unspecified"/"NOS" say nothing, so neither is required;
- a "without X" part is the default when X is not mentioned (the index sends an unqualified
  term to the "without" code), or when the statement itself says X is absent; a mention of X
  that is not negated rules the code out; "not X" and "not specified as X" rule it out when
  X is said;
- only affirmed words count: a negated, uncertain, historical or family mention
  (``negation.assertion``) is not the patient's diagnosis ("non-ST" names a kind and negates
  nothing; a "with" after a negation starts a positive part, as in the tabular wording);
- several codes tied for best leave the statement to the curated table.

The descriptions are compiled once by ``scripts/build_icd10_descriptions.py`` into
``extraction/data/icd10_descriptions.txt``; the index is built once per process.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from extraction import icd10
from extraction.engines.rules.negation import Assertion, assertion, holds_no_cue

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "icd10_descriptions.txt"

WORD = re.compile(r"[a-z0-9]+")
# Words that never decide a code: grammar, and the tabular's "nothing more said" markers.
STOP_WORDS = frozenset(
    {"of", "the", "a", "an", "and", "or", "with", "in", "on", "at", "to", "for", "by", "as"}
    | {"due", "from", "its", "into", "unspecified", "nos", "nec"}
)
# Words that set a code's side or acuity, not its condition: they rank after condition words
# ("viral conjunctivitis" says more about the condition than "acute ... right eye").
AXIS_WORDS = frozenset(
    {"right", "left", "bilateral", "unilateral", "acute", "subacute", "chronic"}
    | {"eye", "ear", "upper", "lower"}
)
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_OR_UNSPECIFIED = re.compile(r"\b\w+ or unspecified\b|\bwith or without [^,]*")
_NOT_SPECIFIED = re.compile(r"\bnot specified as ([^,]*)|\bnot (?!specified)(\w+)")
_WITHOUT = re.compile(r"\bwithout ([^,]*)")
_WITH = re.compile(r"\bwith\b")


@dataclass(frozen=True)
class Description:
    """One description or inclusion term of a billable code, as canonical word sets."""

    code: str
    core: frozenset[str]  # every word must be affirmed in the statement
    without: frozenset[str]  # absent from the statement, or negated in it
    absent: frozenset[str]  # "not X", "not specified as X": X must not be affirmed


def canonical_word(word: str, forms: dict[str, str], vocabulary: frozenset[str]) -> str | None:
    """The canonical form of a word, or None when no ICD-10-CM description uses it."""
    if word in forms:
        return forms[word]
    if word in vocabulary:
        return word
    for stem in singulars(word):
        if stem in forms:
            return forms[stem]
        if stem in vocabulary:
            return stem
    return None


def singulars(word: str) -> list[str]:
    """Singular candidates of a plural, most likely first ("toes" -> "toe" before "to")."""
    if len(word) < 4:
        return []
    stems: list[str] = []
    if word.endswith("ies"):
        stems.append(word[:-3] + "y")
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        stems.append(word[:-1])
    if word.endswith("es"):
        stems.append(word[:-2])
    if word.endswith("i"):
        stems.append(word[:-1] + "us")
    return stems


def description_parts(text: str) -> tuple[list[str], list[str], list[str]]:
    """Split an official description into (core, without, absent) raw word lists."""
    text = _PARENTHESES.sub(" ", text.lower()).replace("not otherwise specified", " ")
    text = _OR_UNSPECIFIED.sub(" ", text)
    absent: list[str] = []
    for match in _NOT_SPECIFIED.finditer(text):
        absent.extend(WORD.findall(match.group(1) or match.group(2)))
    text = _NOT_SPECIFIED.sub(" ", text)
    without: list[str] = []
    for match in _WITHOUT.finditer(text):
        without.extend(WORD.findall(match.group(1)))
    text = _WITHOUT.sub(" ", text)

    def content(words: list[str]) -> list[str]:
        return [w for w in words if w not in STOP_WORDS]

    return content(WORD.findall(text)), content(without), content(absent)


@dataclass(frozen=True)
class DescriptionIndex:
    forms: dict[str, str]
    vocabulary: frozenset[str]
    # Each description is filed under one of its core words, the rarest: a statement that
    # covers it holds that word, so looking up the statement's words finds it.
    by_key_word: dict[str, tuple[Description, ...]]

    def canonical(self, word: str) -> str | None:
        return canonical_word(word, self.forms, self.vocabulary)


@cache
def description_index() -> DescriptionIndex:
    """Read the compiled descriptions once per process."""
    forms: dict[str, str] = {}
    descriptions: list[Description] = []
    with DATA_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if fields[0] == "=":
                forms[fields[1]] = fields[2]
                continue
            code, core, without, absent = fields
            descriptions.append(
                Description(
                    code,
                    frozenset(core.split()),
                    frozenset(without.split()),
                    frozenset(absent.split()),
                )
            )
    frequency: dict[str, int] = defaultdict(int)
    for description in descriptions:
        for word in description.core:
            frequency[word] += 1
    by_key: dict[str, list[Description]] = defaultdict(list)
    vocabulary: set[str] = set(forms.values())
    for description in descriptions:
        vocabulary |= description.core | description.without | description.absent
        key = min(description.core, key=lambda word: (frequency[word], word))
        by_key[key].append(description)
    return DescriptionIndex(
        forms,
        frozenset(vocabulary),
        {word: tuple(found) for word, found in by_key.items()},
    )


@dataclass(frozen=True)
class StatementWords:
    affirmed: frozenset[str]
    negated: frozenset[str]


@dataclass(frozen=True)
class Match:
    code: str
    condition_words: int  # covered core words that are not side or acuity words
    axis_words: int


def covers(description: Description, words: StatementWords) -> bool:
    """Every core word affirmed, no "not X" word affirmed, no "without X" word affirmed."""
    if not description.core <= words.affirmed:
        return False
    if description.absent & words.affirmed:
        return False
    extra = description.without - description.core
    return not extra & words.affirmed


def score(description: Description, statement: frozenset[str]) -> Match:
    """How much of the statement the description explains: its core words the statement says
    (condition words first, then side and acuity words)."""
    said = description.core & statement
    condition = len(said - AXIS_WORDS)
    return Match(description.code, condition, len(said) - condition)


def rank(match: Match) -> tuple[int, int]:
    return match.condition_words, match.axis_words


def best_matches(
    words: StatementWords,
    statement: frozenset[str],
    *,
    codes_within: str | None = None,
    admits: Callable[[Description], bool] | None = None,
) -> list[Match]:
    """The codes covered by ``words`` that explain most of ``statement`` (ties included),
    optionally only codes starting with ``codes_within`` (a category) and descriptions
    ``admits`` accepts."""
    index = description_index()
    found: dict[str, Match] = {}
    for word in words.affirmed:
        for description in index.by_key_word.get(word, ()):
            if codes_within and not description.code.startswith(codes_within):
                continue
            if admits and not admits(description):
                continue
            if covers(description, words):
                match = score(description, statement)
                known = found.get(match.code)
                if known is None or rank(match) > rank(known):
                    found[match.code] = match
    return _best(list(found.values()))


def _best(matches: list[Match]) -> list[Match]:
    if not matches:
        return []
    top = max(rank(m) for m in matches)
    return [m for m in matches if rank(m) == top]


@lru_cache(maxsize=4096)
def description_words(code_description: str) -> frozenset[str]:
    """Canonical core words of a description (for comparing a curated code with a match)."""
    index = description_index()
    core, _, _ = description_parts(code_description)
    return frozenset(w for w in (index.canonical(word) for word in core) if w)


def read_statement(lower: str, start: int, end: int) -> StatementWords | None:
    """The canonical words of the statement ``lower[start:end]`` by their status; None when
    part of it is uncertain, historical or about a relative (left to the curated table)."""
    index = description_index()
    affirmed: set[str] = set()
    negated: set[str] = set()
    # "non-ST elevation" names a kind, it negates nothing (the tabular writes it so too).
    text = lower[start:end].replace("non-", "non_")
    plain = holds_no_cue(text, 0, len(text))
    with_ends = [m.end() for m in _WITH.finditer(text)]
    for match in WORD.finditer(text):
        word = match.group()
        # Parenthesised words are asides, as in the tabular list (and in diagnoses.py).
        if word in STOP_WORDS or _parenthesis_depth(text, 0, match.start()) > 0:
            continue
        canonical = index.canonical(word)
        if canonical is None:
            continue
        if plain:
            affirmed.add(canonical)
            continue
        # A "with" starts a new, positive part: "not intractable, with status epilepticus".
        floor = max((w for w in with_ends if w <= match.start()), default=0)
        status = assertion(text, match.start(), match.end(), floor=floor)
        if status is Assertion.NEGATED:
            negated.add(canonical)
        elif status is Assertion.PRESENT:
            affirmed.add(canonical)
        else:
            return None
    affirmed -= negated  # said both ways: not evidence for a code
    if affirmed & {"right", "left"} and "bilateral" not in affirmed:
        # A side named is one side: the tabular writes "unilateral ..., right knee".
        affirmed.add("unilateral")
    return StatementWords(frozenset(affirmed), frozenset(negated))


def _parenthesis_depth(lower: str, start: int, position: int) -> int:
    before = lower[start:position]
    return before.count("(") - before.count(")")


def more_specific(words: StatementWords, code: str, description: str) -> Match | None:
    """A code that states more of the statement than ``code`` does, for the same condition.

    Same condition: the candidate keeps every condition word ``code`` took from the
    statement, counting the words of its category title for a code of ``code``'s category
    ("Bipolar II ..." never becomes a bipolar code without "II"; "right lower quadrant
    abdominal pain" is R10.31 of R10 "Abdominal and pelvic pain"). Candidates are the codes
    the statement covers, and the codes of ``code``'s category it covers together with what
    ``code`` already says ("abscess" is coded as a cutaneous abscess, so
    "abscess of right axilla" is the cutaneous abscess of the right axilla). The winner must
    explain more of the statement than ``code`` and be the only best candidate.
    """
    said = words.affirmed
    known = description_words(description)
    if not (said - known - AXIS_WORDS - {"unilateral"}):
        return None  # the code already says every condition word of the statement
    kept = (known & said) - AXIS_WORDS
    if not kept:
        return None
    category = code[:3]
    title = (
        description_words(icd10.descriptor(category)) if icd10.is_code(category) else frozenset()
    )

    def same_condition(candidate: Description) -> bool:
        implied = title if candidate.code.startswith(category) else frozenset()
        return kept <= candidate.core | implied

    # The title only names the condition ("Suppurative and unspecified otitis media" is not
    # evidence of suppuration); what ``code`` says is, unless the statement negates it.
    implied = StatementWords(said | (known - words.negated), words.negated)
    found = {
        m.code: m for m in best_matches(implied, said, codes_within=category, admits=same_condition)
    }
    for match in best_matches(words, said, admits=same_condition):
        if match.code not in found or rank(match) > rank(found[match.code]):
            found[match.code] = match
    best = _best(list(found.values()))
    current = score(Description(code, known, frozenset(), frozenset()), said)
    if len(best) != 1 or rank(best[0]) <= rank(current) or best[0].code == code:
        return None
    return best[0]


def code_for_statement(words: StatementWords) -> Match | None:
    """The single best code for a statement the curated table did not code, when it names
    the condition in at least two words of the tabular wording."""
    best = best_matches(words, words.affirmed)
    if len(best) != 1 or best[0].condition_words < 2:
        return None
    return best[0]


def says_more_than(lower: str, start: int, end: int, descriptions: list[str]) -> bool:
    """Cheap check before reading a statement: does it hold a tabular word that none of the
    codes already given to it uses? (Most statements do not, and need no look-up.)"""
    index = description_index()
    known: set[str] = set()
    for description in descriptions:
        known |= description_words(description)
    for match in WORD.finditer(lower, start, end):
        word = match.group()
        if word in STOP_WORDS:
            continue
        canonical = index.canonical(word)
        if canonical and canonical not in known and canonical not in AXIS_WORDS:
            return True
    return False
