"""Diagnosis coding: term index validity, negation and history, specificity rules."""

import pytest

from extraction import icd10
from extraction.engines.rules import icd10_match
from extraction.engines.rules.codebook import diagnosis_terms
from extraction.engines.rules.negation import assertion

from .rules_helpers import codes, run


def test_every_code_in_the_term_index_is_a_billable_icd10_code():
    data = diagnosis_terms()
    assert len(data["conditions"]) >= 300
    for condition in data["conditions"]:
        candidates = [condition["code"]] + [code for _, code in condition.get("refine", [])]
        for code in candidates:
            assert icd10.is_billable(code), f"{code} ({condition['terms'][0]}) is not billable"
        for rule, _ in condition.get("refine", []):
            for qualifier in rule.split("+"):
                assert qualifier in data["qualifiers"]


def test_only_conditions_assessed_today_are_coded():
    note = (
        "CC: cough\nPMH: hypertension, GERD, s/p appendectomy.\n"
        "FH: mother with breast cancer.\n"
        "Assessment: Acute bronchitis. Denies asthma.\nPlan: supportive care, honey, fluids."
    )
    result = run(note, payer="commercial")
    assert codes(result, "icd10_codes") == {"J20.9"}


@pytest.mark.parametrize(
    ("statement", "absent"),
    [
        ("Rule out pneumonia.", "J18.9"),
        ("Possible strep pharyngitis, awaiting culture.", "J02.0"),
        ("No evidence of cellulitis.", "L03.90"),
        ("History of migraine, quiet.", "G43.909"),
    ],
)
def test_negated_uncertain_and_historical_conditions_are_not_coded(statement, absent):
    result = run(f"S: sick visit.\nA: {statement}\nP: return if worse.", payer="commercial")
    assert absent not in codes(result, "icd10_codes")


def test_diabetes_above_goal_is_coded_with_hyperglycemia_and_drug_status():
    note = (
        "A/P:\n1. Type 2 diabetes - A1c 8.9%, above goal of <7%. Increase metformin to "
        "1000 mg BID; continue insulin glargine 20 units nightly.\n"
    )
    result = run(note)
    assert {"E11.65", "Z79.4", "Z79.84"} <= codes(result, "icd10_codes")
    assert "E11.9" not in codes(result, "icd10_codes")


def test_diabetes_with_ckd_uses_the_combination_and_stage_codes():
    note = "Assessment:\n1. DM2 with CKD stage 3b, stable.\n2. Hypertension, controlled.\n"
    icd = codes(run(note), "icd10_codes")
    assert {"E11.22", "N18.32", "I12.9"} <= icd
    assert "I10" not in icd
    assert "E11.9" not in icd


def test_hypertension_with_heart_failure_and_ckd_is_i13():
    note = (
        "Assessment:\n1. Chronic diastolic heart failure, euvolemic.\n2. CKD stage 4.\n"
        "3. HTN, at goal.\n"
    )
    icd = codes(run(note), "icd10_codes")
    assert {"I13.0", "I50.32", "N18.4"} <= icd
    assert "I10" not in icd


@pytest.mark.parametrize(
    ("assessment", "expected", "absent"),
    [
        (
            "1. Hypertensive heart and chronic kidney disease, well controlled.\n"
            "2. Chronic HFrEF, compensated.\n3. CKD stage 3a, labs stable.\n",
            {"I13.0", "I50.22", "N18.31"},
            {"I10", "I11.0", "I12.9", "I13.10"},
        ),
        (
            "1. Hypertensive cardiorenal disease - BP acceptable today.\n2. CKD stage 2.\n",
            {"I13.10", "N18.2"},
            {"I10", "I12.9"},
        ),
        (
            "1. Hypertensive heart disease, on amlodipine.\n2. CKD stage 3b, stable.\n",
            {"I13.10", "N18.32"},
            {"I11.9", "I12.9"},
        ),
        (
            "1. Hypertensive heart and kidney disease.\n2. ESRD on hemodialysis MWF.\n",
            {"I13.11", "N18.6"},
            {"I13.10", "I12.0"},
        ),
    ],
)
def test_stated_hypertensive_heart_and_kidney_disease_takes_i13(assessment, expected, absent):
    icd = codes(run("Assessment/Plan:\n" + assessment), "icd10_codes")
    assert expected <= icd
    assert not absent & icd


