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


def _ak_visit(procedure: str, assessment: str) -> str:
    return (
        "Medicare subsequent annual wellness visit, 77 year old woman.\n"
        "HRA reviewed, PHQ-2 0, no falls, Mini-Cog normal, screenings up to date.\n"
        "Also: crusted spots on the backs of both hands for a year, former farmer.\n"
        "Exam: four scaly erythematous papules on the dorsal hands.\n"
        f"Procedure: {procedure}\n"
        f"Assessment: {assessment}\n"
        "Plan: sun protection; return in a year for the next wellness visit.\n"
    )


def test_consent_risks_discussed_do_not_put_the_destruction_off_today():
    """'Risks discussed' inside the consent is the consent, not a plan to discuss later."""
    note = _ak_visit(
        "with verbal consent (pain, blistering and hypopigmentation discussed), cryotherapy"
        " to 4 lesions, 2 cycles each.",
        "Annual wellness visit done. Actinic keratoses x 4 of the hands, frozen.",
    )
    result = run(note, payer="medicare", visit_type="awv")
    assert {"17000", "17003"} <= codes(result, "cpt_codes")
    assert entry(result, "17003").units == 3
    assert {"L57.0", "Z00.01"} <= codes(result, "icd10_codes")
    assert not codes(result, "em_codes")


def test_a_destruction_only_discussed_is_not_coded():
    note = _ak_visit(
        "cryotherapy discussed; she prefers to think about it.",
        "Annual wellness visit done. Actinic keratoses x 4 of the hands, not treated today.",
    )
    result = run(note, payer="medicare", visit_type="awv")
    assert not {"17000", "17003"} & codes(result, "cpt_codes")


@pytest.mark.parametrize(
    ("assessment", "expected", "absent"),
    [
        ("Annual physical completed. Seborrheic keratosis x 2, reassured.", {"L82.1"}, set()),
        ("Annual physical completed. Continue sunscreen daily.", set(), {"L57.0"}),
    ],
)
def test_a_condition_in_a_later_sentence_of_a_preventive_line_is_its_own_statement(
    assessment, expected, absent
):
    note = (
        "Annual physical, 52 year old man.\nExam: normal except as noted.\n"
        f"Assessment: {assessment}\nPlan: labs per routine.\n"
    )
    icd = codes(run(note, payer="commercial"), "icd10_codes")
    assert expected <= icd
    assert not absent & icd


def _cut_visit(
    exam: str, procedure: str, assessment: str, plan: str = "Wound care reviewed."
) -> str:
    return (
        "Acute visit, 29 year old woman, established.\n"
        "HPI: cut herself on a broken glass an hour ago; tetanus up to date (2021).\n"
        f"Exam: {exam}\nProcedure: {procedure}\nAssessment: {assessment}\nPlan: {plan}\n"
    )


@pytest.mark.parametrize(
    ("exam", "procedure", "assessment", "cpt", "icd"),
    [
        (
            "2 cm gaping laceration of the right index finger, tendons intact.",
            "Digital block, irrigation, closed with four 5-0 nylon sutures.",
            "Laceration of right index finger.",
            "12001",
            "S61.210A",
        ),
        (
            "Clean 1.8 cm laceration on the forehead.",
            "Irrigated; wound edges approximated with tissue adhesive (Dermabond).",
            "Forehead laceration.",
            "12011",
            "S01.81XA",
        ),
        (
            "Deep 4.5 cm laceration of the left forearm into fat.",
            "Layered closure: 4-0 Vicryl deep dermal sutures, then 5-0 nylon to skin. Total"
            " length 4.5 cm.",
            "Laceration of left forearm.",
            "12032",
            "S51.812A",
        ),
        (
            "3 cm laceration of the dorsum of the right hand.",
            "Intermediate repair, two layers; 3 cm repaired.",
            "Laceration, right hand.",
            "12042",
            "S61.411A",
        ),
    ],
)
def test_a_laceration_closed_today_takes_its_repair_code(exam, procedure, assessment, cpt, icd):
    result = run(_cut_visit(exam, procedure, assessment), payer="commercial")
    assert codes(result, "cpt_codes") == {cpt}
    assert icd in codes(result, "icd10_codes")
    assert not codes(result, "em_codes")


@pytest.mark.parametrize(
    "procedure",
    [
        "Steri-strips applied after irrigation; no sutures needed.",
        "Sutures removed today, wound well healed.",
        "Wound was sutured at urgent care 5 days ago; edges intact.",
    ],
)
def test_strips_suture_removal_or_a_repair_elsewhere_is_no_repair_code(procedure):
    result = run(
        _cut_visit("1.5 cm laceration of the left shin.", procedure, "Laceration of left shin."),
        payer="commercial",
    )
    assert not {c for c in codes(result, "cpt_codes") if c.startswith("120")}


