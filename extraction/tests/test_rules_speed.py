"""The rule engine's shortcuts find what the plain scans find, and its time grows linearly."""

import random
import re
import time
from pathlib import Path
from re import _parser as sre_parser

import pytest

from extraction.engines.rules import (
    diagnoses,
    em_level,
    engine,
    findings,
    negation,
    payer_rules,
    procedures,
    sections,
)
from extraction.engines.rules.codebook import (
    clinical_lexicon,
    diagnosis_terms,
    term_first_words,
    term_pattern,
)
from extraction.engines.rules.diagnoses import term_index
from extraction.engines.rules.prefilter import PrefilteredPattern, required_substrings
from extraction.engines.rules.sections import ClinicalNote

from .rules_helpers import run


def _term_lists() -> dict[str, list[str]]:
    lists = {"diagnoses": [t for c in diagnosis_terms()["conditions"] for t in c["terms"]]}
    for name, value in clinical_lexicon().items():
        if isinstance(value, list):
            lists[name] = value
        elif name != "_meta":
            lists.update({f"{name}: {key}": terms for key, terms in value.items()})
    return lists


def _plain_alternation(terms: list[str]) -> re.Pattern[str]:
    """What ``term_pattern`` compiled before it built a trie: every term, longest first."""
    parts = [r"[\s\-]+".join(map(re.escape, t.split())) for t in sorted(set(terms), key=len)[::-1]]
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])")


def _texts_around(terms: list[str]) -> list[str]:
    """Every term in the spellings that make a trie and an alternation disagree if they can:
    gaps as hyphens or runs of spaces, terms cut short, glued or run into the next one."""
    lowered = [t.lower() for t in terms]
    return [
        " ".join(lowered),
        "-".join(lowered),
        ". ".join(t.replace(" ", " - ") for t in lowered),
        "x".join(lowered),
        " ".join(t + "s" for t in lowered),
        " ".join(t[:-1] for t in lowered),
        " ".join(t.replace("-", " ") for t in lowered),
    ]


COMPETING_TERMS = {"hyphen or gap": ["x-ray", "x ray film", "a b-c d", "a b c"]}


@pytest.mark.parametrize(("name", "terms"), [*_term_lists().items(), *COMPETING_TERMS.items()])
def test_term_trie_finds_what_the_longest_first_alternation_finds(name, terms):
    trie, plain = term_pattern(terms), _plain_alternation(terms)
    for text in _texts_around(terms):
        found = [(m.span(), m.group()) for m in trie.finditer(text)]
        assert found == [(m.span(), m.group()) for m in plain.finditer(text)], name


@pytest.mark.parametrize(("name", "terms"), _term_lists().items())
def test_terms_are_found_from_their_first_words_as_by_a_scan(name, terms):
    pattern, first_words = term_pattern(terms), term_first_words(terms)
    for text in _texts_around(terms):
        note = ClinicalNote(text)
        found = [m.span() for m in note.find_terms(pattern, first_words)]
        assert found == [m.span() for m in pattern.finditer(note.lower)], name


@pytest.mark.parametrize(("name", "terms"), _term_lists().items())
def test_terms_between_two_offsets_are_found_as_by_a_scan(name, terms):
    """Stretches that cut words and terms at either end, as assessment items never do."""
    pattern, first_words = term_pattern(terms), term_first_words(terms)
    chooser = random.Random(name)
    for text in _texts_around(terms):
        note = ClinicalNote(text)
        for _ in range(20):
            start, end = sorted(chooser.randrange(len(text) + 1) for _ in range(2))
            found = [m.span() for m in note.find_terms_between(pattern, first_words, start, end)]
            assert found == [m.span() for m in pattern.finditer(note.lower, start, end)], name


def test_required_substrings_of_small_patterns():
    assert required_substrings(re.compile(r"\b(?:ecg|ekg|electrocardiogram)\b")) == {
        "ecg",
        "ekg",
        "electrocardiogram",
    }
    assert required_substrings(re.compile(r"(?:ab)?cd|ef")) == {"cd", "ef"}
    assert required_substrings(re.compile(r"x(?=abc)")) == {"x"}  # lookarounds consume nothing
    assert required_substrings(re.compile(r"a(?:b|)c")) in ({"a"}, {"c"})
    assert required_substrings(re.compile(r"(?:ab|\d)")) is None  # one branch needs nothing
    assert required_substrings(re.compile(r"abc", re.IGNORECASE)) is None