def test_hypertension_with_heart_failure_is_i11():
    icd = codes(run("A/P:\n1. HFrEF, chronic.\n2. Essential hypertension.\n"), "icd10_codes")
    assert {"I11.0", "I50.22"} <= icd


@pytest.mark.parametrize(
    ("statement", "code"),
    [
        ("Major depressive disorder, recurrent, severe without psychotic features", "F33.2"),
        ("MDD, single episode, mild", "F32.0"),
        ("Primary osteoarthritis of the left knee", "M17.12"),
        ("Acute otitis media, right ear", "H66.91"),
        ("Chronic sinusitis", "J32.9"),
        ("Acute maxillary sinusitis", "J01.00"),
        ("Moderate persistent asthma with acute exacerbation", "J45.41"),
        ("Dementia, severe, no behavioral disturbance", "F03.C0"),
    ],
)
def test_specificity_comes_from_the_statement(statement, code):
    assert code in codes(run(f"Assessment: {statement}.\nPlan: as discussed."), "icd10_codes")


def test_symptoms_integral_to_a_diagnosis_are_not_coded():
    note = "Assessment: Community acquired pneumonia with cough and fever.\nPlan: amoxicillin."
    icd = codes(run(note, payer="commercial"), "icd10_codes")
    assert icd == {"J18.9"}


def test_former_smoker_with_copd_gets_the_history_code():
    note = "Former smoker, quit 2010.\nAssessment: COPD, stable.\nPlan: continue tiotropium."
    assert {"J44.9", "Z87.891"} <= codes(run(note), "icd10_codes")


def test_obesity_with_bmi_adds_the_bmi_code():
    note = "45 y/o F. BMI 41.2.\nAssessment: Obesity, class 3.\nPlan: diet and exercise."
    assert {"E66.813", "Z68.41"} <= codes(run(note, payer="commercial"), "icd10_codes")


def test_every_diagnosis_quotes_the_note():
    note = "A: Viral URI [NAME_1] seen on [DATE].\nP: fluids, acetaminophen prn."
    result = run(note, payer="commercial")
    for item in result.icd10_codes:
        assert item.evidence
        assert item.evidence in note


@pytest.mark.parametrize(
    "assessment",
    [
        "Assessment: DM2 with hyperglycemia; benign essential hypertension, at goal.",
        "Impression: 1. type 2 DM with hyperglycemia 2. essential hypertension 3. GERD",
        "A: 1) Diabetes mellitus type 2 with hyperglycemia 2) Essential HTN",
    ],
)
def test_one_line_assessment_lists_are_split_into_statements(assessment):
    note = f"CC: chronic care.\n{assessment}\nPlan: labs in 3 months."
    icd = codes(run(note), "icd10_codes")
    assert {"E11.65", "I10"} <= icd


@pytest.mark.parametrize(
    ("assessment", "expected"),
    [
        # A plan after ";" stays with its statement: no new statement, nothing invented.
        ("Assessment: essential hypertension, above goal; increase amlodipine to 10 mg", {"I10"}),
        # A program or a vaccine named after ";" is not a diagnosis.
        ("A: Prediabetes; diabetes prevention program handout given", {"R73.03"}),
        ("A: Health maintenance: Tdap 2023; influenza vaccine in October", set()),
        # Numbers out of sequence are not a list ("type 2" is part of the name).
        ("Assessment: diabetes type 2. Continue metformin", {"E11.9", "Z79.84"}),
    ],
)
def test_semicolons_and_numbers_that_do_not_list_problems_do_not_split(assessment, expected):
    note = f"CC: visit.\n{assessment}\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == expected


