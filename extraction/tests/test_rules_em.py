"""E/M levels (AMA 2021 MDM and time), families, payers and modifiers."""

import pytest

from extraction.engines.rules.em_level import ProblemAssessment, data_level, problems_level
from extraction.engines.rules.findings import Findings, extract_findings
from extraction.engines.rules.sections import ClinicalNote, Span

from .rules_helpers import codes, entry, run


def _problems(*categories):
    return [ProblemAssessment(i, c, [], "") for i, c in enumerate(categories)]


@pytest.mark.parametrize(
    ("categories", "level"),
    [
        (["minor"], 1),
        (["minor", "minor"], 2),
        (["chronic_stable"], 2),
        (["acute"], 2),
        (["chronic_stable", "chronic_stable"], 3),
        (["chronic_exacerbation"], 3),
        (["undiagnosed"], 3),
        (["severe"], 4),
        (["threat", "minor"], 4),
    ],
)
def test_problem_levels_follow_the_ama_table(categories, level):
    assert problems_level(_problems(*categories)) == level


def test_data_levels_count_categories():
    findings = Findings()
    assert data_level(findings, billed_tests=set())[0] == 1
    findings.tests_ordered = {"cbc": Span(0, 1), "bmp": Span(0, 1)}
    assert data_level(findings, billed_tests=set())[0] == 2
    findings.tests_ordered["tsh"] = Span(0, 1)
    assert data_level(findings, billed_tests=set())[0] == 3
    findings.external_discussion = Span(0, 1)
    assert data_level(findings, billed_tests=set())[0] == 4
    assert data_level(findings, billed_tests={"tsh"})[0] == 3


STABLE_HTN = (
    "S: 60 y/o M, follow-up of hypertension, no complaints.\nO: BP 128/76.\n"
    "A/P:\n1. Essential hypertension, controlled - continue lisinopril 10 mg daily, refill sent.\n"
)


def test_one_stable_chronic_illness_with_prescription_management_is_low():
    result = run(STABLE_HTN, payer="commercial")
    assert codes(result, "em_codes") == {"99213"}
    assert result.mdm["problems"]["level"] == "low"
    assert result.mdm["risk"]["level"] == "moderate"


def test_total_time_raises_the_level_when_higher():
    result = run(
        STABLE_HTN + "Total time on the date of the encounter: 42 minutes.\n", payer="commercial"
    )
    assert codes(result, "em_codes") == {"99215"}
    assert result.mdm["basis"] == "time"


def test_new_patient_uses_new_patient_codes():
    result = run(STABLE_HTN, payer="commercial", patient_type="new")
    assert codes(result, "em_codes") == {"99203"}


def test_emergency_department_ignores_time():
    note = (
        "CC: ankle pain.\nA: Right ankle sprain.\nP: ice, ibuprofen OTC, crutches.\n"
        "Total time 70 minutes."
    )
    result = run(note, payer="commercial", visit_type="ed")
    assert codes(result, "em_codes") == {"99283"}


def test_hospital_admission_is_high_risk():
    note = (
        "HPI: 70 y/o with fever and flank pain.\nAssessment: Pyelonephritis, possible sepsis.\n"
        "Plan: IV ceftriaxone; admit to medicine.\n"
    )
    result = run(note, visit_type="ed", payer="medicare")
    assert codes(result, "em_codes") == {"99285"}


def test_prolonged_time_code_depends_on_payer():
    long_visit = STABLE_HTN + "I spent a total of 85 minutes on the date of the visit.\n"
    assert "99417" in codes(run(long_visit, payer="commercial"), "cpt_codes")
    medicare = run(long_visit, payer="medicare")
    assert "G2212" in codes(medicare, "hcpcs_codes")
    assert entry(medicare, "G2212").units == 2  # 69 + 15 = 84 minutes for the second unit


def test_g2211_needs_medicare_and_documented_continuity():
    continuity = STABLE_HTN + "I have been her PCP since 2015 and manage her hypertension.\n"
    assert "G2211" in codes(run(continuity, payer="medicare"), "hcpcs_codes")
    assert "G2211" not in codes(run(continuity, payer="commercial"), "hcpcs_codes")
    assert "G2211" not in codes(run(STABLE_HTN, payer="medicare"), "hcpcs_codes")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("I provide his ongoing primary care.", True),
        ("Seen today for his PCP, who is away; his ongoing primary care is with Dr. Ames.", False),
    ],
)
def test_g2211_reads_continuing_care_wording(line, expected):
    result = run(STABLE_HTN + line + "\n", payer="medicare")
    assert ("G2211" in codes(result, "hcpcs_codes")) is expected


