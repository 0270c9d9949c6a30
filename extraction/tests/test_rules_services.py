"""Minor procedures and same-day services: lesion destruction, global packages, modifier 25."""

import pytest

from .rules_helpers import codes, entry, run


def _wart_visit(assessment: str, procedure: str, plan: str = "Recheck in 3 weeks.") -> str:
    return (
        "Office visit, established patient, 12 year old boy.\n"
        "CC: warts on the feet.\n"
        "HPI: bumps on both soles for 4 months; salicylic acid pads did not help.\n"
        "Exam: hyperkeratotic papules with pinpoint black dots on both soles.\n"
        f"Procedure: {procedure}\nAssessment: {assessment}\nPlan: {plan}\n"
    )


@pytest.mark.parametrize(
    ("plan", "code"),
    [
        (
            "Cryotherapy with liquid nitrogen to 3 warts on the soles today, tolerated well.",
            "17110",
        ),
        ("Liquid nitrogen applied to 17 small plantar warts today, 2 cycles each.", "17111"),
    ],
)
def test_wart_destruction_alone_is_the_procedure_without_an_em(plan, code):
    result = run(_wart_visit("Verruca plantaris, both feet.", plan), payer="commercial")
    assert code in codes(result, "cpt_codes")
    assert not ({"17110", "17111"} - {code}) & codes(result, "cpt_codes")
    assert not codes(result, "em_codes")


def test_wart_destruction_with_another_problem_keeps_an_em_with_25():
    note = _wart_visit(
        "1. Plantar verrucae, both feet.\n2. Moderate persistent asthma, stable on current"
        " controller.",
        "Liquid nitrogen applied to 5 plantar warts today.",
        "Refilled fluticasone inhaler 110 mcg 2 puffs bid with 5 refills.",
    )
    result = run(note, payer="commercial")
    assert "17110" in codes(result, "cpt_codes")
    (em,) = result.em_codes
    assert "25" in em.modifiers


def test_em_beside_an_office_nebulizer_treatment_carries_modifier_25():
    note = (
        "Follow-up visit, 58 year old man with COPD.\n"
        "HPI: 3 days of more dyspnea and yellow sputum, using rescue inhaler 5 times a day.\n"
        "Exam: scattered wheezes, SpO2 91% on room air.\n"
        "DuoNeb nebulizer treatment given in office with improved air movement, SpO2 95%.\n"
        "Assessment: COPD with acute exacerbation.\n"
        "Plan: prednisone 40 mg daily x 5 days, doxycycline 100 mg bid x 5 days.\n"
    )
    result = run(note, payer="commercial")
    assert "94640" in codes(result, "cpt_codes")
    (em,) = result.em_codes
    assert "25" in em.modifiers
    assert entry(result, "94640").modifiers == []


def test_destruction_of_lesions_named_only_in_the_assessment():
    """The procedure line says "lesions"; the assessment says they are warts."""
    note = _wart_visit(
        "Verruca plantaris x 5, both feet.",
        "Cryotherapy, 2 freeze-thaw cycles to each of the 5 lesions, 1 mm margin. Tolerated well.",
    )
    result = run(note, payer="commercial")
    assert "17110" in codes(result, "cpt_codes")
    assert not codes(result, "em_codes")


def _intake(process: str) -> str:
    return (
        "Psychiatric diagnostic evaluation, 8 year old girl, with both parents.\n"
        "Presenting concerns: inattention and outbursts at school for a year.\n"
        f"Session process: {process}\n"
        "MSE: restless, mood 'fine', no SI/HI.\n"
        "Assessment: Attention-deficit hyperactivity disorder, combined type.\n"
        "Plan: teacher rating scales, parent training referral, follow up in 2 weeks.\n"
    )


@pytest.mark.parametrize(
    "process",
    [
        "The parents argued with each other about bedtimes throughout; I redirected the parents"
        " twice before the history could go on.",
        "Mother and father repeatedly blamed each other, which disrupted the interview.",
    ],
)
def test_conflict_among_participants_is_interactive_complexity(process):
    result = run(_intake(process), visit_type="behavioral", specialty="behavioral_health")
    assert {"90791", "90785"} <= codes(result, "cpt_codes")


def test_an_interpreter_alone_is_not_interactive_complexity():
    process = "A Spanish interpreter was used for the whole visit; parents cooperative."
    result = run(_intake(process), visit_type="behavioral", specialty="behavioral_health")
    assert "90791" in codes(result, "cpt_codes")
    assert "90785" not in codes(result, "cpt_codes")
