#!/usr/bin/env python3
"""How fast the offline rule engine codes one note, and how its time grows with note length.

Prints the median milliseconds per extract for the sample note, a 5,000- and a 50,000-character
note (the API's limit, ``MAX_NOTE_CHARS``), their ratio (about 10 when time grows linearly), and
the regular-expression calls one extract of the sample note makes (a count is steadier than
time on a shared machine). Figures are printed, not asserted. Run with ``make bench-engine``.

    .venv/bin/python benchmarks/engine_speed.py [--runs 50]
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimlens.settings")

from extraction import icd10  # noqa: E402
from extraction.engines.rules import RulesEngine  # noqa: E402
from extraction.parameters import MAX_NOTE_CHARS, ExtractionParameters  # noqa: E402

SAMPLE_NOTE = (Path(__file__).parent / "sample_note.txt").read_text()
PARAMETERS = ExtractionParameters()
REGEX_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "split")


def note_of_length(chars: int) -> str:
    """The sample note repeated up to ``chars`` characters: a long note with many sections."""
    copies = chars // len(SAMPLE_NOTE) + 1
    return "\n".join([SAMPLE_NOTE] * copies)[:chars]


def median_ms(engine: RulesEngine, note: str, runs: int) -> float:
    engine.extract(note=note, parameters=PARAMETERS)  # warm-up: data files, regex caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        engine.extract(note=note, parameters=PARAMETERS)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def regex_calls(engine: RulesEngine, note: str) -> dict[str, int]:
    """Calls of each compiled-pattern method in one extract (``re.search`` goes through one)."""
    profiler = cProfile.Profile()
    profiler.runcall(engine.extract, note=note, parameters=PARAMETERS)
    counts = dict.fromkeys(REGEX_METHODS, 0)
    for (_, _, function), (_, calls, *_) in pstats.Stats(profiler).stats.items():
        for method in REGEX_METHODS:
            if function == f"<method '{method}' of 're.Pattern' objects>":
                counts[method] += calls
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50, help="timed runs per note (median)")
    args = parser.parse_args()
    engine = RulesEngine()
    icd10.is_code("E11.9")  # load the ICD-10-CM set once, as a server process would
    short_note, long_note = note_of_length(5_000), note_of_length(MAX_NOTE_CHARS)
    sample_ms = median_ms(engine, SAMPLE_NOTE, args.runs)
    short_ms = median_ms(engine, short_note, args.runs)
    long_ms = median_ms(engine, long_note, max(5, args.runs // 5))
    calls = regex_calls(engine, SAMPLE_NOTE)
    print(f"sample note ({len(SAMPLE_NOTE):,} chars): {sample_ms:.2f} ms median of {args.runs}")
    print(f"{len(short_note):,}-char note: {short_ms:.2f} ms")
    print(f"{len(long_note):,}-char note: {long_ms:.2f} ms")
    print(f"50k/5k time ratio: {long_ms / short_ms:.1f} (10 is linear)")
    print(
        "regex calls per sample note: "
        + " ".join(f"{name}={count}" for name, count in calls.items() if count)
        + f" total={sum(calls.values())}"
    )


if __name__ == "__main__":
    main()