@pytest.mark.parametrize(
    "medications",
    [
        "Meds: Eliquis 5 mg twice daily, metoprolol 25 mg.",
        "Current medications: rivaroxaban 20 mg with supper.",
        "Meds: warfarin 5 mg daily (INR goal 2-3).",
        "Meds: dabigatran 150 mg BID.",
        "Meds: edoxaban 60 mg daily.",
        "Meds: enoxaparin 1 mg/kg SC every 12 hours, long-term (cancer-associated clot).",
    ],
)
def test_ongoing_anticoagulant_use_adds_z79_01(medications):
    note = f"{medications}\nAssessment: Persistent atrial fibrillation, rate controlled.\n"
    assert "Z79.01" in codes(run(note), "icd10_codes")


@pytest.mark.parametrize(
    "medications",
    [
        "Meds: enoxaparin 40 mg SC daily for 10 days after hip surgery.",
        "Meds: lisinopril. Apixaban was discontinued last year after ablation.",
        "Allergies: warfarin (skin necrosis).",
        "Plan: consider apixaban if the monitor shows atrial fibrillation.",
        "FH: father on warfarin for a valve.",
    ],
)
def test_short_stopped_or_unaffirmed_anticoagulants_do_not_add_z79_01(medications):
    note = f"{medications}\nAssessment: Essential hypertension, stable.\n"
    assert "Z79.01" not in codes(run(note), "icd10_codes")


@pytest.mark.parametrize(
    ("statement", "code"),
    [
        # More specific than the curated table, from the tabular wording.
        ("Primary osteoarthritis, both hips", "M16.0"),
        ("Bilateral primary osteoarthritis of knees", "M17.0"),
        ("Acute suppurative otitis media of the right ear without perforation", "H66.001"),
        ("Acute serous otitis media of right ear", "H65.01"),
        ("Benign paroxysmal positional vertigo, left ear", "H81.12"),
        ("Skin abscess of left axilla", "L02.412"),
        ("Right axillary abscess, 3 cm", "L02.411"),
        ("Viral conjunctivitis of the left eye", "B30.9"),
        ("Pneumonia due to Mycoplasma pneumoniae", "J15.7"),
        ("Iron deficiency anemia secondary to chronic blood loss", "D50.0"),
        ("Trigger finger, right middle finger", "M65.331"),
        # Statements the curated table does not code at all.
        ("Stone in the left ureter", "N20.1"),
        ("Right ureteric calculus, 4 mm", "N20.1"),
        ("Calculus of gallbladder with acute cholecystitis", "K80.00"),
        ("Acute embolism and thrombosis of left femoral vein", "I82.412"),
    ],
)
def test_tabular_wording_gives_the_specific_code(statement, code):
    note = f"CC: visit.\nAssessment: {statement}.\nPlan: as discussed.\n"
    icd = codes(run(note, payer="commercial"), "icd10_codes")
    assert code in icd
    assert len(icd) == 1


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        # Side not documented: the unspecified side stays.
        ("Knee osteoarthritis", {"M17.9"}),
        ("Otitis media, left ear", {"H66.92"}),
        ("Acute otitis media, left ear, not suppurative", {"H66.92"}),
        ("Abscess", {"L02.91"}),
        ("Conjunctivitis", {"H10.9"}),
        # A word of the statement the candidate lacks keeps the curated code.
        ("Bipolar II disorder, current episode depressed, moderate", {"F31.81"}),
        # Symptoms only: nothing more specific is invented.
        ("Cough and nasal congestion", {"R05.9"}),
        # Family history, ruled-out, negated and past conditions are not the patient's today
        # (a family history the assessment names is its own Z code, never the cancer's).
        ("Family history of colon cancer", {"Z80.0"}),
        ("Rule out ureteral stone", set()),
        ("No evidence of otitis media", set()),
        ("History of kidney stones", set()),
    ],
)
def test_tabular_fallback_does_not_over_specify(statement, expected):
    note = f"CC: visit.\nAssessment: {statement}.\nPlan: as discussed.\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == expected


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        # The same condition said more fully, beside a condition the combination rules code.
        ("Anemia in chronic kidney disease stage 3a", {"D63.1", "N18.31"}),
        # The category title names the condition ("Abdominal and pelvic pain").
        ("Right lower quadrant abdominal pain", {"R10.31"}),
        # "non-ST" names a kind of infarction; it negates nothing.
        ("NSTEMI, a subsequent non-ST elevation myocardial infarction", {"I22.2"}),
        # "not X" in the tabular wording: the code holds only while X is not said.
        ("Chronic migraine with aura, not intractable", {"G43.E09"}),
        # A parenthesised aside does not undo "without".
        ("Lead-induced chronic gout of right ankle and foot, without tophus (tophi)", {"M1A.1710"}),
    ],
)
def test_the_fallback_keeps_the_condition_it_refines(statement, expected):
    note = f"Assessment: {statement}.\nPlan: as discussed.\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == expected