def test_telehealth_modifiers():
    video = run("Synchronous audio-video visit.\n" + STABLE_HTN, visit_type="telehealth")
    assert entry(video, "99213").modifiers == ["95"]
    audio = run("Audio-only telephone visit.\n" + STABLE_HTN, visit_type="telehealth")
    assert entry(audio, "99213").modifiers == ["93"]


KNEE = (
    "Reason for visit: HTN follow-up and left knee pain.\nBP 126/78.\n"
    "A/P:\n1. Hypertension, controlled - continue amlodipine 5 mg daily.\n"
    "2. Osteoarthritis of the left knee - corticosteroid injection today.\n"
    "Procedure: left knee injected with triamcinolone 40 mg and lidocaine; tolerated well.\n"
)


def test_joint_injection_gets_laterality_drug_units_and_modifier_25():
    result = run(KNEE, payer="commercial")
    assert entry(result, "20610").modifiers == ["LT"]
    assert entry(result, "J3301").units == 4
    assert entry(result, "99213").modifiers == ["25"]
    assert "M17.12" in codes(result, "icd10_codes")


def test_in_office_test_does_not_need_modifier_25():
    note = (
        "A/P: Acute cystitis - nitrofurantoin 100 mg BID x 5 days.\n"
        "UA dipstick in office: nitrite positive, leukocytes 2+.\n"
    )
    result = run(note, payer="medicaid")
    assert "81002" in codes(result, "cpt_codes")
    assert entry(result, "99213").modifiers == []


@pytest.mark.parametrize(
    ("age", "patient_type", "code"),
    [
        ("8 months old", "established", "99391"),
        ("3 y/o", "new", "99382"),
        ("16 y/o", "established", "99394"),
    ],
)
def test_preventive_code_by_age_band(age, patient_type, code):
    note = f"Well child visit, {age}. Growth normal.\nA: Well child, normal development.\n"
    result = run(note, visit_type="well_child", payer="medicaid", patient_type=patient_type)
    assert codes(result, "em_codes") == {code}


AWV_WITH_PROBLEM = (
    "Medicare subsequent annual wellness visit, 72 y/o F. Health risk assessment reviewed.\n"
    "A/P:\n1. Type 2 diabetes, poorly controlled - increase metformin to 1000 mg BID.\n"
    "I have been her PCP since 2010.\n"
)


def test_awv_with_a_separate_problem_gets_modifier_25_and_g2211():
    result = run(AWV_WITH_PROBLEM, visit_type="awv", payer="medicare")
    assert {"G0439", "G2211"} <= codes(result, "hcpcs_codes")
    assert entry(result, "99214").modifiers == ["25"]
    assert "Z00.01" in codes(result, "icd10_codes")


AWV_WITH_ACP = (
    "Medicare annual wellness visit, subsequent. 79 y/o M. Health risk assessment reviewed;"
    " screening schedule updated.\n"
    "His atrial fibrillation is managed by cardiology and was not discussed today.\n"
    "Goals-of-care conversation with the patient and his daughter: reviewed a living will and"
    " named his daughter as health care agent. ACP: 18 minutes face to face.\n"
)


def test_acp_with_an_awv_takes_modifier_33_and_its_counselling_code():
    result = run(AWV_WITH_ACP, visit_type="awv", payer="medicare")
    assert "G0439" in codes(result, "hcpcs_codes")
    assert entry(result, "99497").modifiers == ["33"]
    # A condition said not to be addressed today is not coded; the exam is then normal.
    assert codes(result, "icd10_codes") == {"Z00.00", "Z71.89"}


def test_acp_under_16_minutes_is_part_of_the_visit():
    note = AWV_WITH_ACP.replace("18 minutes", "10 minutes")
    result = run(note, visit_type="awv", payer="medicare")
    assert "99497" not in codes(result, "cpt_codes")
    assert "Z71.89" not in codes(result, "icd10_codes")


