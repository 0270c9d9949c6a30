"""Identifier shapes beyond the first test notes: nicknames, suffixes, dictated roles, labels
of any kind, slashed and trunk phone numbers, dotted study UIDs, dates named by their context,
and no fragment of a removed identifier left standing as a kept year."""

import re

import pytest

from extraction.phi import scrub_note


def _gone(note: str, *identifiers: str) -> str:
    scrubbed = scrub_note(note).scrubbed_note
    for identifier in identifiers:
        assert identifier not in scrubbed, f"{identifier!r} left in {scrubbed!r}"
    return scrubbed


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        # quoted nicknames, beside the name or after "prefers" / "goes by"
        ('Patient: Margarethe "Greta" Holloway-Brandt, 67F', ("Margarethe", "Greta", "Holloway")),
        ('Client: Ruthanne Obi (goes by "Tish")   DOB 04/02/1980', ("Ruthanne", "Tish")),
        ("Resident prefers to be called 'Dell' by staff.", ("Dell",)),
        # generational suffixes go with the name
        ("Pt: Marcus T. Whitfield III   MRN 448812", ("Whitfield", "III")),
        # accented, hyphenated surnames
        ("Referred by Inés Castañeda-Ortiz, FNP, for evaluation.", ("Castañeda", "Ortiz")),
        # lower-case dictation after a role
        (
            "this is physician assistant darnell okonkwo-reyes dictating a follow up",
            ("darnell", "okonkwo"),
        ),
        ("his partner xiu ying phoned the nurse line today", ("xiu", "ying")),
        # a role label, an initial and a credential
        ("Sonographer: K. Adeyemi, RDMS   Reading: pending", ("Adeyemi",)),
        # a label the scrubber has never seen, before a full name
        ("Traveler: Oluwadamilare Fernandes-Akande\nDestination: Ghana", ("Oluwadamilare",)),
        ("Athlete: Kristoffer Lindahl  Sport: hockey", ("Kristoffer", "Lindahl")),
        # a relative named by a word that is also an ordinary word
        ("Household: mother, father. Sibling: Will, age 6.", ("Will,",)),
    ],
)
def test_names_in_new_shapes_are_removed(note, identifiers):
    _gone(note, *identifiers)


def test_ordinary_words_stay_when_they_are_not_names():
    note = "Will return in 2 weeks. Patient will bill insurance. Hope to taper; Grace period noted."
    scrubbed = scrub_note(note).scrubbed_note
    for word in ("Will return", "will bill", "Hope to taper"):
        assert word in scrubbed


@pytest.mark.parametrize(
    ("note", "number"),
    [
        ("Daughter (cell) 312/555-0187, call after 5.", "312/555-0187"),
        ("Reach her on 07911 123456 (UK mobile) while abroad.", "07911 123456"),
        ("Call 020 7946 0958 (London office).", "020 7946 0958"),
        ("Mobile +44 7911 123456.", "7911 123456"),
    ],
)
def test_phone_numbers_in_other_formats(note, number):
    """Whole: no group of four or more digits of the number is left anywhere."""
    _gone(note, number, *re.findall(r"\d{4,}", number))


def test_dotted_study_uid_is_an_identifier():
    note = "CT archived to PACS, study 1.2.840.113654.2.70.1.9987123 for comparison."
    _gone(note, "113654", "9987123")


def test_ip_addresses_and_versions_are_not_study_uids():
    note = "Device firmware 2.4.1 updated; pump settings unchanged."
    assert scrub_note(note).scrubbed_note == note


@pytest.mark.parametrize(
    ("note", "date"),
    [
        ("Labs 3/5: Hgb 9.8, K 4.1.", "3/5"),
        ("Sutures out 4/12; wound healing well.", "4/12"),
        ("Foley removed 6/2 without issue.", "6/2"),
    ],
)
def test_month_day_dates_named_by_their_context(note, date):
    _gone(note, date)


@pytest.mark.parametrize(
    "note",
    [
        "Pain 3/10 today, was 7/10 last week.",
        "Strength 4/5 in the left deltoid.",
        "Took 2/3 of the doses; 1/2 tab at night.",
    ],
)
def test_scores_and_fractions_stay(note):
    assert scrub_note(note).scrubbed_note == note