def test_a_without_part_is_not_chosen_when_the_statement_affirms_it():
    note = (
        "Assessment: Acute suppurative otitis media of left ear with rupture of ear drum.\n"
        "Plan: amoxicillin, ear precautions.\n"
    )
    icd = codes(run(note, payer="commercial"), "icd10_codes")
    assert "H66.002" not in icd


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        # Site and side words of the statement choose the site code (L02 axes).
        ("Skin abscess of the left thigh", {"L02.416"}),
        ("Abscess, right lower leg", {"L02.415"}),
        ("Abscess of the right great toe", {"L02.611"}),
        ("Abscess on the back", {"L02.212"}),
        ("Furuncle, right forearm", {"L02.423"}),
        ("Abscess, site not described", {"L02.91"}),
        # Gout at a named joint indexes to idiopathic gout of that site (M10.0-).
        ("Gout flare of the left great toe MTP joint", {"M10.072"}),
        ("Acute gout, right knee", {"M10.061"}),
        ("Gout", {"M10.9"}),
        # Swimmer's ear has its own subcategory (H60.33-); plain otitis externa does not.
        ("Swimmer's ear, right", {"H60.331"}),
        ("Otitis externa of the right ear", {"H60.91"}),
        # Hypothyroidism after ablation or surgery is postprocedural (E89.0).
        ("Hypothyroidism after radioactive iodine, on replacement", {"E89.0"}),
        ("Post-surgical hypothyroidism", {"E89.0"}),
        ("Primary hypothyroidism", {"E03.9"}),
        # Blood loss anemia: acute is D62, chronic is D50.0, plain anemia stays D64.9.
        ("Acute blood loss anemia after knee replacement", {"D62"}),
        ("Anemia due to chronic blood loss", {"D50.0"}),
        ("Anemia, mild", {"D64.9"}),
    ],
)
def test_site_and_type_words_choose_the_code(statement, expected):
    note = f"Assessment: {statement}.\nPlan: treat as discussed.\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == expected


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        # Initial encounter (active treatment) unless the statement says otherwise.
        ("Left calcaneofibular ligament sprain", {"S93.492A"}),
        ("Buckle fracture of the right distal radius", {"S52.521A"}),
        ("Nondisplaced intertrochanteric fracture, left femur", {"S72.145A"}),
        # Follow-up care while the injury heals takes D (ICD-10-CM I.C.19.a).
        ("Buckle fracture of distal right radius, healing well in cast", {"S52.521D"}),
        ("Left hip fracture status post ORIF, aftercare and rehab", {"S72.002D"}),
        ("Right ATFL sprain, subsequent encounter", {"S93.491D"}),
        # Fracture healing problems and late effects have their own letters.
        ("Torus fracture of left distal tibia with delayed healing", {"S82.312G"}),
        ("Right intertrochanteric fracture, nonunion", {"S72.141K"}),
        ("Left ankle sprain, sequela with chronic stiffness", {"S93.402S"}),
        # A sprain has no fracture-healing letters: delayed healing is a plain subsequent visit.
        ("Right ankle sprain with delayed healing", {"S93.401D"}),
        # Negated healing is not a subsequent encounter.
        ("Buckle fracture of the left radius, not healing yet", {"S52.522A"}),
    ],
)
def test_injury_codes_take_the_seventh_character_of_the_encounter(statement, expected):
    note = f"Assessment: {statement}.\nPlan: splint, follow up in 2 weeks.\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == expected


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        # The condition's tabular note asks for the infectious agent (B95-B97).
        ("Urinary tract infection due to Klebsiella", {"N39.0", "B96.1"}),
        ("Cellulitis of the left leg, MRSA", {"L03.116", "B95.62"}),
        ("Acute pyelonephritis from Escherichia coli", {"N10", "B96.20"}),
        # No organism named, or one that is ruled out: no agent code.
        ("Acute cystitis, culture pending", {"N30.00"}),
        ("Acute cystitis, possibly E. coli, culture pending", {"N30.00"}),
        # The condition's own note does not ask for an agent (pharyngitis codes the strep).
        ("Group A strep pharyngitis", {"J02.0"}),
    ],
)
def test_an_organism_named_as_the_cause_gets_its_agent_code(statement, expected):
    note = f"Assessment: {statement}.\nPlan: antibiotics as discussed.\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == expected