@pytest.mark.parametrize(
    "line",
    [
        "4. Osteoarthritis of the knee - not addressed today, followed by orthopedics.",
        "4. Osteoarthritis of the knee: deferred to the next visit.",
    ],
)
def test_an_assessment_item_not_addressed_today_is_not_coded(line):
    note = f"A/P:\n1. Essential hypertension, stable - continue amlodipine.\n{line}\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == {"I10"}


def test_a_condition_addressed_beside_a_not_addressed_one_is_still_coded():
    note = (
        "A/P:\n1. Essential hypertension, stable - continue amlodipine.\n"
        "2. Knee osteoarthritis, worse - start meloxicam 7.5 mg daily.\n"
        "His gout was not addressed today.\n"
    )
    assert codes(run(note, payer="commercial"), "icd10_codes") == {"I10", "M17.9"}


def test_preventive_visit_for_other_payers_uses_cpt_codes():
    result = run(AWV_WITH_PROBLEM, visit_type="awv", payer="commercial")
    assert "99397" in codes(result, "em_codes")
    assert not codes(result, "hcpcs_codes") & {"G0438", "G0439", "G2211"}


@pytest.mark.parametrize(("minutes", "code"), [(20, "90832"), (45, "90834"), (58, "90837")])
def test_psychotherapy_by_time(minutes, code):
    note = (
        f"Individual psychotherapy, CBT. Psychotherapy time: {minutes} minutes.\n"
        "Diagnosis: generalized anxiety disorder.\nPlan: weekly sessions."
    )
    result = run(note, visit_type="behavioral", specialty="behavioral_health", payer="medicaid")
    assert codes(result, "cpt_codes") == {code}
    assert codes(result, "em_codes") == set()


def test_medication_management_with_psychotherapy_uses_the_add_on():
    note = (
        "Psychiatry follow-up.\nAssessment: Major depressive disorder, recurrent, moderate, "
        "worsening.\nPlan: increase sertraline to 150 mg daily.\n"
        "Psychotherapy: 25 minutes of supportive psychotherapy, separate from the E/M.\n"
    )
    result = run(note, visit_type="behavioral", specialty="behavioral_health", payer="commercial")
    assert codes(result, "em_codes") == {"99214"}
    assert "90833" in codes(result, "cpt_codes")


def test_every_code_has_justification_and_a_note_quote():
    result = run(KNEE, payer="commercial")
    for list_name in ("em_codes", "icd10_codes", "cpt_codes", "hcpcs_codes", "quality_codes"):
        for item in getattr(result, list_name):
            assert item.justification
            assert item.evidence
            assert item.evidence in KNEE


@pytest.mark.parametrize(
    ("sentence", "absent"),
    [
        ("12-lead EKG: considered, not indicated today and not performed.", "93000"),
        ("No ECG today; will obtain one if palpitations recur.", "93000"),
        ("Spirometry deferred, patient unable to perform due to cough.", "94010"),
        ("Rapid strep not done (score 0).", "87880"),
        ("Influenza vaccine offered; patient refused today.", "90686"),
    ],
)
def test_services_documented_as_not_done_are_not_coded(sentence, absent):
    note = f"CC: follow-up.\n{sentence}\nAssessment: Essential hypertension, stable.\n"
    assert absent not in codes(run(note, payer="commercial"), "cpt_codes")


def test_a_performed_ecg_that_mentions_no_prior_tracing_is_still_coded():
    note = (
        "CC: palpitations.\nECG done today in office, interpreted by me: sinus rhythm 70,"
        " normal intervals; no prior ECG for comparison.\nAssessment: Palpitations.\n"
    )
    assert "93000" in codes(run(note, payer="commercial"), "cpt_codes")


def test_ippe_includes_the_vision_screen_and_uses_its_own_ecg_code():
    note = (
        "Initial preventive physical examination (Welcome to Medicare). Age 65.\n"
        "Visual acuity: Snellen 20/30 right, 20/25 left, passed.\n"
        "Screening ECG obtained today and interpreted by me: normal sinus rhythm.\n"
        "Assessment: IPPE completed; no new problems.\nPlan: written screening schedule.\n"
    )
    result = run(note, payer="medicare", visit_type="awv", patient_type="established")
    assert {"G0402", "G0403"} <= codes(result, "hcpcs_codes")
    assert not codes(result, "cpt_codes") & {"93000", "99173", "99177"}


