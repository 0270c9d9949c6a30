"""The rule engine's shortcuts find what the plain scans find, and its time grows linearly."""

import re

import pytest

from extraction.engines.rules.codebook import clinical_lexicon, diagnosis_terms, term_pattern


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