def test_a_kept_year_never_repeats_part_of_a_removed_identifier():
    """The year of a date stays (Safe Harbor), but not where it would leave standing a digit
    group of an identifier removed from the same note."""
    note = "Claim WC-2025-0338719 filed. Date of injury: 07/14/2025. Follow-up 2024-11-02."
    scrubbed = _gone(note, "0338719", "07/14")
    assert "2025" not in scrubbed
    assert "2024" in scrubbed  # other years keep theirs


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ('Patient: PRZYBYLSKI, HENRYK "HANK" T.   Rm 12', ("PRZYBYLSKI", "HENRYK", "HANK")),
        ('Patient: Odalys Ferrer-Quintana ("Lili")   DOB 2/3/2019', ("Odalys", "Lili")),
        ("Staff report Mr. Abernethy (goes by Red) ate well.", ("Abernethy", "Red")),
        ("Patient: BAKER, LORRAINE ANN   MRN 5520193", ("BAKER", "LORRAINE")),
        ("Pt: NAKAMURA, Haruto  DOB 1950", ("NAKAMURA", "Haruto")),
        ("the patient name oksana dovzhenko presents", ("oksana", "dovzhenko")),
    ],
)
def test_names_with_nicknames_and_surname_first(note, identifiers):
    _gone(note, *identifiers)


@pytest.mark.parametrize(
    "note",
    [
        "Positive left Dix-Hallpike today; Epley done.",
        "Triaged per Schmitt-Thompson fever protocol.",
        "RE: Level 2 appeal of the denial",
        "Daughter reports mom is weaker; they hope Mom can stay home.",
        "Hospice On-Call RN visited.",
        "No LOF, VB, ctx today.",
        "Seen with Ana Ruiz (Spanish) and Dr. Okafor (Cardiology).",
        "Reviewed by Ines Vaca, MD. Signed: TRAN, MINH MD",
    ],
)
def test_words_credentials_and_relations_are_not_names(note):
    scrubbed = scrub_note(note).scrubbed_note
    kept = ("Level", "mom", "Mom", "On-Call", "LOF", "VB", "MD", "Dix-Hallpike", "Schmitt")
    for word in (*kept, "Spanish", "Cardiology"):
        if word in note:
            assert word in scrubbed, f"{word!r} lost from {scrubbed!r}"


@pytest.mark.parametrize(
    ("note", "identifier"),
    [
        ("Can she come earlier than the 19th?", "19th"),
        ("Glucose test this Tues the 14th.", "14th"),
        ("Labs from 4/5: WBC 7.2.", "4/5"),
        ("G2P1, LMP 6/10, not pregnant.", "6/10"),
        ("Biopsy (Aug '23) showed DCIS.", "Aug"),
        ("Chart 77-3104 reviewed.", "77-3104"),
        ("Hygienist (lic. RDH 55120) present.", "55120"),
        ("Home program via access code T4XR9Q2.", "T4XR9Q2"),
        ("Enrolled with voiceprint ref VP-8812-QA.", "VP-8812-QA"),
        ("Visit GPS 41.8781, -87.6298 logged.", "41.8781"),
    ],
)
def test_dates_and_identifiers_in_more_shapes(note, identifier):
    _gone(note, identifier)


@pytest.mark.parametrize(
    "note",
    [
        "her son mri normal",
        "his wife uti last week",
        "her mother chf and dm",
        "her mom afib",
        "the wife hx of copd",
        "her son mri ct normal",
    ],
)
def test_dictated_abbreviations_after_relations_stay(note):
    assert scrub_note(note).scrubbed_note == note


def test_the_nth_of_something_else_stays():
    note = "Pain in the 4th toe since the 2nd dose; improved from 8/10 to 3/10. Ratio 1.234, 2.345"
    assert scrub_note(note).scrubbed_note == note


@pytest.mark.parametrize(
    ("note", "identifier"),
    [
        ("dictated. dob four nineteen nineteen eighty two. mrn to follow", "nineteen eighty"),
        ("she was born in nineteen twenty nine and lives alone", "twenty nine"),
        ("moved here last year and lives with her son in ipswich now", "ipswich"),
    ],
)
def test_dictation_spoken_birth_dates_and_lower_case_towns(note, identifier):
    _gone(note, identifier)


