"""Guardrails: a model's invented codes and overstated levels are caught."""

from extraction.engines.guardrails import apply_guardrails
from extraction.parameters import ExtractionParameters, Payer
from extraction.result import CodeEntry, ExtractionResult
from extraction.validation import post_validate

NOTE = (
    "S: 34 y/o with 3 days of runny nose and sore throat, no fever.\n"
    "A: Viral URI.\nP: fluids, saline spray, acetaminophen 500 mg prn. Return if worse."
)
COMMERCIAL = ExtractionParameters(payer=Payer.COMMERCIAL)


def check(model: ExtractionResult) -> ExtractionResult:
    """What the service does with a model's answer: guardrails, then post-validation."""
    return post_validate(apply_guardrails(model, note=NOTE, parameters=COMMERCIAL), note=NOTE)


def _model_answer() -> ExtractionResult:
    return ExtractionResult(
        em_codes=[
            CodeEntry("99215", "made-up descriptor", "high complexity", evidence="Viral URI")
        ],
        icd10_codes=[
            CodeEntry("J06.9", "uri"),
            CodeEntry("J99.99", "invented"),
            CodeEntry("E11", "diabetes category"),
        ],
        cpt_codes=[CodeEntry("99999", "invented procedure"), CodeEntry("12AB", "garbage")],
        hcpcs_codes=[CodeEntry("G2211", "complexity add-on")],
    )


def test_invented_and_invalid_codes_are_removed_and_reported():
    checked = check(_model_answer())
    assert [e.code for e in checked.icd10_codes] == ["J06.9", "E11"]
    assert checked.icd10_codes[0].descriptor.startswith("Acute upper respiratory infection")
    assert checked.icd10_codes[1].billing_tier == "non_billable"
    assert checked.cpt_codes == []
    assert checked.hcpcs_codes == []  # G2211 is Medicare-only
    risky = {r.code for r in checked.denial_risks if r.risk_level == "High"}
    assert {"J99.99", "E11", "99999", "12AB", "G2211"} <= risky
    removed = {g["code"] for g in checked.guardrails if g["action"] == "removed"}
    assert {"J99.99", "99999", "12AB", "G2211"} <= removed
    assert {"action": "marked_non_billable", "code": "E11"}.items() <= next(
        g for g in checked.guardrails if g["code"] == "E11"
    ).items()


def test_an_overstated_level_is_lowered_and_flagged_high():
    checked = check(_model_answer())
    assert [e.code for e in checked.em_codes] == ["99212"]
    lowered = [g for g in checked.guardrails if g["action"] == "lowered"]
    assert lowered
    assert lowered[0]["code"] == "99215"
    assert lowered[0]["replacement"] == "99212"
    assert any(r.code == "99215" and r.risk_level == "High" for r in checked.denial_risks)
    assert checked.mdm["level"] == "straightforward"


def test_a_supported_answer_passes_unchanged_and_the_input_is_not_mutated():
    model = ExtractionResult(
        em_codes=[CodeEntry("99212", "x", evidence="Viral URI")],
        icd10_codes=[CodeEntry("j06.9", "x")],
    )
    checked = check(model)
    assert [e.code for e in checked.em_codes] == ["99212"]
    assert [e.code for e in checked.icd10_codes] == ["J06.9"]
    assert [g for g in checked.guardrails if g["action"] != "evidence_cleared"] == []
    assert model.icd10_codes[0].code == "j06.9"


def test_evidence_that_is_not_in_the_note_is_cleared():
    model = ExtractionResult(icd10_codes=[CodeEntry("J06.9", "x", evidence="patient has flu")])
    checked = check(model)
    assert checked.icd10_codes[0].evidence == ""
    assert checked.guardrails[0]["action"] == "evidence_cleared"