def test_a_separate_problem_beside_a_repair_keeps_an_em_with_25():
    note = _cut_visit(
        "2.5 cm laceration of the left palm.",
        "Simple closure with 4-0 nylon, single layer, 2.5 cm.",
        "1. Laceration of left hand.\n2. Hypertension, above goal at 152/94 today; separate"
        " from the repair.",
        "Increase amlodipine to 10 mg daily; BMP ordered.",
    )
    result = run(note, payer="commercial")
    assert "12001" in codes(result, "cpt_codes")
    em = result.em_codes[0]
    assert "25" in em.modifiers


def _well_visit(title: str, vision: str) -> str:
    return (
        f"{title}\nEstablished patient, here with her father.\n"
        "Interval: doing well, eats a varied diet, sleeps through the night.\n"
        f"Vision: {vision}\n"
        "Exam: normal growth, normal exam.\n"
        "Assessment: Well child check, normal development.\n"
        "Plan: anticipatory guidance, return at the next well visit.\n"
    )


@pytest.mark.parametrize(
    ("title", "preventive"),
    [
        ("WELL CHILD VISIT - 3 YEARS", "99392"),
        ("7-year well child check", "99393"),
    ],
)
def test_a_well_visit_named_by_age_takes_that_age_band(title, preventive):
    result = run(_well_visit(title, "no concerns."), payer="commercial", visit_type="well_child")
    assert codes(result, "em_codes") == {preventive}
    assert "Z00.129" in codes(result, "icd10_codes")


@pytest.mark.parametrize(
    ("vision", "screened"),
    [
        ("HOTV chart at 10 ft, right 20/25, left 20/25, passed.", True),
        ("wears glasses, sees the eye doctor yearly, no concerns.", False),
    ],
)
def test_a_vision_line_with_an_optotype_result_is_a_screen(vision, screened):
    result = run(
        _well_visit("Well child visit, 5 years", vision),
        payer="commercial",
        visit_type="well_child",
    )
    assert ("99173" in codes(result, "cpt_codes")) is screened


@pytest.mark.parametrize(
    ("ua", "expected"),
    [
        ("Urinalysis run in the clinic on the urine analyzer: nitrite positive, LE 2+.", {"81003"}),
        ("Urinalysis sent to the reference lab with culture; results pending.", set()),
    ],
)
def test_an_office_urinalysis_on_an_analyzer_is_81003(ua, expected):
    note = (
        "S: 41 y/o F, established, 2 days of dysuria and frequency, no fever.\n"
        f"O: afebrile, no CVA tenderness. {ua}\n"
        "A: Acute cystitis.\nP: nitrofurantoin 100 mg bid x 5 days.\n"
    )
    result = run(note, payer="commercial")
    assert codes(result, "cpt_codes") & {"81002", "81003"} == expected


def _bh_intake(opening: str, clinician: str, plan: str) -> str:
    return (
        f"{opening}\nClinician: {clinician}. Duration 55 minutes.\n"
        "Presenting problem: 40 y/o F with panic attacks twice a week for 6 months.\n"
        "MSE: anxious, logical, no SI/HI.\n"
        "Diagnosis: Panic disorder.\n"
        f"Plan: {plan}\n"
    )


@pytest.mark.parametrize(
    ("clinician", "plan", "code"),
    [
        # A psychologist's intake is 90791 even when the plan mentions a medication.
        (
            "licensed clinical psychologist",
            "CBT weekly; ask her PCP to start sertraline 25 mg.",
            "90791",
        ),
        ("psychiatrist, MD", "Start sertraline 25 mg daily; CBT referral.", "90792"),
    ],
)
def test_only_a_prescriber_intake_is_90792(clinician, plan, code):
    note = _bh_intake("PSYCHIATRIC DIAGNOSTIC EVALUATION (intake)", clinician, plan)
    result = run(note, visit_type="behavioral", specialty="behavioral_health")
    assert codes(result, "cpt_codes") & {"90791", "90792"} == {code}


@pytest.mark.parametrize(
    ("opening", "modifiers"),
    [
        ("Diagnostic evaluation by video (real-time audio-video telehealth)", ["95"]),
        ("Diagnostic evaluation, in person in the clinic", []),
    ],
)
def test_a_behavioral_visit_held_by_video_takes_95(opening, modifiers):
    note = _bh_intake(opening, "LCSW", "CBT weekly.")
    result = run(note, visit_type="behavioral", specialty="behavioral_health")
    assert entry(result, "90791").modifiers == modifiers