@pytest.mark.parametrize(
    "note",
    [
        "born in nineteen ninety eight, no complications",  # a year alone, under 90: it stays
        "baby born thirty two weeks, now thriving",
        "back to work next week, stays at home on weekends, hot in bath",
    ],
)
def test_spoken_years_and_ordinary_places_stay(note):
    assert scrub_note(note).scrubbed_note == note


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ("Present: Ana Ruiz, Grace Mbeki-Otieno, staff.", ("Grace", "Mbeki")),
        ('Camper name: Tobiah Lindgren     Nickname: none   Goes by: "Toby"', ("Toby",)),
        ("Parent/Guardian 2: Ximena Arriaga    cell 555-201-3344", ("Ximena", "Arriaga")),
        ("Crew: R. Oyelowo-Bright (Paramedic, cert 4471)", ("Oyelowo",)),
        ('Fax to: Rosendo "Chepe" Villalobos, DOB 1/2/1950', ("Chepe",)),
        ("PID|1||55123^^^MERCY||OKONJO^CHIDINMA^A||19800101|F", ("OKONJO", "CHIDINMA")),
        ("(0010,0010) PatientName: FERREIRA^JOAO PEDRO", ("FERREIRA", "JOAO")),
        ("Patient: Liang Mei-Hua (Lucy)    DOB 3/4/1958", ("Liang", "Lucy")),
        ("Her daughter Oluwaseyi (Seyi) Balogun called.", ("Oluwaseyi", "Seyi", "Balogun")),
    ],
)
def test_names_in_forms_lists_and_hl7(note, identifiers):
    _gone(note, *identifiers)


@pytest.mark.parametrize(
    ("note", "identifier"),
    [
        ("SSN :  512 - 44 - 9031   Sex : M", "9031"),
        ("Treating dentist (TX lic. 7731)", "7731"),
        ("Signed, MD   NY lic. B229104", "229104"),
        ("Linked to portal user kbrandt77 today.", "kbrandt77"),
        ("Employer: 2210 Gates-Hollow Rd, Fresno", "Gates-Hollow"),
        ("PID|1||||X^Y||||||77 ELM ST^^TULARE^CA^93274^USA", "93274"),
        ("(0010,0020) PatientID: 4410932", "4410932"),
    ],
)
def test_identifiers_in_form_and_message_layouts(note, identifier):
    _gone(note, identifier)


def test_hl7_coded_values_and_states_stay():
    note = "OBX|3|NM|33914-3^EGFR^LN||58|mL/min\nXAD: 77 ELM ST^^TULARE^CA^93274^USA"
    scrubbed = scrub_note(note).scrubbed_note
    assert "33914-3^EGFR^LN" in scrubbed
    assert "^CA^" in scrubbed


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        # a middle initial between two words that are also ordinary ones
        ("Hunter J. Stone presented with cough x 3 days.", ("Hunter", "Stone")),
        ("Consent witnessed by Faith A Young today.", ("Faith", "Young")),
        # a double-barrelled surname of two words, before a credential
        ("Faith Young-Price RN called the patient.", ("Faith", "Young-Price")),
        # a word no list knows, before a verb only a person does
        ("Lives with partner. Xio reports she sleeps poorly.", ("Xio",)),
        # "s/w" and "spoke with" before a given name that is also a word
        ("s/w Ivy at the front desk about the referral.", ("Ivy",)),
        ("Spoke with Will regarding results.", ("Will",)),
    ],
)
def test_names_of_ordinary_words_in_a_name_shape(note, identifiers):
    _gone(note, *identifiers)


@pytest.mark.parametrize(
    "note",
    [
        "Vitamin D. Stone analysis pending. Hepatitis B. Young adult.",
        "Eliquis reports none. Tylenol helps. Hospice On-Call RN visited.",
        "Plan discussed with Hope Clinic staff. Will recheck next week.",
        "Follow-Up RN visit; Check-In desk.",
    ],
)
def test_ordinary_words_in_those_shapes_stay(note):
    assert scrub_note(note).scrubbed_note == note


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        # surname first, given names that are also words
        ("Patient: BROOK, HOPE M.        DOB: 02/03/1961", ("BROOK", "HOPE")),
        ("FIELD, GRACE J            DOB: 02/03/1960", ("FIELD", "GRACE")),
        # a found name again before a modal verb or as a possessive
        ("Pt: Hope Abernathy. Hope may call back.", ("Hope",)),
        ("Granddaughter Summer by phone. Summer's train arrives at noon.", ("Summer",)),
        # particles go with every mention of the surname
        ("Patient: Joost van der Linde. Plan reviewed with van der Linde today.", ("van", "der")),
        ("First: Wilhelmina   MI: R   Last: ter Haar", ("Wilhelmina", "ter", "Haar")),
        # titles, nicknames after an initial, aliases, quoted nicknames in forms
        ("Presiding: Hon. Beatrice Oyelaran-Kent", ("Beatrice", "Oyelaran")),
        ('Resident: MALONEY, PATRICIA K. ("Patsy")', ("MALONEY", "Patsy")),
        ('Friends call her "Tink". Pain better.', ("Tink",)),
        ('NSVD, baby boy "Kofi", 3,400 g.', ("Kofi",)),
        ('a man she knows only as "Smoke." He left.', ("Smoke",)),
        ('S: "Bud" says he feels better.', ("Bud",)),
        ('Camper: Dominic "Dom" Ferraro   Age 15', ("Dominic", "Dom", "Ferraro")),
        # given names common outside the US, in dictation
        ("her brother tariq translated for her today", ("tariq",)),
        ("Referring nephrologist: Sunil Raghavan, MD", ("Sunil", "Raghavan")),
    ],
)
def test_names_in_headers_aliases_and_dictation(note, identifiers):
    _gone(note, *identifiers)


