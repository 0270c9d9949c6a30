"""Every Safe Harbor kind is found, with exact offsets into the original note."""

import pytest

from extraction.phi import Redaction, ScrubResult, scrub_note


def _covering(result: ScrubResult, note: str, text: str) -> Redaction:
    start = note.index(text)
    end = start + len(text)
    for redaction in result.redactions:
        if redaction.start <= start and end <= redaction.end:
            return redaction
    raise AssertionError(f"{text!r} is not covered by a redaction")


@pytest.mark.parametrize(
    ("note", "identifier", "kind"),
    [
        # names: titles, labels, relations, signatures, credentials, dictation
        ("Seen today by Dr. Okwuosa for follow-up.", "Okwuosa", "name"),
        ("Discussed with Dr. J. Vandermolen by phone.", "Vandermolen", "name"),
        ("PATIENT NAME: Thaddeus Brannigan\nAGE: 54", "Thaddeus Brannigan", "name"),
        (
            "Mrs. Ilse Marchetti-Dunmore returns with her knee pain.",
            "Ilse Marchetti-Dunmore",
            "name",
        ),
        ("Accompanied by her son Bartosz, who translates.", "Bartosz", "name"),
        (
            "Her niece, Graciela Fontanarrosa, is the health care proxy.",
            "Graciela Fontanarrosa",
            "name",
        ),
        ("Plan reviewed.\n\n— Priyanka Venkataraman, NP", "Priyanka Venkataraman", "name"),
        (
            "Electronically signed by Osvaldo T. Kerrigan, DO on file.",
            "Osvaldo T. Kerrigan",
            "name",
        ),
        ("pt seen with husband desmond achterberg in clinic", "desmond achterberg", "name"),
        (
            "this is dr fennimore dictating on patient lucinda haverbrook",
            "lucinda haverbrook",
            "name",
        ),
        ("follow up with dr. quarshie-abanga in two weeks", "quarshie-abanga", "name"),
        ("Interpreter: Anh Nguyen-Tran (Vietnamese)", "Anh Nguyen-Tran", "name"),
        ("Caregiver: grandniece Talulah", "Talulah", "name"),
        ("Discussed with Beatriz Oyelaran from case management.", "Beatriz Oyelaran", "name"),
        ("Emergency contact: Lindqvist, Maribel (sister)", "Maribel", "name"),
        ("Name: ADEYEMI, FOLASADE T    Sex: F", "FOLASADE", "name"),
        ("cc: Dr. Lee; Dr. Park", "Park", "name"),
        ("Care team: Dr. Ana Ruiz (cardiology)", "Ana Ruiz", "name"),
        ("Family: wife (Rosalba) and two sons.", "Rosalba", "name"),
        ("dictated for patient named walter przybylski referred by", "walter przybylski", "name"),
        # geography smaller than a state
        (
            "Lives at 4417 Juniper Hollow Rd Apt 9, Ellsworth, ME 04605.",
            "4417 Juniper Hollow Rd Apt 9",
            "address",
        ),
        ("Lives at 4417 Juniper Hollow Rd Apt 9, Ellsworth, ME 04605.", "Ellsworth", "address"),
        ("Lives at 4417 Juniper Hollow Rd Apt 9, Ellsworth, ME 04605.", "04605", "address"),
        ("Mailing: PO Box 118, Tok, AK 99780", "PO Box 118", "address"),
        ("She recently moved to Kalamazoo from out of state.", "Kalamazoo", "address"),
        ("Resident of Washtenaw County since 2010.", "Washtenaw County", "address"),
        ("he lives on elm street in dayton with his son", "elm street", "address"),
        ("he lives on elm street in dayton with his son", "dayton", "address"),
        # dates, every element but the year
        ("Admitted 7/19/2023 with chest pain.", "7/19", "date"),
        ("Biopsy on 22 Feb 2024 showed no malignancy.", "22 Feb", "date"),
        ("Return on Oct. 3rd for a recheck.", "Oct. 3rd", "date"),
        ("Collected 2023-12-30T08:15 per lab.", "12-30", "date"),
        ("Last colonoscopy 4/2019 was normal.", "4/", "date"),
        ("Started on the 12th, stopped since.", "12th", "date"),
        ("born on the third of june in a small town", "third of june", "date"),
        ("TRIAGE NOTE 12-Mar-2024 03:10", "12-Mar", "date"),
        ("Specimen dated 01JAN2024 per lab.", "01JAN", "date"),
        ("Panic attacks since Thanksgiving, worse at Christmas.", "Thanksgiving", "date"),
        ("Seen on Tuesday 3/5 at urgent care.", "3/5", "date"),
        ("date of birth january ninth nineteen forty two", "january ninth", "date"),
        # contact numbers
        ("Call her cell (617) 555-0199 after 5 pm.", "(617) 555-0199", "phone"),
        ("Reachable abroad at +44 20 7946 0958.", "+44 20 7946 0958", "phone"),
        ("Send records to fax: 212.555.0147 attn HIM.", "212.555.0147", "fax"),
        ("Contact: orla.finnegan88@mailbox.example", "orla.finnegan88@mailbox.example", "email"),
        ("Questions: nurseline@riverside-clinic.org.", "nurseline@riverside-clinic.org", "email"),
        # numbers that identify
        ("SSN 219-09-9999 on file.", "219-09-9999", "ssn"),
        ("Last four of SSN: ***-**-6612.", "***-**-6612", "ssn"),
        ("SSN last 4: 8830 verified.", "8830", "ssn"),
        ("MRN: A0047719 (Epic).", "A0047719", "mrn"),
        ("Chart # 5517-0093 reviewed.", "5517-0093", "mrn"),
        ("BCBS subscriber ID XQP4481920033, group no. 77120", "XQP4481920033", "health_plan_id"),
        ("BCBS subscriber ID XQP4481920033, group no. 77120", "77120", "health_plan_id"),
        ("Billing account number 000-551-2290.", "000-551-2290", "account"),
        ("Prescriber DEA AK4417720, NPI 1093847562.", "AK4417720", "license"),
        ("Prescriber DEA AK4417720, NPI 1093847562.", "1093847562", "license"),
        ("Passport no. 55120934 used as ID.", "55120934", "license"),
        ("RN Lic # RN-44817 verified.", "RN-44817", "license"),
        ("Drove a sedan, license plate 7KLM-219, to the visit.", "7KLM-219", "vehicle"),
        ("Vehicle VIN 1HGCM82633A004352 noted by police.", "1HGCM82633A004352", "vehicle"),
        ("Insulin pump serial number PX-8830-1192 replaced.", "PX-8830-1192", "device"),
        ("Glucose monitor MAC 3C:22:FB:10:9A:7E paired.", "3C:22:FB:10:9A:7E", "device"),
        (
            "Images at https://imaging.example.net/study/88213?view=1 today.",
            "https://imaging.example.net/study/88213?view=1",
            "url",
        ),
        (
            "Telehealth from 192.168.14.201 and 2001:db8:85a3::8a2e:370:7334.",
            "192.168.14.201",
            "ip",
        ),
        (
            "Telehealth from 192.168.14.201 and 2001:db8:85a3::8a2e:370:7334.",
            "2001:db8:85a3::8a2e:370:7334",
            "ip",
        ),
        ("Retinal scan ID RS-55091 captured at kiosk.", "RS-55091", "biometric"),
        (
            "Wound photo stored as ulcer_left_heel_0412.jpeg in chart.",
            "ulcer_left_heel_0412.jpeg",
            "photo",
        ),
        ("Study participant ID ONC-2291-B enrolled.", "ONC-2291-B", "other_id"),
        ("Prior authorization # PA8812093 approved.", "PA8812093", "other_id"),
        # rules found by our own cases (phi_cases/): particles, word names, bare towns...
        ("Mrs. van der Hoeven is resting.", "van der Hoeven", "name"),
        ("Dear Dr. de la Torre,", "de la Torre", "name"),
        ("Contact: daughter Mercy Quillfeather (cell)", "Mercy Quillfeather", "name"),
        ("Caller: Bill Vantassel-Oyo, husband.", "Bill Vantassel-Oyo", "name"),
        ('Client (goes by "Ziggy") arrived late.', "Ziggy", "name"),
        ("Wristband: TRUONG, MINH ANH  58F", "TRUONG, MINH ANH", "name"),
        ("Her husband\nLeopold says she fell.", "Leopold", "name"),
        ("dictation for baby girl of adaeze nwankwo at two days", "adaeze nwankwo", "name"),
        ("Twins were delivered in Rotterdam at term.", "Rotterdam", "address"),
        ("Home health to 12 Elm St Apt 2, Kenosha.", "Kenosha", "address"),
        ("Home: Rural Route 2, Box 118, near the river.", "Rural Route 2, Box 118", "address"),
        ("she lives at 42 juniper court in bemidji alone", "bemidji", "address"),
        ("Moved her April appointment.", "April", "date"),
        ("date of service 3/5. Seen for knee pain.", "3/5", "date"),
        ("UK mobile 0044 7700 900461 while abroad.", "0044 7700 900461", "phone"),
        ("Landline 0161 555 0183 (UK).", "0161 555 0183", "phone"),
        ("Portal username kquill58 reset.", "kquill58", "other_id"),
        ("Paid by the debit card ending in 9921.", "9921", "account"),
        ("Company truck plate CV 55821 parked.", "CV 55821", "vehicle"),
        # ages over 89
        ("she is 94 and wants to go home", "94", "age_over_89"),
        ("Born 1922. Seen 9/14/2024 for falls.", "1922", "age_over_89"),
        ("A 93-year-old woman with hip pain.", "93", "age_over_89"),
        ("Age: 101", "101", "age_over_89"),
        ("CC: (93F) with cough, T 99F.", "93", "age_over_89"),
    ],
)
def test_each_kind_is_found_with_exact_offsets(note, identifier, kind):
    result = scrub_note(note)

    redaction = _covering(result, note, identifier)

    assert redaction.kind == kind
    assert note[redaction.start : redaction.end].strip() == note[redaction.start : redaction.end]
    assert identifier not in result.scrubbed_note or len(identifier) < 3


def test_unlabelled_long_number_is_removed():
    note = "Follow-up for record 448192007, no changes."

    result = scrub_note(note)

    assert "448192007" not in result.scrubbed_note


def test_birth_year_of_someone_over_89_is_removed():
    note = "DOB: 11/02/1929. Seen 03/05/2025 for falls. Born in 1929 in a farmhouse."

    result = scrub_note(note)

    assert "1929" not in result.scrubbed_note
    assert {r.kind for r in result.redactions} >= {"date", "age_over_89"}


def test_every_redaction_points_at_text_of_the_original_note():
    note = (
        "Patient: Marguerite Oyelowo  DOB 02/17/1971  MRN 00917734\n"
        "Home 88 Tamarack Ct, Fairbanks, AK 99709  Ph 907-555-0112\n"
        "Daughter Roxanne Oyelowo at roxanne.o@example.org.\n"
    )

    result = scrub_note(note)

    assert result.redactions == sorted(result.redactions, key=lambda r: r.start)
    for redaction in result.redactions:
        removed = note[redaction.start : redaction.end]
        assert removed
        assert removed == removed.strip()
    for previous, following in zip(result.redactions, result.redactions[1:], strict=False):
        assert previous.end <= following.start
