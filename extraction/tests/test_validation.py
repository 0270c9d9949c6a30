"""Post-validation of every engine's answer against the official ICD-10-CM code set."""

from extraction.result import CodeEntry, ExtractionResult
from extraction.validation import post_validate


def _result(*codes: str) -> ExtractionResult:
    return ExtractionResult(
        icd10_codes=[
            CodeEntry(code=c, descriptor="from the model", evidence="A1C 8.4%") for c in codes
        ]
    )


def test_invalid_codes_are_removed_and_reported_high():
    result = post_validate(_result("E11.65", "Q99.999", "ZZZ"), note="A1C 8.4%")
    assert [c.code for c in result.icd10_codes] == ["E11.65"]
    reported = {(r.code, r.risk_level) for r in result.denial_risks}
    assert reported == {("Q99.999", "High"), ("ZZZ", "High")}


def test_category_codes_are_non_billable_with_a_risk():
    result = post_validate(_result("E11"), note="")
    assert result.icd10_codes[0].billing_tier == "non_billable"
    assert result.denial_risks[0].code == "E11"


def test_descriptors_and_format_come_from_the_official_set():
    result = post_validate(_result("e1165", "E11.65"), note="A1C 8.4%")
    assert len(result.icd10_codes) == 1  # the same code twice is reported once
    assert result.icd10_codes[0].code == "E11.65"
    assert result.icd10_codes[0].descriptor == "Type 2 diabetes mellitus with hyperglycemia"
    assert result.icd10_codes[0].billing_tier == "billable"


def test_evidence_must_be_an_exact_quote_of_the_note():
    kept = post_validate(_result("E11.65"), note="Labs: A1C 8.4% today")
    assert kept.icd10_codes[0].evidence == "A1C 8.4%"
    dropped = post_validate(_result("E11.65"), note="Labs: HbA1c 8.4 today")
    assert dropped.icd10_codes[0].evidence == ""