def _engine_patterns() -> list[PrefilteredPattern]:
    """Every prefiltered pattern of the rule engine: module constants and data-driven ones."""
    patterns = [t for _, t in findings._test_patterns()]
    patterns += [findings._management_pattern(), *term_index().qualifiers.values()]
    patterns += [product.pattern for product in procedures._vaccine_products()]
    modules = (findings, procedures, em_level, engine, payer_rules, negation, diagnoses, sections)
    for module in modules:
        for value in vars(module).values():
            items = value if isinstance(value, list) else [value]
            for item in items:
                parts = item if isinstance(item, tuple) else (item,)
                patterns += [p for p in parts if isinstance(p, PrefilteredPattern)]
    return patterns


def _sample_match(items, rng: random.Random) -> str:
    """A random string for a parsed regex sequence (lookbehinds and anchors ignored)."""
    out = []
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(value))
        elif name == "NOT_LITERAL":
            out.append("x" if chr(value) != "x" else "y")
        elif name == "ANY":
            out.append(rng.choice("a .1"))
        elif name == "IN":
            out.append(_sample_class(value, rng))
        elif name == "BRANCH":
            out.append(_sample_match(rng.choice(value[1]), rng))
        elif name == "SUBPATTERN":
            out.append(_sample_match(value[3], rng))
        elif name == "ASSERT" and value[0] == 1:  # a lookahead: what follows must fit it
            out.append(_sample_match(value[1], rng))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high = value[0], min(value[1], value[0] + 3)
            out += [_sample_match(value[2], rng) for _ in range(rng.randint(low, high))]
    return "".join(out)


def _sample_class(members, rng: random.Random) -> str:
    if str(members[0][0]) == "NEGATE":
        return rng.choice([c for c in "ax 1-/" if re.match(_class_regex(members), c)])
    op, value = rng.choice(members)
    if str(op) == "LITERAL":
        return chr(value)
    if str(op) == "RANGE":
        return chr(rng.randint(*value))
    return {"CATEGORY_DIGIT": "7", "CATEGORY_SPACE": " ", "CATEGORY_WORD": "w"}.get(str(value), "a")


def _class_regex(members) -> str:
    return "[^" + "".join(re.escape(chr(v)) for op, v in members if str(op) == "LITERAL") + "]"


@pytest.mark.parametrize("index", range(len(_engine_patterns())))
def test_prefilter_never_hides_a_match(index):
    pattern = _engine_patterns()[index]
    rng = random.Random(index)
    parsed = list(sre_parser.parse(pattern.regex.pattern, pattern.regex.flags))
    padding = "note text " * 50  # long texts: matches are then tried near keywords only
    checked = 0
    for _ in range(100):
        sample = _sample_match(parsed, rng)
        for text in (sample, f"{padding}{sample}.\n{sample} {padding}", f"{sample}{padding}"):
            expected = [m.span() for m in pattern.regex.finditer(text)]
            assert [m.span() for m in pattern.finditer(text)] == expected, (pattern, text)
            found = pattern.search(text)
            assert (found.span() if found else None) == (expected[0] if expected else None)
            checked += bool(expected)
    assert checked or pattern.keywords is None, f"no sample matched {pattern}"


SAMPLE_NOTE = (Path(__file__).resolve().parents[2] / "benchmarks" / "sample_note.txt").read_text()


def _note_of_length(chars: int) -> str:
    return "\n".join([SAMPLE_NOTE] * (chars // len(SAMPLE_NOTE) + 1))[:chars]


def _best_of_3_seconds(note: str) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run(note)
        times.append(time.perf_counter() - start)
    return min(times)


def test_time_grows_linearly_with_note_length():
    """Ten times the text takes about ten times as long (no scan of the note per sentence or
    per mention); 25 leaves room for a busy machine. No absolute limits: machines differ."""
    short_note, long_note = _note_of_length(5_000), _note_of_length(50_000)
    run(short_note), run(long_note)  # warm-up: data files and compiled patterns
    assert _best_of_3_seconds(long_note) < 25 * _best_of_3_seconds(short_note)