def test_a_culture_result_outside_the_diagnostic_statement_is_not_coded_as_the_cause():
    note = (
        "Results: urine culture grew Proteus mirabilis.\n"
        "Assessment: Urinary tract infection.\nPlan: nitrofurantoin 100 mg BID x 5 days.\n"
    )
    assert codes(run(note, payer="commercial"), "icd10_codes") == {"N39.0"}


@pytest.mark.parametrize(
    ("vitals", "bmi_codes"),
    [
        # A child's BMI-for-age percentile band (Z68.5-), not the adult BMI value code.
        ("BMI 19.8, at the 88th percentile for age.", {"Z68.53"}),
        ("BMI 21 (96th %ile).", set()),  # 95th and above needs the percent of the 95th
        ("BMI 19.8.", set()),  # no percentile stated: no adult code for a child either
    ],
)
def test_a_childs_overweight_takes_the_bmi_percentile_band(vitals, bmi_codes):
    note = (
        f"9 y/o boy, sports physical.\nVitals: {vitals}\n"
        "Assessment: Overweight.\nPlan: nutrition counseling, 1 h active play daily.\n"
    )
    found = codes(run(note, payer="commercial"), "icd10_codes")
    assert "E66.3" in found
    assert {c for c in found if c.startswith("Z68")} == bmi_codes


def test_every_compiled_description_is_a_billable_code():
    index = icd10_match.description_index()
    compiled = {d.code for found in index.by_key_word.values() for d in found}
    assert len(compiled) > 20_000
    assert all(icd10.is_billable(code) for code in compiled)


def test_bph_with_luts_takes_the_symptoms_it_names():
    """N40.1 'use additional code for associated symptoms, when specified'."""
    note = (
        "Follow-up, 71 year old man.\nHPI: gets up 3 times a night to void; weak stream;"
        " denies hesitancy.\nAssessment: Benign prostatic hyperplasia with LUTS, nocturia.\n"
        "Plan: continue tamsulosin 0.4 mg nightly.\n"
    )
    found = codes(run(note), "icd10_codes")
    assert {"N40.1", "R35.1", "R39.12"} <= found
    assert "R39.11" not in found  # denied


