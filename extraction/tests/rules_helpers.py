"""Shared helpers for the rule-engine tests: notes here are written for the tests."""

from extraction.engines.rules import RulesEngine
from extraction.parameters import ExtractionParameters, canonical
from extraction.result import ExtractionResult

ENGINE = RulesEngine()


def run(note: str, **params: str) -> ExtractionResult:
    values = {field: canonical(field, value) for field, value in params.items()}
    answer = ENGINE.extract(note=note, parameters=ExtractionParameters(**values))
    assert answer.engine == "rules"
    return answer.result


def codes(result: ExtractionResult, list_name: str) -> set[str]:
    return {entry.code for entry in getattr(result, list_name)}


def entry(result: ExtractionResult, code: str):
    for list_name in ("em_codes", "icd10_codes", "cpt_codes", "hcpcs_codes", "quality_codes"):
        for item in getattr(result, list_name):
            if item.code == code:
                return item
    raise AssertionError(f"{code} not in result")
