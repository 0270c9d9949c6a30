"""Clinical facts that coding needs survive scrubbing untouched."""

import pytest

from extraction.phi import scrub_note

CLINIC_NOTE = """\
Patient: Rosalind Achebe-Whitlow   DOB 08/30/1958   MRN 55102237
S: 66 y/o woman here for diabetes and blood pressure follow-up. Will recheck labs today.
She has Parkinson disease, remote Bell palsy and Hashimoto thyroiditis; her brother has
Down syndrome. Crohn disease in remission. Graves disease treated in 2009.
Vitals: BP 142/88, HR 72, RR 16, T 98.6, SpO2 97% RA, weight 81.2 kg, BMI 29.4.
Labs 03/02/2025: A1C 8.3%, LDL 132, eGFR 81, TSH 2.4, K 4.1, creatinine 0.92.
Screens: PHQ-9 14, GAD-7 12, AUDIT-C 3. Pain 3/10. Strength 5/5 throughout.
Meds: metformin 1000 mg BID, lisinopril 20 mg daily, atorvastatin 40 mg nightly,
levothyroxine 88 mcg daily, carbidopa-levodopa 25/100 TID.
A/P: E11.65 type 2 diabetes with hyperglycemia; I10 hypertension. Cough for 3 weeks,
amoxicillin 500 mg TID x 7 days. Level 99214. Apgar history not applicable.
She hopes to walk more; may start a walking group with grace and will mark progress.
Age 62 sister, age 88 mother. Follow up in 3 months. Signed: Dr. Tobiah Ferreira-Lund, MD
"""


@pytest.mark.parametrize(
    "fact",
    [
        "66 y/o",
        "Will recheck labs today",
        "Parkinson disease",
        "Bell palsy",
        "Hashimoto thyroiditis",
        "Down syndrome",
        "Crohn disease",
        "Graves disease",
        "in 2009",
        "BP 142/88",
        "HR 72",
        "T 98.6",
        "SpO2 97% RA",
        "weight 81.2 kg",
        "A1C 8.3%",
        "LDL 132",
        "eGFR 81",
        "TSH 2.4",
        "PHQ-9 14",
        "GAD-7 12",
        "Pain 3/10",
        "Strength 5/5",
        "metformin 1000 mg BID",
        "levothyroxine 88 mcg daily",
        "carbidopa-levodopa 25/100 TID",
        "E11.65",
        "I10",
        "for 3 weeks",
        "x 7 days",
        "99214",
        "Apgar",
        "may start a walking group with grace and will mark progress",
        "She hopes",
        "Age 62",
        "age 88",
        "in 3 months",
        "/1958",
        "/2025",
    ],
)
def test_clinical_fact_survives(fact):
    scrubbed = scrub_note(CLINIC_NOTE).scrubbed_note

    assert fact in scrubbed


def test_identifiers_of_the_same_note_are_gone():
    scrubbed = scrub_note(CLINIC_NOTE).scrubbed_note

    for identifier in ("Rosalind", "Achebe-Whitlow", "55102237", "08/30", "03/02", "Tobiah"):
        assert identifier not in scrubbed


@pytest.mark.parametrize(
    "text",
    [
        "Murmur 2/6 systolic at LUSB.",
        "Vision 20/40 OS.",
        "Apgars 8/9 at birth.",
        "1/2 tablet at bedtime.",
        "Reflexes 2+/4 symmetric.",
        "Insulin glargine 22 units at 21:00.",
        "Hemoglobin 11.9 g/dL, platelets 250 K/uL.",
        "CPT 99396 and G0439 billed; 3044F reported.",
        "Lumbar MRI L4-L5 disc bulge.",
        "Seen at 08:45, discharged at 14:10.",
        "Brought in by EMS after a fall.",
        "T 99F, HR 88, RR 18.",
        "Samples collected: 4 EDTA tubes.",
        "Lost 12 lb over 3 months; platelets 250 K/uL.",
    ],
)
def test_measurements_and_codes_are_not_mistaken_for_identifiers(text):
    result = scrub_note(text)

    assert result.scrubbed_note == text
    assert result.redactions == []


@pytest.mark.parametrize(
    "fact",
    [
        # Scales, signs and classifications named after towns and people: not addresses
        "Bristol stool scale type 4",
        "Glasgow Coma Scale 15",
        "Richmond Agitation-Sedation Scale -2",
        "San Francisco syncope rule negative",
        "Ottawa ankle rules negative",
        "New York Heart Association class II",
        "Los Angeles grade B esophagitis",
        "Montreal A2 L3 B1",
        "Hoehn and Yahr stage 2",
        "Westley croup score 5",
        "negative McMurray",
        "Lyme disease",
        "Addison disease",
        # Codes and notations that look like numbers
        "G2P1001",
        "99214-25",
        # Measurements after a capitalized label that is also a surname
        "Temp 37.1 C",
        "MAC 19.5 cm",
        "in 91 days",
    ],
)
def test_named_scales_codes_and_measurements_survive(fact):
    note = f"Exam today: {fact}. Plan as above."

    assert fact in scrub_note(note).scrubbed_note