@pytest.mark.parametrize(
    ("note", "identifier"),
    [
        ("MRI brain 4/12: no acute change.", "4/12"),
        ("EEG 4/12-4/13: no seizures.", "4/13"),
        ("DOB: 07/04/1931 (93 yrs)", "93"),
        ("Platform: video, meeting ID 921 5580 3318, link sent.", "3318"),
        ("Released to courier, air bill 7729 4410 6612.", "6612"),
        ("Screening #: SCR-0219    Subject ID: ALZ-22-0091", "SCR-0219"),
        ("Vehicle: box truck, fleet unit BF-318, plate C447901", "BF-318"),
        ("Prior state ID card no. WDLKX4471RB (lost).", "WDLKX4471RB"),
        ("| MRN          | 5520-8817 |", "5520-8817"),
        ("MRN ........ 30077412", "30077412"),
        ("Scene: behind the 1500 block of N Farwell Ave, 01:30.", "1500"),
        ("Staying at 6030 N Kenmore Ave #1402, Chicago 60660 this week.", "Chicago"),
        ("Tacoma, WA 98406 (Proctor District)", "Proctor"),
        ("She lives in the Bronx with her aunt.", "Bronx"),
        ("Mailing: Bethel, AK 99559. Flew back to Bethel on Friday.", "Bethel"),
        ("he lives at 77 maple grove dr, cedar falls, iowa 50613 now", "cedar falls"),
    ],
)
def test_dates_identifiers_and_places_in_more_layouts(note, identifier):
    _gone(note, identifier)


@pytest.mark.parametrize(
    ("note", "kept"),
    [
        ("Katz ADL 5/6, Lawton IADL 4/8.", ("5/6", "4/8")),
        ("GA at birth: 29 3/7 weeks.", ("3/7",)),
        ("Beighton 1/9. Exam: Fitzpatrick II.", ("1/9", "Fitzpatrick II")),
        ("Neer positive, Hawkins-Kennedy positive.", ("Hawkins-Kennedy",)),
        ("Plans to fast during Ramadan.", ("Ramadan",)),
        ("Member ID 12345 on file. ID 4471, 500 tablets dispensed.", ("Member", "500 tablets")),
        ("Lives in Normal, IL 61761. Normal exam today.", ("Normal exam",)),
        ("Winters here Jan-Apr, lives in Michigan otherwise.", ("Jan-Apr", "Michigan")),
        ("Seen at 5 pm dr, smith. Drug screen: THC, COC, PCP, OPI, AMP", ("5 pm", "COC, PCP")),
        ("Report to the health department 7/31 done. Brought in by EMS.", ("EMS",)),
    ],
)
def test_clinical_facts_beside_those_shapes_stay(note, kept):
    scrubbed = scrub_note(note).scrubbed_note
    for fact in kept:
        assert fact in scrubbed, f"{fact!r} lost from {scrubbed!r}"


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ("discussed with dr. baker and the family", ("baker",)),
        ("follow up with her np, tamsin okoro, in two weeks", ("tamsin", "okoro")),
        ("this is marisol quintanilla, lcsw, dictating a session note", ("marisol", "quintanilla")),
        ("dictating for client deshawn t. abernathy-cole today", ("deshawn", "abernathy")),
        (
            "Patient ............ FA'AMAUSILI, SIONE T.\nDOB ......... 1961",
            ("FA'AMAUSILI", "SIONE"),
        ),
        ("Crew: J. Markowski, NRP / A. Baptiste, EMT-B (driver)", ("Markowski", "Baptiste")),
        ("+ NAUSEA. COWORKER SIONE TAUFA STATES PT WENT GRAY.", ("SIONE", "TAUFA")),
        ("Dr. Pike: Mallampati II. Tyrell Washington III seen.", ("Tyrell", "Washington")),
    ],
)
def test_dictated_and_form_names(note, identifiers):
    _gone(note, *identifiers)