def test_subsequent_awv_keeps_the_ecg_as_93000():
    note = (
        "Subsequent annual wellness visit. Age 71.\n"
        "ECG performed in office for new palpitations, interpreted by me: sinus rhythm.\n"
        "Assessment: annual wellness visit.\n"
    )
    result = run(note, payer="medicare", visit_type="awv", patient_type="established")
    assert "93000" in codes(result, "cpt_codes")
    assert "G0403" not in codes(result, "hcpcs_codes")


def test_a_visit_only_for_a_minor_procedure_has_no_separate_em():
    note = (
        "CC: painful boil on the back of the neck for 5 days.\n"
        "Exam: 2 cm fluctuant tender nodule, posterior neck.\n"
        "Assessment: Furuncle of neck.\nPlan: drain today.\n"
        "Procedure: Consent obtained; local lidocaine; incision and drainage of the furuncle"
        " performed, moderate pus expressed, packing placed. Tolerated well.\n"
    )
    result = run(note, payer="commercial", patient_type="new")
    assert "10060" in codes(result, "cpt_codes")
    assert codes(result, "em_codes") == set()


def test_a_separate_problem_beside_a_minor_procedure_gets_an_em_with_modifier_25():
    note = (
        "CC: abscess on left forearm; diabetes follow-up.\n"
        "Assessment:\n1. Cutaneous abscess, left forearm.\n"
        "2. Type 2 diabetes with hyperglycemia, A1c 8.4% - increase metformin to 1000 mg BID.\n"
        "Procedure: incision and drainage of the forearm abscess performed, packed.\n"
    )
    result = run(note, payer="commercial")
    assert "10060" in codes(result, "cpt_codes")
    [em] = result.em_codes
    assert em.modifiers == ["25"]
    [problem] = result.mdm["problems"]["addressed"]
    assert problem["codes"][0].startswith("E11")  # the abscess is part of the procedure


def test_a_problem_said_to_be_separate_from_the_procedure_keeps_its_own_em():
    """A closing line naming the problem as separate from the procedure does not fold that
    problem into the procedure's global package."""
    note = (
        "CC: knot on left upper arm; asthma worse.\n"
        "Assessment:\n1. Asthma, moderate persistent, with acute exacerbation - start"
        " prednisone 40 mg daily x 5 days; albuterol q4h PRN.\n"
        "2. Cutaneous abscess, left upper arm - drained today.\n"
        "Procedure: incision and drainage of the arm abscess, single incision, no packing.\n"
        "Asthma care today was distinct from the drainage procedure.\n"
    )
    result = run(note, payer="commercial")
    assert "10060" in codes(result, "cpt_codes")
    [em] = result.em_codes
    assert em.code == "99214"
    assert em.modifiers == ["25"]
    addressed = result.mdm["problems"]["addressed"]
    assert [p["codes"][0][:3] for p in addressed] == ["J45"]


def test_a_procedure_section_naming_the_problem_it_treats_still_folds_it_in():
    note = (
        "CC: asthma follow-up; abscess of left upper arm.\n"
        "Assessment:\n1. Cutaneous abscess, left upper arm.\n"
        "2. Mild intermittent asthma, stable - continue albuterol PRN.\n"
        "Procedure: incision and drainage of the abscess, left upper arm; packed.\n"
    )
    result = run(note, payer="commercial")
    addressed = result.mdm["problems"]["addressed"]
    assert all(not p["codes"][0].startswith("L02") for p in addressed)


def test_an_ed_ligament_sprain_is_an_acute_uncomplicated_injury():
    note = (
        "ED NOTE\nHPI: twisted left ankle stepping off a curb an hour ago.\n"
        "Exam: tender over the calcaneofibular ligament; no bony tenderness.\n"
        "Assessment: Left calcaneofibular ligament sprain.\n"
        "Plan: ankle brace, ice, naproxen OTC as needed; follow up with primary care.\n"
    )
    result = run(note, payer="commercial", visit_type="emergency_dept")
    assert codes(result, "em_codes") == {"99283"}  # low problem, low (OTC) risk
    assert codes(result, "icd10_codes") == {"S93.492A"}


