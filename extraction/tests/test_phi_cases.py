"""The scrubber on our own synthetic notes (``phi_cases/``), scored the way the evaluation
scores PHI: every identifier must go, every clinical fact must stay.

The notes differ on purpose from the evaluation's dev notes (ED triage, dictation, pediatric,
psychiatric, non-Anglo names, international numbers, ages over 89 in many phrasings), so a
rule that only fits the dev notes fails here. Each case lists every identifier with its Safe
Harbor kind (``phi``) and the facts coding needs (``keep``).
"""

import collections
import json
import re
from pathlib import Path

import pytest

from extraction.phi import scrub_note

CASES_DIR = Path(__file__).resolve().parent / "phi_cases"
CASES = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(CASES_DIR.glob("*.json"))]
MIN_RECALL = 0.99
MIN_KEEP_RATE = 0.98


def _leaked(item: dict, scrubbed: str) -> bool:
    """The evaluation's leak rule: a name leaks if any word of 3+ letters survives whole; a date
    if its text survives (its year may stay); anything else if its text survives or any run of
    4+ digits in it survives as a whole digit run."""
    text, kind = item["text"], item["kind"]
    if kind == "name":
        name_words = [w for w in re.findall(r"[A-Za-z][A-Za-z'\-]+", text) if len(w) >= 3]
        return any(
            re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", scrubbed) for w in name_words
        )
    if text in scrubbed:
        return True
    if kind == "date":
        return False
    return any(re.search(rf"(?<!\d){run}(?!\d)", scrubbed) for run in re.findall(r"\d{4,}", text))


@pytest.fixture(scope="module")
def scored() -> dict:
    caught: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    leaks: list[str] = []
    losses: list[str] = []
    kept = keep_total = 0
    for case in CASES:
        scrubbed = scrub_note(case["note"]).scrubbed_note
        for item in case["phi"]:
            caught[item["kind"]][1] += 1
            if _leaked(item, scrubbed):
                leaks.append(f"{case['id']}: {item['kind']} {item['text']!r}")
            else:
                caught[item["kind"]][0] += 1
        for fact in case["keep"]:
            keep_total += 1
            if fact in scrubbed:
                kept += 1
            else:
                losses.append(f"{case['id']}: {fact!r}")
    return {"by_kind": caught, "leaks": leaks, "losses": losses, "keep": kept / keep_total}


def test_cases_are_well_formed():
    assert len(CASES) >= 25
    for case in CASES:
        for item in case["phi"]:
            assert item["text"] in case["note"], (case["id"], item)
        for fact in case["keep"]:
            assert fact in case["note"], (case["id"], fact)


def test_recall_overall_and_per_kind(scored):
    by_kind = scored["by_kind"]
    caught = sum(found for found, _ in by_kind.values())
    total = sum(count for _, count in by_kind.values())

    assert caught / total >= MIN_RECALL, scored["leaks"]
    for kind, (found, count) in by_kind.items():
        assert found / count >= MIN_RECALL, (kind, scored["leaks"])


def test_clinical_facts_survive(scored):
    assert scored["keep"] >= MIN_KEEP_RATE, scored["losses"]