def test_symptoms_without_bph_keep_the_usual_rules():
    note = "Assessment: Nocturia, likely from evening fluids.\nPlan: limit fluids after 6 pm.\n"
    assert "N40.1" not in codes(run(note), "icd10_codes")


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        # The index sends a palm, thenar or knuckle wound to the hand; fingers are their own
        # codes by digit and side, the face by part.
        ("Laceration over the left thenar eminence", {"S61.412A"}),
        ("Laceration of the right ring finger, nail intact", {"S61.214A"}),
        ("Laceration of left eyebrow", {"S01.112A"}),
        ("Scalp laceration", {"S01.01XA"}),
        ("Right shin laceration, healing well, suture check", {"S81.811D"}),
        # A wound that is not a laceration, or a laceration ruled out, takes no laceration code.
        ("Abrasion of the left knee, no laceration", {"T14.8XXA"}),
    ],
)
def test_lacerations_take_the_site_side_and_encounter_codes(statement, expected):
    note = f"Assessment: {statement}.\nPlan: wound care.\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == expected


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("Type 2 DM with moderate NPDR and macular edema, right eye", "E11.3311"),
        ("Type 2 diabetes; mild non-proliferative diabetic retinopathy, both eyes", "E11.3293"),
        (
            "DM2 with severe nonproliferative diabetic retinopathy without macular edema, left eye",
            "E11.3492",
        ),
        ("Type 2 diabetes with proliferative diabetic retinopathy, bilateral", "E11.3593"),
        ("Type 1 diabetes with mild nonproliferative diabetic retinopathy, left eye", "E10.3292"),
        # No severity stated: the unspecified retinopathy code, as before.
        ("Type 2 diabetes with diabetic retinopathy", "E11.319"),
    ],
)
def test_diabetic_retinopathy_takes_its_severity_edema_and_eye(statement, expected):
    note = f"Assessment: {statement}.\nPlan: continue metformin; eye exam yearly.\n"
    assert expected in codes(run(note, payer="commercial"), "icd10_codes")


def test_a_side_negated_in_its_own_part_is_not_the_statements_side():
    note = (
        "Assessment: Primary osteoarthritis of left knee, no right knee involvement.\nPlan: PT.\n"
    )
    assert codes(run(note, payer="commercial"), "icd10_codes") == {"M17.12"}


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("Chronic migraine without aura, not intractable, without status migrainosus", "G43.709"),
        ("Transformed migraine, intractable", "G43.719"),
        ("Chronic migraine with status migrainosus", "G43.701"),
        # Episodic migraine keeps the aura axis.
        ("Migraine without aura, episodic, well controlled", "G43.009"),
        ("Migraine with aura", "G43.109"),
    ],
)
def test_chronic_migraine_is_g43_7(statement, expected):
    note = f"Assessment: {statement}.\nPlan: continue current treatment.\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == {expected}


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("Separation anxiety disorder", {"F93.0"}),
        ("Anxiety disorder", {"F41.9"}),
    ],
)
def test_separation_anxiety_is_its_own_disorder(statement, expected):
    note = f"Assessment: {statement}.\nPlan: CBT weekly.\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == expected


@pytest.mark.parametrize(
    ("assessment", "expected"),
    [
        # The same gout twice: once with its site, once without; the site code stands.
        ("Gout flare of the right ankle; chronic gout, no tophi.", {"M10.071"}),
        # Two sites are two codes.
        ("1. Gout of the left knee.\n2. Gout of the right wrist.", {"M10.062", "M10.031"}),
    ],
)
def test_an_unspecified_gout_code_gives_way_to_the_sited_one(assessment, expected):
    note = f"Assessment: {assessment}\nPlan: colchicine 0.6 mg bid.\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == expected