def test_a_fracture_follow_up_is_coded_as_a_subsequent_encounter_with_an_em():
    note = (
        "Reason: recheck of wrist fracture.\nHistory from father.\n"
        "Exam: no tenderness at the distal radius; full range of motion.\n"
        "Assessment: Buckle fracture of the right distal radius, healing as expected.\n"
        "Plan: stop the splint; return to activity in 2 weeks.\n"
    )
    result = run(note, payer="commercial")
    assert codes(result, "icd10_codes") == {"S52.521D"}
    assert codes(result, "em_codes") == {"99213"}


@pytest.mark.parametrize(
    "social",
    [
        "SH: Never tobacco. Drinks socially.",
        "Social history: tobacco: never; alcohol: none.",
        "Smoking status: never.",
        "SH: lifelong non-smoker.",
        "Social: denies tobacco use or vaping.",
        "SH: never smoker, retired teacher.",
    ],
)
def test_tobacco_non_user_gets_1036f(social):
    note = f"{social}\nAssessment: Essential hypertension, stable.\nPlan: continue lisinopril.\n"
    assert "1036F" in codes(run(note, payer="commercial"), "quality_codes")


def test_a_procedure_is_still_coded_when_a_detail_of_it_was_not_needed():
    note = (
        "CC: boil.\nAssessment: Abscess of left thigh.\n"
        "Procedure: incision and drainage performed; packing not required. Tolerated well.\n"
    )
    result = run(note, payer="commercial")
    assert "10060" in codes(result, "cpt_codes")
    assert codes(result, "em_codes") == set()


@pytest.mark.parametrize(
    "history",
    [
        "Brought in by his grandmother, who provides the history; he is nonverbal.",
        "Hx obtained from the patient's son because of her memory loss.",
        "Hx given by mom; the toddler cannot describe his pain.",
        "Foster mother is the primary historian.",
    ],
)
def test_independent_historian_phrasings_count_as_a_data_element(history):
    note = ClinicalNote(f"HPI: {history} Two days of fever.\nAssessment: Viral syndrome.\n")
    assert extract_findings(note).independent_historian is not None


def test_the_patients_own_history_is_not_an_independent_historian():
    note = ClinicalNote("HPI: Patient provides her own history. Mother had asthma.\nA: Cough.\n")
    assert extract_findings(note).independent_historian is None


@pytest.mark.parametrize(
    "time_line", ["Total phone time: 42 minutes.", "Telephone call time 42 min."]
)
def test_audio_only_visit_time_phrasings_set_the_level(time_line):
    note = (
        "Audio-only telephone visit; patient declined video.\n"
        "S: burning with urination for 2 days, no fever or flank pain.\n"
        "A: Acute uncomplicated cystitis.\n"
        "P: nitrofurantoin 100 mg bid x 5 days; call if fever.\n"
        f"{time_line}\n"
    )
    result = run(note, visit_type="telehealth", payer="commercial")
    assert codes(result, "em_codes") == {"99215"}


def _one_problem_visit(statement: str) -> str:
    return (
        "S: 58 y/o F, established, follow-up.\nO: BP 124/78, HR 70.\n"
        f"A/P:\n1. {statement}\n"
        "- Continue current regimen; prescription renewed.\n"
        "Return in 3 months.\n"
    )


@pytest.mark.parametrize(
    ("statement", "category"),
    [
        # Side effects of treatment (AMA 2021: chronic illness with treatment side effects).
        (
            "Hypertension at goal; leg swelling from nifedipine, a medication side effect.",
            "chronic exacerbation",
        ),
        (
            "Type 2 diabetes with hypoglycemia on glipizide, two lows this month.",
            "chronic exacerbation",
        ),
        # A frequency that grew is progression, even after a negated qualifier and a comma.
        ("Migraine without aura, transformed to chronic over the winter.", "chronic exacerbation"),
        ("Migraine without aura, more frequent since spring.", "chronic exacerbation"),
        ("Migraine with aura; attack frequency has been rising.", "chronic exacerbation"),
        # A frequency that is steady is not progression.
        ("Migraine without aura, frequency unchanged at 2 a month.", "chronic stable"),
        # Counselling about possible side effects, or none, leaves a stable illness stable.
        (
            "Hypertension, controlled; reviewed possible side effects of lisinopril.",
            "chronic stable",
        ),
        ("Type 2 diabetes, controlled, no hypoglycemia.", "chronic stable"),
    ],
)
def test_treatment_side_effects_and_progression_are_not_stable(statement, category):
    result = run(_one_problem_visit(statement), payer="commercial")
    assert result.mdm["problems"]["addressed"][0]["category"] == category