@pytest.mark.parametrize(
    ("note", "identifier"),
    [
        ("91 years is plenty, she said.", "91"),
        ("Fitting follow-up Oct-21 at 2:00 PM.", "Oct-21"),
        ("Admitted 2/10 (inpatient 2/4 to 2/10).", "2/4"),
        ("WA EMS cert ESP.60418822", "60418822"),
        ("Member ID: ESH 8820 4417 39      Group: 00721-HV", "4417"),
        ("DME: Wasatch Respiratory, 1745 S 300 W, Salt Lake City, UT 84115", "1745 S 300 W"),
        ("CT from Harpeth Valley Imaging, Franklin, TN, imported.", "Franklin"),
    ],
)
def test_more_date_identifier_and_address_shapes(note, identifier):
    _gone(note, identifier)


@pytest.mark.parametrize(
    ("note", "kept"),
    [
        ("her np, will call tomorrow. the rn, please call. chest pain, md aware.", ("will call",)),
        (
            "Dr. Pike: Mallampati II. Tyrell Washington III seen. Class II.",
            ("Mallampati II", "Class II"),
        ),
        (
            "Strength 4/5 to 5/5. Pain 3/10 to 1/10. Member ID 12345 42 years old.",
            ("4/5", "42 years"),
        ),
        ("Oct-Dec season; dr. will see.", ("Oct-Dec", "dr. will see")),
    ],
)
def test_words_beside_dictated_names_stay(note, kept):
    scrubbed = scrub_note(note).scrubbed_note
    for fact in kept:
        assert fact in scrubbed, f"{fact!r} lost from {scrubbed!r}"


def test_units_towns_and_test_abbreviations_are_not_names():
    note = (
        "Position: RN, 6 West Med-Surg. Lives in Daly City. San Mateo County TB program.\n"
        "Employee: VILLALUZ, Ma. Cristina. QuantiFERON (TB1-Nil 1.82 IU/mL). Latent TB."
    )
    scrubbed = _gone(note, "VILLALUZ", "Cristina", "Daly", "Mateo")
    assert "West Med-Surg" in scrubbed
    assert "(TB1-Nil 1.82 IU/mL). Latent TB." in scrubbed


def test_a_short_surname_in_capitals_is_still_found_everywhere():
    _gone("Patient: LI, WEI. Mr. LI seen; Li agrees.", "WEI", "LI", "Li")


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ("seen today by marcus feldstein dpm w/ ana tsosie rn cwocn", ("feldstein", "tsosie")),
        ("follow up for dorothy a. kowalczyk, date of birth march third", ("dorothy", "kowalczyk")),
        ("a note on dolores ybarra date of birth april second", ("dolores", "ybarra")),
        ("this is jenna mccaffrey, p a c, dictating", ("jenna", "mccaffrey")),
        ("FAMILY: husband Bahati Rukundo; children Neema (8), Baraka (5).", ("Neema", "Baraka")),
        ("Sibling in the home: Nou, 7 y/o sister", ("Nou",)),
        ('She says "I am 93, what do you expect."', ("93",)),
        ("Interpreter: Yves Gagnon (#3381); phone interpreter #40218.", ("3381", "40218")),
        ("commercial license (MI CDL K 400 218 739 552) downgraded", ("739",)),
        ("Address: 4107 Vista del Sol Dr NW, Albuquerque, NM 87120", ("Vista del Sol",)),
        ("home: hc 63 box 1140, ramah nm 87321 (mckinley county)", ("ramah", "87321", "mckinley")),
        ("home address on file 94-1020 waipahu st, waipahu, hi 96797.", ("1020", "waipahu")),
    ],
)
def test_lower_case_dictation_lists_and_rural_addresses(note, identifiers):
    _gone(note, *identifiers)


@pytest.mark.parametrize(
    ("note", "kept"),
    [
        ("Full ROM, Thompson test negative.", ("ROM, Thompson test",)),
        ("Failed Yale 3-oz water swallow screen.", ("Yale 3-oz",)),
        (
            "Resolved with McRoberts; Aldrete 10; occasional Braxton Hicks.",
            ("McRoberts", "Aldrete"),
        ),
        ("Enrolled in NCT05518733. Tooth #17 extracted.", ("NCT05518733", "#17")),
        ("Her children are well. Took 10000 steps in 12345 seconds.", ("children are well",)),
    ],
)
def test_eponyms_trial_numbers_and_plain_words_stay(note, kept):
    scrubbed = scrub_note(note).scrubbed_note
    for fact in kept:
        assert fact in scrubbed, f"{fact!r} lost from {scrubbed!r}"