@pytest.mark.parametrize(
    ("text", "mention", "expected"),
    [
        ("abdomen non-tender", "tender", "negated"),
        ("mild non-proliferative diabetic retinopathy", "diabetic retinopathy", "present"),
        ("non productive cough for a week", "cough", "present"),
        ("no cough", "cough", "negated"),
    ],
)
def test_non_negates_only_the_word_it_is_joined_to(text, mention, expected):
    start = text.index(mention)
    assert assertion(text, start, start + len(mention)) == expected


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        # N20 Excludes1 "that with hydronephrosis (N13.2)": the combination code alone.
        ("Obstructing right distal ureteral stone with mild hydronephrosis", {"N13.2"}),
        ("Kidney stone with hydronephrosis on ultrasound", {"N13.2"}),
        # Without hydronephrosis, or with it denied, the calculus code stands.
        ("Right ureteral stone, no hydronephrosis", {"N20.1"}),
        ("Nonobstructing left kidney stone", {"N20.0"}),
    ],
)
def test_a_calculus_with_hydronephrosis_takes_the_combination_code(statement, expected):
    note = f"Assessment: {statement}.\nPlan: tamsulosin 0.4 mg daily, strain urine.\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == expected


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        # K51.511 names the bleeding: rectal bleeding is not coded again.
        ("Left sided ulcerative colitis with rectal bleeding, flaring", {"K51.511"}),
        # A code that does not name it leaves it coded.
        ("Rectal bleeding with iron deficiency anemia", {"K62.5", "D50.9"}),
    ],
)
def test_a_part_named_by_the_combination_code_is_not_coded_again(statement, expected):
    note = f"Assessment: {statement}.\nPlan: labs, GI referral.\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == expected


@pytest.mark.parametrize(
    ("history", "second_item", "stage"),
    [
        # The combination comes from one statement and the stage from another.
        ("", "2. Diabetic CKD, stage 4, and hypertension - continue losartan 50 mg.", "N18.4"),
        # A stage written only in the history is not today's assessment: unspecified.
        ("PMH: CKD stage 4.\n", "2. Hypertension - continue losartan 50 mg.", "N18.9"),
    ],
)
def test_the_ckd_stage_may_come_from_another_assessed_statement(history, second_item, stage):
    note = (
        f"S: 66 y/o F, diabetes follow-up.\n{history}"
        "A/P:\n1. Type 2 diabetes with diabetic chronic kidney disease - increase glipizide to"
        f" 10 mg daily.\n{second_item}\n"
    )
    icd = codes(run(note), "icd10_codes")
    assert {"E11.22", "I12.9", stage} <= icd
    assert len({code for code in icd if code.startswith("N18")}) == 1


@pytest.mark.parametrize(
    ("statement", "expected", "not_expected"),
    [
        ("Cirrhosis due to alcohol, tense ascites - diuretics increased.", "K70.31", "K74.60"),
        ("Alcohol-related cirrhosis, compensated, no ascites on exam.", "K70.30", "K70.31"),
        # Cirrhosis of another cause is not the alcoholic code.
        ("Cirrhosis from hepatitis C, with ascites - start spironolactone.", "K74.60", "K70.31"),
        ("Alcoholic hepatitis with ascites - prednisolone started.", "K70.11", "K70.10"),
    ],
)
def test_cirrhosis_by_cause_and_ascites(statement, expected, not_expected):
    icd = codes(run(f"Assessment:\n1. {statement}\n"), "icd10_codes")
    assert expected in icd
    assert not_expected not in icd


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("Mass, left breast, lower inner quadrant, not yet characterized.", "N63.24"),
        ("Right breast lump, 2 cm, imaging ordered.", "N63.10"),
        ("Breast nodule found on self-exam, side not stated.", "N63.0"),
    ],
)
def test_a_breast_lump_is_coded_by_side_and_quadrant(statement, expected):
    icd = codes(run(f"Assessment:\n1. {statement}\n"), "icd10_codes")
    assert expected in icd
    assert not {c for c in icd if c.startswith("N63")} - {expected}


