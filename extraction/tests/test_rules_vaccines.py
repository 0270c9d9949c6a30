"""Vaccines: product codes from vaccines.json, administration codes by age/counselling/payer."""

import pytest

from extraction.engines.rules.codebook import lookup, vaccine_products

from .rules_helpers import codes, entry, run


def _visit(age: str, plan: str) -> str:
    return (
        f"Nurse and provider visit. Patient is a {age}.\n"
        "Subjective: here for immunizations, feeling well, no fever.\n"
        "Exam: well appearing, afebrile.\n"
        f"Assessment: Immunization due.\nPlan: {plan}\n"
    )


def test_every_vaccine_product_is_in_the_codebook_as_a_vaccine():
    for product in vaccine_products():
        code = lookup(product["code"])
        assert code is not None, product["code"]
        assert code.family == "vaccine", product["code"]
        if product.get("medicare_admin"):
            assert lookup(product["medicare_admin"]).family == "vaccine_admin"


def test_pediatric_hep_a_with_counselling_in_the_next_sentence_is_90460():
    note = _visit(
        "27-month-old boy",
        "HepA dose #2 administered IM right thigh. Pediatrician counseled father on risks and"
        " benefits, VIS given.",
    )
    result = run(note, payer="medicaid")
    assert {"90633", "90460"} <= codes(result, "cpt_codes")
    assert "90471" not in codes(result, "cpt_codes")
    assert "Z23" in codes(result, "icd10_codes")


def test_adult_hep_a_is_the_adult_product_with_90471():
    note = _visit("34 year old woman", "Hepatitis A vaccine #1 given in left deltoid today.")
    result = run(note, payer="commercial")
    assert {"90632", "90471"} <= codes(result, "cpt_codes")
    assert "90633" not in codes(result, "cpt_codes")


def test_combination_vaccine_counts_each_component_for_90461():
    note = _visit(
        "4 year old girl",
        "Kinrix (DTaP-IPV) and ProQuad given today after counseling by Dr. on each vaccine.",
    )
    result = run(note, payer="commercial")
    cpt = codes(result, "cpt_codes")
    assert {"90696", "90710", "90460", "90461"} <= cpt
    assert not {"90700", "90713", "90707", "90716"} & cpt  # parts of the combinations
    assert entry(result, "90460").units == 2
    assert entry(result, "90461").units == 6  # (4 - 1) + (4 - 1)


def test_oral_rotavirus_after_an_injection_is_90474():
    note = _visit("4 month old", "RotaTeq dose 2 given by mouth; Pediarix #2 administered IM.")
    result = run(note, payer="commercial")
    cpt = codes(result, "cpt_codes")
    assert {"90680", "90723", "90471", "90474"} <= cpt
    assert "90473" not in cpt


@pytest.mark.parametrize(
    ("plan", "product", "admin"),
    [
        ("Hepatitis B vaccine dose 2 given today.", "90746", "G0010"),
        ("Pneumovax administered today in right arm.", "90732", "G0009"),
    ],
)
def test_medicare_pays_hep_b_and_pneumococcal_administration_with_g_codes(plan, product, admin):
    result = run(_visit("70 year old man", plan), payer="medicare")
    assert product in codes(result, "cpt_codes")
    assert admin in codes(result, "hcpcs_codes")
    assert "90471" not in codes(result, "cpt_codes")


@pytest.mark.parametrize(
    ("plan", "product"),
    [
        ("Influenza: high-dose flu vaccine 0.5 mL IM given, left arm.", "90662"),
        ("Fluad 0.5 mL IM administered today.", "90653"),
        ("Flu shot given today, right deltoid.", "90686"),  # no product named: the default
    ],
)
def test_influenza_products_by_formulation(plan, product):
    result = run(_visit("68 year old woman", plan), payer="medicare")
    assert codes(result, "cpt_codes") & {"90662", "90653", "90686"} == {product}
    assert "G0008" in codes(result, "hcpcs_codes")


def test_vaccine_history_is_not_a_vaccine_given_today():
    note = _visit("3 year old", "Hep A #2 given 05/2024 per registry; none due today.")
    result = run(note, payer="commercial")
    assert not {"90633", "90460", "90471"} & codes(result, "cpt_codes")
    assert "Z23" not in codes(result, "icd10_codes")


def test_an_administration_record_without_a_verb_is_a_dose_given():
    """Immunization sections list what was given by dose, route and site; "2-dose schedule"
    describes the product, not a future appointment."""
    note = _visit(
        "26-month-old girl",
        "Immunizations: Varicella vaccine, 2-dose schedule, dose #2, subcut L thigh, lot K4471.",
    )
    result = run(note, payer="commercial")
    assert "90716" in codes(result, "cpt_codes")
    assert "Z23" in codes(result, "icd10_codes")


@pytest.mark.parametrize(
    "plan",
    ["Flu shot scheduled for next week.", "Varicella dose #2 due in 3 months."],
)
def test_a_vaccine_for_later_is_not_coded(plan):
    result = run(_visit("5-year-old boy", plan), payer="commercial")
    assert not codes(result, "cpt_codes") & {"90716", "90686", "90460", "90471"}


def test_a_vaccine_name_is_not_the_disease():
    result = run("Flu shot scheduled for next week. Hepatitis B vaccine series complete.")
    assert not codes(result, "icd10_codes") & {"J11.1", "J10.1", "B18.1", "B19.10"}


def test_the_interval_that_makes_a_booster_due_does_not_date_todays_dose():
    """'since last dose' says why the booster is due; the dose itself is given today."""
    note = _visit(
        "35 year old man",
        "Tetanus booster: over 10 years since his last one - Tdap 0.5 mL IM left deltoid given"
        " by the MA.",
    )
    result = run(note, payer="commercial")
    assert {"90715", "90471"} <= codes(result, "cpt_codes")
    assert "Z23" in codes(result, "icd10_codes")


def test_a_last_dose_on_record_is_still_not_a_dose_today():
    note = _visit("35 year old man", "Last Tdap given in clinic; none needed today.")
    assert "90715" not in codes(run(note, payer="commercial"), "cpt_codes")


@pytest.mark.parametrize(
    ("line", "given"),
    [
        # A screening answer about earlier doses does not move today's dose to the past.
        ("Quadrivalent influenza vaccine 0.5 mL IM left deltoid; no previous reactions.", True),
        # A reaction that did happen to an earlier dose, and a deferral, is not a dose today.
        ("Influenza vaccine deferred: prior reaction to it in 2023.", False),
    ],
)
def test_no_prior_reactions_keeps_the_vaccine_today(line, given):
    result = run(_visit("70-year-old man", line), payer="medicare")
    assert ("G0008" in codes(result, "hcpcs_codes")) is given
    assert ("Z23" in codes(result, "icd10_codes")) is given


@pytest.mark.parametrize(
    ("line", "given"),
    [
        ("Hep A, pediatric formulation, 0.5 mL IM left thigh today.", True),
        ("Hepatitis B, dose 3, IM right thigh given.", True),
        # A comma after the name does not make a plan a dose given.
        ("Hepatitis A, dose 2 due in six months.", False),
    ],
)
def test_a_hepatitis_vaccine_named_before_a_comma_is_read(line, given):
    result = run(_visit("3-year-old girl", line + " VIS given, mother counseled."))
    assert bool(codes(result, "cpt_codes") & {"90633", "90744"}) is given