@pytest.mark.parametrize(
    ("opening", "g2211"),
    [
        # An earlier urgent care visit in the history does not make this visit one-time.
        (
            "Follow-up visit\n70 y/o M, my patient since 2015. Urgent care visit last week for"
            " cough.",
            True,
        ),
        ("Urgent care visit\n70 y/o M, my patient since 2015, seen for cough.", False),
    ],
)
def test_an_urgent_care_visit_blocks_g2211_only_when_it_is_this_visit(opening, g2211):
    note = (
        f"{opening}\nO: BP 150/92.\n"
        "A/P:\n1. Hypertension, above goal - increase amlodipine to 10 mg daily.\n"
    )
    result = run(note, payer="medicare")
    assert ("G2211" in codes(result, "hcpcs_codes")) is g2211


@pytest.mark.parametrize(
    ("order", "tests"),
    [
        # A test named inside a longer test's name is that one test.
        ("Glycated hemoglobin and a TSH ordered.", ["a1c", "tsh"]),
        # Each named on its own, they are two.
        ("Hemoglobin and TSH ordered.", ["hemoglobin", "tsh"]),
    ],
)
def test_a_test_named_inside_a_longer_test_name_is_not_counted_again(order, tests):
    note = (
        "S: 52 y/o F, follow-up of hypothyroidism on levothyroxine, feels well.\n"
        f"A/P:\n1. Hypothyroidism, stable - continue levothyroxine 75 mcg daily. {order}\n"
    )
    result = run(note, payer="commercial")
    assert result.mdm["data"]["unique_tests"] == tests


@pytest.mark.parametrize(
    ("header", "data_level"),
    [
        ("Medical decision making / ED course:", "moderate"),
        ("MDM / ED course:", "moderate"),
        # Under the exam, tests are findings rather than the ED course.
        ("Exam continued:", "minimal or none"),
    ],
)
def test_an_ed_course_header_spelled_with_spaces_around_a_slash_is_the_course(header, data_level):
    note = (
        "EMERGENCY DEPARTMENT\n44 y/o F with fever and right flank pain for a day.\n"
        "Exam: T 101.9 F, right CVA tenderness.\n"
        f"{header}\n- Urinalysis: nitrite positive.\n- CBC: WBC 14.\n"
        "- CMP: creatinine 0.9.\n"
        "Diagnosis: Acute pyelonephritis.\n"
        "Disposition: home on cephalexin 500 mg four times daily for 10 days.\n"
    )
    result = run(note, payer="commercial", visit_type="ed")
    assert result.mdm["data"]["level"] == data_level


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        # Orders joined to their results list the tests: the MDM data.
        ("Orders/results", "data"),
        ("Results / orders", "data"),
        # Two headers of unrelated kinds stay unknown.
        ("Exam/plan", None),
    ],
)
def test_a_header_joining_orders_and_results_is_the_data(header, kind):
    note = ClinicalNote(f"HPI: cough.\n{header}:\n- CBC: normal.\n")
    found = note.section_kind_at(note.text.index("CBC"))
    assert found == kind or (kind is None and found not in ("data", "plan"))


def test_ed_tests_listed_under_orders_and_results_count_as_data():
    note = (
        "CC: right flank pain.\n"
        "HPI: 44 y/o woman with colicky right flank pain since this morning, vomiting twice.\n"
        "Orders/results:\n- CBC: WBC 8.1.\n- BMP: creatinine 0.9.\n- UA: 20-50 RBC/hpf.\n"
        "Impression: Right renal colic.\n"
        "Plan: tamsulosin 0.4 mg daily prescribed, ondansetron ODT prescribed; urology referral.\n"
    )
    result = run(note, payer="commercial", visit_type="ed")
    assert set(result.mdm["data"]["unique_tests"]) >= {"cbc", "bmp", "urinalysis"}
    assert codes(result, "em_codes") == {"99284"}