@pytest.mark.parametrize(
    ("procedure", "assessment", "units"),
    [
        # The count is in the next sentence of the procedure section, spelled as a word.
        (
            "liquid nitrogen to premalignant lesions. All six lesions got two freeze cycles.",
            "Annual wellness visit done. Actinic keratoses of the hands, frozen.",
            5,
        ),
        # The count is in the assessment that lists them.
        (
            "liquid nitrogen cryotherapy, two cycles each.",
            "Annual wellness visit done. Actinic keratoses x3, dorsal hands, frozen.",
            2,
        ),
        # Freeze cycles are no lesion count: one lesion.
        (
            "liquid nitrogen cryotherapy to the actinic keratosis, three cycles.",
            "Annual wellness visit done. Actinic keratosis of the left hand, frozen.",
            0,
        ),
    ],
)
def test_the_lesion_count_may_be_elsewhere_in_the_procedure_or_assessment(
    procedure, assessment, units
):
    result = run(_ak_visit(procedure, assessment), payer="medicare", visit_type="awv")
    assert "17000" in codes(result, "cpt_codes")
    if units:
        assert entry(result, "17003").units == units
    else:
        assert "17003" not in codes(result, "cpt_codes")


@pytest.mark.parametrize(
    ("clock", "code"),
    [
        ("Time in 10:05 AM, time out 10:50 AM.", "90834"),
        ("Time in 1:00 PM, time out 1:30 PM.", "90832"),
    ],
)
def test_time_in_and_time_out_give_the_session_length(clock, code):
    note = (
        f"Counseling session #3, in person. {clock}\n"
        "Dx: Generalized anxiety disorder.\n"
        "Interventions: CBT, worry exposure, relaxation practice.\n"
        "Plan: weekly sessions.\n"
    )
    result = run(note, visit_type="behavioral", specialty="behavioral_health", payer="medicaid")
    assert codes(result, "cpt_codes") == {code}


def _bronchitis_visit(counselling: str) -> str:
    return (
        "Office visit, established patient, 48 year old man.\n"
        "HPI: productive cough for 6 days, no fever. Smokes 1 pack a day.\n"
        "Exam: scattered rhonchi, no crackles; SpO2 97%.\n"
        "Assessment: 1. Acute bronchitis. 2. Nicotine dependence, cigarettes.\n"
        f"Plan: benzonatate 100 mg TID prescribed. {counselling}\n"
    )


def test_tobacco_counselling_beside_a_problem_visit_puts_modifier_25_on_the_em():
    result = run(
        _bronchitis_visit("Tobacco cessation counseling, 14 minutes: quit date set, NRT."),
        payer="commercial",
    )
    assert "99407" in codes(result, "cpt_codes")
    em = result.em_codes[0]
    assert "25" in em.modifiers


def test_a_problem_visit_without_counselling_time_takes_no_modifier_25():
    result = run(_bronchitis_visit("Advised to quit."), payer="commercial")
    assert not codes(result, "cpt_codes") & {"99406", "99407"}
    assert "25" not in result.em_codes[0].modifiers


def _well_toddler(varnish: str) -> str:
    return (
        "WELL CHILD VISIT - 18 MONTHS\nEstablished patient.\n"
        "Interval history: well. Drinks tap water from a private well.\n"
        "Exam: normal; 12 teeth, no caries.\n"
        f"{varnish}\n"
        "A: Well child, 18 months, normal growth and development.\n"
        "P: Anticipatory guidance given.\n"
    )


@pytest.mark.parametrize(
    ("varnish", "applied"),
    [
        ("Fluoride varnish painted on all teeth by the physician; tolerated well.", True),
        ("5% NaF varnish applied to the teeth today.", True),
        # Declined, or done by someone else on another date: no service here.
        ("Fluoride varnish offered; parent declined.", False),
        ("Fluoride varnish applied at the dentist last month.", False),
        # A fluoride toothpaste is advice, not the varnish service.
        ("Brush twice daily with a smear of fluoride toothpaste.", False),
    ],
)
def test_fluoride_varnish_applied_today_is_99188_with_z29_3(varnish, applied):
    result = run(_well_toddler(varnish), payer="medicaid")
    assert ("99188" in codes(result, "cpt_codes")) is applied
    assert ("Z29.3" in codes(result, "icd10_codes")) is applied
    assert "Z00.129" in codes(result, "icd10_codes")