def test_dictated_streets_after_on_and_place_word_surnames():
    scrubbed = _gone(
        "pt at the clinic on mountain view road. dictating physician: dr. hyun-joo park, sleep.",
        "mountain view",
        "park",
    )
    assert scrubbed.startswith("pt at the clinic on [ADDRESS].")


def test_a_named_score_with_its_value_is_no_relative():
    note = "Discharged to mother, Aldrete 10, tolerating liquids. Stay on the road."
    assert scrub_note(note).scrubbed_note == note


def test_titles_that_are_nouns_and_particle_surnames():
    note = "From: Kayleen Osmond, RN (nurse triage). Cosigned by: Yusuf Al-Hakim, DO."
    scrubbed = _gone(note, "Osmond", "Yusuf", "Hakim")
    assert "(nurse triage)" in scrubbed


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ("here with her son bao who interprets for her", ("bao",)),
        ("her husband keoni was present throughout", ("keoni",)),
        ("patient walter henningsen, goes by butch. butch comes in today.", ("butch",)),
        ("dictated by ana lucia ferreira do nascimento md, obstetrics", ("nascimento", "lucia")),
        ("LAST NAME ........ OKONKWO      FIRST ........ CHIDINMA", ("OKONKWO", "CHIDINMA")),
        ('MIDDLE ........... ADAEZE       PREFERRED .... "Chi-Chi"', ("ADAEZE", "Chi-Chi")),
    ],
)
def test_dictated_relatives_aliases_and_name_part_labels(note, identifiers):
    _gone(note, *identifiers)


def test_dictated_abbreviations_units_and_credentials_stay():
    note = (
        "her son nstemi last year. his wife afib, stable. Last: seen today.\n"
        "| Creatinine | 1.88 | H | mg/dL | 0.70-1.30 |\ndictated by ana lucia md, obstetrics"
    )
    scrubbed = scrub_note(note).scrubbed_note
    for kept in ("nstemi last year", "afib, stable", "mg/dL | 0.70-1.30", "md, obstetrics"):
        assert kept in scrubbed, f"{kept!r} lost from {scrubbed!r}"


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ("this is mariam el-sayed, cardiology fellow, dictating", ("mariam", "sayed")),
        ("adjuster tamika rhodes at 210 555 0193", ("tamika", "rhodes")),
        ("1\tCastellano, Iris\t03/30/1964\tTRL-5528104", ("Castellano", "Iris", "03/30")),
        ("last four of social 3372, seen today", ("3372",)),
        ("dob 2 14 1954. admitted 11-3-25.", ("2 14",)),
        ("he turned ninety one this year", ("ninety one",)),
        ("Age: 92Y     Sex: F", ("92",)),
        ("next visit the 28th, same time", ("28th",)),
        ("apixaban\t5 mg PO BID\t3/3 21:00\tbottle", ("3/3",)),
        ("the agency out of burlington sends a nurse", ("burlington",)),
        ("drove her in from dearborn heights today", ("dearborn",)),
        ("home address 94-1025 kaiau place, waipahu, 96797.", ("kaiau", "waipahu", "96797")),
        ("home 2771 540th street sw, kalona, iowa 52247.", ("540th", "kalona")),
        ("Mail to: 6610 Avenue N, Houston, TX 77011", ("6610",)),
        ("he lives at 118 calle naranjo in pharr.", ("naranjo", "pharr")),
    ],
)
def test_dictated_openers_table_cells_spaced_dates_and_dictated_places(note, identifiers):
    _gone(note, *identifiers)


def test_scores_words_and_places_that_are_no_identifiers_stay():
    note = (
        "this is a follow up, nothing new. BIMS 11/15. out of bed. in bath. "
        "| Fever, Chills | Iris 44812 template? EF is ninety percent."
    )
    scrubbed = scrub_note(note).scrubbed_note
    for kept in ("this is a follow up", "11/15", "out of bed", "Fever, Chills", "Iris"):
        assert kept in scrubbed, f"{kept!r} lost from {scrubbed!r}"