def test_an_abdominal_mass_is_not_a_breast_lump():
    icd = codes(
        run("Assessment:\n1. Abdominal mass, left upper quadrant - CT ordered.\n"), "icd10_codes"
    )
    assert not {c for c in icd if c.startswith("N63")}


@pytest.mark.parametrize(
    ("family_section", "assessment", "z_code"),
    [
        # Weighed in the assessment: coded.
        ("", "Father with colon cancer at 52 - colonoscopy now, then every 5 years.", "Z80.0"),
        ("", "Sister treated for ovarian cancer; referral to genetics.", "Z80.41"),
        # Only in the family history section: background, not coded.
        ("FH: mother with breast cancer at 70.\n", "Screening mammogram due; ordered.", None),
    ],
)
def test_family_history_is_coded_only_when_the_assessment_weighs_it(
    family_section, assessment, z_code
):
    note = f"S: 45 y/o woman for a checkup, no complaints.\n{family_section}A/P:\n1. {assessment}\n"
    icd = codes(run(note, payer="commercial"), "icd10_codes")
    assert {c for c in icd if c.startswith("Z80")} == ({z_code} if z_code else set())
    assert not {c for c in icd if c.startswith(("C18", "C56", "C50"))}


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        # Site, side and stage from the tabular wording; the sacrum and coccyx are the sacral
        # region (ICD-10-CM index: Ulcer, pressure, coccyx - see sacral region).
        ("Pressure ulcer of sacrum, stage 2", {"L89.152"}),
        ("Stage 3 pressure injury of the right heel", {"L89.613"}),
        ("Unstageable decubitus ulcer of left buttock", {"L89.320"}),
        ("Stage 3 pressure ulcer, coccyx", {"L89.153"}),
        ("Pressure sore", {"L89.90"}),
        # An ulcer that is not a pressure ulcer stays its own kind.
        ("Venous stasis ulcer of left calf", {"I87.2"}),
        # A decubitus view is a position, not an ulcer.
        ("Right pleural effusion on the left lateral decubitus view", {"J90"}),
    ],
)
def test_a_pressure_ulcer_is_coded_by_site_side_and_stage(statement, expected):
    note = f"Assessment: {statement}.\nPlan: foam dressing, turn every 2 hours.\n"
    assert codes(run(note, payer="medicare"), "icd10_codes") == expected


def test_hypoglycemia_is_not_coded_beside_the_diabetes_code_that_names_it():
    note = (
        "Assessment:\n1. Type 2 diabetes with hypoglycemia, no coma - two lows this month.\n"
        "2. Hypoglycemia - glucagon kit prescribed.\n"
        "Plan: reduce glipizide to 2.5 mg daily.\n"
    )
    found = codes(run(note, payer="commercial"), "icd10_codes")
    assert "E11.649" in found
    assert "E16.2" not in found


def test_hypoglycemia_without_diabetes_is_still_coded():
    note = "Assessment: Hypoglycemia after a missed meal.\nPlan: glucose tabs, snack schedule.\n"
    assert "E16.2" in codes(run(note, payer="commercial"), "icd10_codes")


@pytest.mark.parametrize(
    ("assessment", "expected"),
    [
        # A headache beside a migraine is part of the migraine (I.B.5).
        (
            "1. Migraine without aura, not intractable.\n2. Headache - keep a diary.",
            {"G43.009"},
        ),
        # A headache beside an unrelated diagnosis is coded.
        ("1. Essential hypertension.\n2. Headache - keep a diary.", {"I10", "R51.9"}),
        # Abdominal pain beside back pain: R10's note on dorsalgia does not make it integral.
        ("1. Low back pain.\n2. Abdominal pain.", {"M54.50", "R10.9"}),
    ],
)
def test_a_symptom_is_dropped_only_beside_a_diagnosis_it_is_a_form_of(assessment, expected):
    note = f"Assessment:\n{assessment}\nPlan: follow up in 4 weeks.\n"
    assert codes(run(note, payer="commercial"), "icd10_codes") == expected
