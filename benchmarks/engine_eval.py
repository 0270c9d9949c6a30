#!/usr/bin/env python3
"""Score RulesEngine directly over coding cases, with the figures of shared/eval/score_coding.py.

The HTTP scorer is loaded with importlib and its request function is replaced by a direct
engine call, so every figure (em_exact, icd10_f1, icd10_cat_f1, proc_f1, modifier_acc,
quality_f1, invalid_icd10, p50/p95 latency) is computed by the scorer's own code.

    .venv/bin/python benchmarks/engine_eval.py [--cases DIR] [-v] [--json out.json]

DIR defaults to ../shared/eval/coding/dev.
"""

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimlens.settings")

from extraction import icd10  # noqa: E402
from extraction.engines.rules import RulesEngine  # noqa: E402
from extraction.parameters import DEFAULTS, ExtractionParameters, canonical  # noqa: E402

DEFAULT_CASES = ROOT.parent / "shared" / "eval" / "coding" / "dev"
SCORER = ROOT.parent / "shared" / "eval" / "score_coding.py"


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("score_coding", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parameters_from(request: dict) -> ExtractionParameters:
    values = {}
    for field in ("payer", "patient_type", "visit_type", "specialty"):
        raw = request.get(field)
        values[field] = (canonical(field, raw) if raw else None) or DEFAULTS[field]
    return ExtractionParameters(**values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", default=str(DEFAULT_CASES))
    parser.add_argument("--scorer", default=str(SCORER))
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    scorer = load_scorer(Path(args.scorer))
    engine = RulesEngine()
    icd10.is_code("E11.9")  # load the ICD-10-CM set once, as a server process would
    invalid_codeset: list[str] = []

    def post(base_url, key, path, body, timeout):
        start = time.perf_counter()
        answer = engine.extract(note=body["note"], parameters=parameters_from(body))
        elapsed_ms = (time.perf_counter() - start) * 1000
        result = answer.result.to_dict()
        invalid_codeset.extend(
            c["code"] for c in result["icd10_codes"] if not icd10.is_billable(c["code"])
        )
        return 200, {"result": result}, elapsed_ms

    scorer.post = post
    figures = scorer.score(scorer.load_cases(args.cases), "engine://direct", "", 0, args.verbose)
    figures["icd10_not_billable"] = len(invalid_codeset)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    print("coding " + " ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