def test_a_relatives_phone_and_a_dictated_street_before_its_town():
    scrubbed = _gone(
        "her son bao who interprets. best number is bao's cell. home at 540 w gardenia ave in lodi",
        "bao",
        "gardenia",
        "lodi",
    )
    assert "cell" in scrubbed


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ("sedation mac by gideon falkenrath crna.", ("gideon", "falkenrath")),
        ("home 6410 kenilworth ave, dearborn, mi 48126, phone", ("dearborn", "48126")),
        ("ADDRESS: 1148 GRAND BLVD APT 2, WAUKEGAN IL 60085", ("GRAND BLVD", "WAUKEGAN")),
        ("for resident eulalia fonoti-tuiasosopo, room 214b, today", ("eulalia", "tuiasosopo")),
        ("from her home at 91-1032 renton road, ewa beach 96706.", ("ewa beach", "96706")),
        ("Lab          | 06/03 | 07/01 | 08/05 | Target", ("08/05",)),
    ],
)
def test_crna_caps_streets_rooms_and_rows_of_dates(note, identifiers):
    _gone(note, *identifiers)


def test_codes_strengths_and_durations_in_capitals_stay():
    note = (
        "Dx: lumbar strain, initial encounter (S39.012A).\n| Strength | 5/5 | 4/5 | 5/5 |\n"
        "LOS 5 DAYS WAY TOO LONG."
    )
    assert scrub_note(note).scrubbed_note == note


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ("he no longer drives; Mr. Rosenthal's 2011 sedan is sold.", ("Rosenthal",)),
        ("Patient: XIONG, PA NHIA    DOB: 03/05/1962", ("XIONG", "NHIA")),
        ("Interpreter: Hmong, in person - Kou Thao (staff)", ("Kou", "Thao")),
        ("Employee: Boateng-Mills, Kwame A.    DOB 10/30/1990", ("Boateng", "Kwame")),
        ("gf Destiny is 20 wks pregnant.", ("Destiny",)),
        ("at my daughter's in Auburn for the baby shower", ("Auburn",)),
        ("a postoperative visit for harold mcpherson, he goes by hal", ("harold", "mcpherson")),
        ("pt twice a week with marcus oyelaran and is doing stairs", ("marcus", "oyelaran")),
    ],
)
def test_names_and_towns_in_more_plain_places(note, identifiers):
    _gone(note, *identifiers)


def test_classifications_languages_and_plain_phrases_stay():
    note = (
        "Duodenal ulcer, Forrest IIa (visible vessel). Interpreter: Hmong. Pain in Hope. "
        "In Summary, fine. with mild pain, for grace period, with will power, for bp check."
    )
    assert scrub_note(note).scrubbed_note == note


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ("03:25  Tsinajinnie, Rosalind / 3301920      INR 9.2", ("Tsinajinnie", "Rosalind")),
        ("report made to animal control, officer r. delacroix-banks.", ("delacroix",)),
        ("last name spelled a-n-z-a-l-d-u-a, medical record number", ("a-n-z-a-l-d-u-a",)),
        ("dog owner is ardith nakashima, 2207 linden st, phone", ("ardith", "nakashima")),
        ("new address 4410 westheimer rd apt 1207, houston 77027", ("westheimer", "77027")),
        ("Audiologist: Eun-ji Park, AuD, CCC-A", ("Eun-ji", "Park")),
        ("Address: 6150 E Calle Aurora, Tucson, AZ 85711", ("Calle Aurora", "6150")),
        ("auth A77193 for 12 visits through April", ("A77193",)),
        ("Family meeting (3/5, 45 min) with the sons.", ("3/5",)),
        ("03/03/2025\t2.1\t52.5 mg\t+5%\t03/10\tDV", ("03/10",)),
    ],
)
def test_fixed_width_cells_spelled_names_and_dictated_details(note, identifiers):
    _gone(note, *identifiers)


def test_eponymous_findings_and_plain_is_phrases_stay():
    note = "Hampton hump seen. Forrest III ulcer. pain is mild today. goal is will power."
    assert scrub_note(note).scrubbed_note == note


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        (
            "follow up visit for wilhelmina van der berg, goes by billie, dob",
            ("wilhelmina", "berg"),
        ),
        ("you can call me after 5. thanks, shawn", ("shawn",)),
        ("09/08 | 95 | 0 | neg\n09/09 | 95 | 0 | --\n09/10 | 100 | 0 | --", ("09/09", "09/10")),
        ("Admit date: 5/20/2025 (acute stay 5/14-5/20/2025)", ("5/14", "5/20")),
        ("home address 1418 s 38th st tacoma 98418.", ("38th", "tacoma", "98418")),
    ],
)
def test_particles_sign_offs_columns_of_dates_and_dictated_addresses(note, identifiers):
    _gone(note, *identifiers)


