"""PHI scrubber benchmark: ClaimLens's scrubber beside scrubadub on the PHI dev cases.

Prints PHI recall, keep rate and per-kind recall, scored exactly as ``score_phi.py`` scores the
HTTP API (its ``leaked`` function is imported from the shared eval folder), the characters
scrubbed per second, and the time for one 50,000-character note.

    .venv/bin/python benchmarks/scrubber.py [--cases DIR] [--scorer PATH]

No note text is printed: only figures.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import glob
import importlib.util
import io
import json
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED_EVAL = ROOT.parent / "shared" / "eval"
BIG_NOTE_CHARS = 50_000


@dataclass
class Figures:
    tool: str
    recall: float | None = None
    keep_rate: float | None = None
    chars_per_s: float | None = None
    big_note_ms: float | None = None
    by_kind: dict[str, float] = field(default_factory=dict)
    problem: str = ""


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_phi", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def claimlens_scrubber() -> Callable[[str], str]:
    """The scrubber as a web process runs it: after ``warm_up`` (tables loaded, then frozen
    out of the garbage collector's way)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimlens.settings")
    import django

    django.setup()
    from extraction.phi import scrub_note
    from extraction.warmup import warm_up

    warm_up()

    return lambda note: scrub_note(note).scrubbed_note


def scrubadub_scrubber() -> tuple[Callable[[str], str], str]:
    """scrubadub's default en_US detectors plus its date-of-birth detector."""
    warnings.simplefilter("ignore")
    import scrubadub

    scrubber = scrubadub.Scrubber(locale="en_US")
    scrubber.add_detector("date_of_birth")
    caveat = ""
    try:
        probe = scrubadub.Scrubber(locale="en_US")
        probe.add_detector("text_blob_name")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            probe.clean("Seen by John Smith today.")
        scrubber.add_detector("text_blob_name")
    except Exception as error:  # report why names are off, whatever it is
        caveat = f"scrubadub name detector unavailable ({type(error).__name__}: needs NLTK corpora)"
    return scrubber.clean, caveat


def measure(tool: str, scrub: Callable[[str], str], cases: list[dict], scorer) -> Figures:
    figures = Figures(tool)
    caught = total = kept = keep_total = chars = 0
    seconds = 0.0
    by_kind: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    scrub(cases[0]["note"])  # warm up: lexicons, compiled patterns
    for case in cases:
        start = time.perf_counter()
        text = scrub(case["note"])
        seconds += time.perf_counter() - start
        chars += len(case["note"])
        for item in case["phi"]:
            total += 1
            by_kind[item["kind"]][1] += 1
            if not scorer.leaked(item, text):
                caught += 1
                by_kind[item["kind"]][0] += 1
        for keep in case["keep"]:
            keep_total += 1
            kept += keep in text
    figures.recall = caught / max(total, 1)
    figures.keep_rate = kept / max(keep_total, 1)
    figures.chars_per_s = chars / seconds if seconds else None
    figures.by_kind = {kind: c / n for kind, (c, n) in sorted(by_kind.items())}
    big = ("\n\n".join(case["note"] for case in cases) * (BIG_NOTE_CHARS // 1000 + 1))[
        :BIG_NOTE_CHARS
    ]
    # The median of repeated runs (11, or fewer for a tool that takes seconds a note): on a
    # shared machine a single run says little.
    runs = [_timed(scrub, big)]
    while len(runs) < 11 and sum(runs) < 10:
        runs.append(_timed(scrub, big))
    figures.big_note_ms = 1000 * statistics.median(runs)
    return figures


def _timed(scrub: Callable[[str], str], note: str) -> float:
    start = time.perf_counter()
    scrub(note)
    return time.perf_counter() - start


def loop_speed_ms() -> float:
    """Milliseconds for a million-step Python loop (median of 5): how fast this machine is
    right now (a current desktop core takes about 30-50 ms), so the timings above can be
    compared."""
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        total = 0
        for step in range(1_000_000):
            total += step
        runs.append(time.perf_counter() - start)
    return 1000 * statistics.median(runs)


def _cell(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def print_table(results: list[Figures]) -> None:
    kinds = sorted({kind for figures in results for kind in figures.by_kind})
    width = 16
    print("PHI scrubber benchmark (dev cases, scored as score_phi.py)")
    print("metric".ljust(22) + "".join(f.tool.rjust(width) for f in results))
    rows = [
        ("phi_recall", lambda f: _cell(f.recall, ".3f")),
        ("keep_rate", lambda f: _cell(f.keep_rate, ".3f")),
        ("chars_per_s", lambda f: _cell(f.chars_per_s, ",.0f")),
        (f"{BIG_NOTE_CHARS:,}-char note ms", lambda f: _cell(f.big_note_ms, ".1f")),
    ]
    for label, render in rows:
        print(label.ljust(22) + "".join(render(f).rjust(width) for f in results))
    for kind in kinds:
        print(
            f"  recall {kind}".ljust(22)
            + "".join(_cell(f.by_kind.get(kind), ".3f").rjust(width) for f in results)
        )
    for figures in results:
        if figures.problem:
            print(f"note: {figures.tool}: {figures.problem}")
    print(f"machine: a 1,000,000-step Python loop takes {loop_speed_ms():.0f} ms here")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=str(SHARED_EVAL / "phi" / "dev"))
    parser.add_argument("--scorer", default=str(SHARED_EVAL / "score_phi.py"))
    args = parser.parse_args()
    paths = sorted(glob.glob(os.path.join(args.cases, "*.json")))
    if not paths:
        raise SystemExit(f"no cases in {args.cases}")
    cases = [json.loads(Path(path).read_text(encoding="utf-8")) for path in paths]
    scorer = load_scorer(Path(args.scorer))
    print(f"{len(cases)} cases, {sum(len(c['note']) for c in cases):,} characters")

    results = [measure("claimlens", claimlens_scrubber(), cases, scorer)]
    try:
        scrub, caveat = scrubadub_scrubber()
    except Exception as error:  # any import failure is reported, not hidden
        results.append(Figures("scrubadub", problem=f"failed to import: {error!r}"))
    else:
        figures = measure("scrubadub", scrub, cases, scorer)
        figures.problem = caveat
        results.append(figures)
    print_table(results)


if __name__ == "__main__":
    main()