def test_thanks_to_a_group_and_a_column_of_strengths_stay():
    note = "thanks, everyone. thanks for coming.\nStrength\n5/5 | good\n4/5 | fair"
    assert scrub_note(note).scrubbed_note == note


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ("NAME (Last, First, Middle): AL-SAYED, KHALID MANSOUR     AKA: x", ("SAYED", "KHALID")),
        (
            "Ordering: Dr. Vikram Anand-Shah. Dr. Anand-Shah notified of grade 1 reaction.",
            ("Anand",),
        ),
        ("Address: 1745 Grand Concourse, Apt 6C, Bronx, NY 10453", ("1745", "Concourse")),
    ],
)
def test_bracketed_label_parts_sentences_after_names_and_concourses(note, identifiers):
    _gone(note, *identifiers)


def test_past_tenses_after_relations_and_eponymous_charts_stay():
    note = (
        "his wife liked the food. her son peed. his wife freed it. daily Amsler grid. "
        "EFW 345 g (52nd percentile, Hadlock). Hoehn and Yahr stage 2; Westley croup score 3."
    )
    assert scrub_note(note).scrubbed_note == note


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ("address on file 8807 flower ave apt 204, silver spring md 20901", ("silver", "20901")),
        ("adjuster, 800 555 0135 extension 4412.", ("4412",)),
        ("at the clinic closer to his home in pueblo", ("pueblo",)),
        ("he lives with bernadette at 418 quarry road in westerly, zip 02891", ("bernadette",)),
    ],
)
def test_towns_that_are_words_extensions_and_who_a_patient_lives_with(note, identifiers):
    _gone(note, *identifiers)


def test_what_a_patient_lives_in_or_with_that_is_no_place_or_person_stays():
    note = "he lives in fear. lives in bed. lives with family. lives with wife."
    assert scrub_note(note).scrubbed_note == note


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ("Patient\tBegay, Nizhoni R.\tDOB 06/19/2014", ("Begay", "Nizhoni")),
        ("Address\t36 County Rd 7150, Thoreau, NM 87323", ("7150", "Thoreau")),
        ("medical record number eight eight two zero four one one.", ("eight eight two",)),
        (
            "her daughter can be reached at five zero three five five five zero one four six",
            ("five zero",),
        ),
        ("Pharmacy is the one at 14th and Vine.", ("14th and Vine",)),
        ("HPI: 91 YOF found by a neighbor.", ("91",)),
        ("last dose the evening of the 7th per pill box", ("7th",)),
    ],
)
def test_tab_labels_dictated_digits_corners_and_days(note, identifiers):
    _gone(note, *identifiers)


def test_counts_in_words_and_named_flaps_stay():
    note = "one or two tabs, two to three times daily. wedge excision with Burow triangles."
    assert scrub_note(note).scrubbed_note == note


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ("REPORT TO CATH LAB RN D. BEGAYE.", ("BEGAYE",)),
        ("CREW: P. NAKAMURA-SILVA, PARAMEDIC / T. HALLORAN, EMT", ("NAKAMURA", "HALLORAN")),
        ("doxycycline 100 mg BID for 12 weeks (02/2025-05/2025), no response", ("02/", "05/")),
        ("pt: rahman, zayd ibrahim    dob 06/30/2024", ("rahman", "zayd", "ibrahim")),
    ],
)
def test_names_in_capitals_after_an_initial_month_spans_and_dictated_headers(note, identifiers):
    _gone(note, *identifiers)


def test_organisms_and_words_in_capitals_after_an_initial_stay():
    note = "PT C. DIFF POSITIVE. RN A. NOTIFIED. H. PYLORI POS. S. AUREUS. pt: smith, will call."
    scrubbed = scrub_note(note).scrubbed_note
    for kept in ("C. DIFF", "A. NOTIFIED", "H. PYLORI", "S. AUREUS", "will call"):
        assert kept in scrubbed, f"{kept!r} lost from {scrubbed!r}"


@pytest.mark.parametrize(
    ("note", "identifiers"),
    [
        ("Student-athlete: Keoni Kahananui-Brooks    DOB: 2012-08-30", ("Keoni", "Kahananui")),
        ("Malia Fonoti, APRN    Hawaii APRN license APRN-RX 1129", ("Fonoti", "1129")),
    ],
)
def test_athletes_and_licences_with_a_lettered_prefix(note, identifiers):
    _gone(note, *identifiers)


def test_implants_disability_indexes_and_state_licences_stay():
    note = "a 1/3 tubular plate (7-hole); Oswestry 44%; Hawaii APRN license on file."
    assert scrub_note(note).scrubbed_note == note
