"""Placeholders keep the note readable: one number per person, dates keep their year."""

import re

from extraction.phi import scrub_note
from extraction.phi.redaction import KINDS
from extraction.phi.scrubber import PLACEHOLDERS


def test_every_safe_harbor_kind_has_a_placeholder():
    assert set(PLACEHOLDERS) == set(KINDS)
    assert len(KINDS) == 19  # the 18 Safe Harbor identifiers, ages over 89 on their own


def test_same_person_gets_the_same_number_everywhere():
    note = (
        "Patient: Cordelia Vanterpool\n"
        "Husband: Ignatius Vanterpool\n"
        "Mrs. Vanterpool reports dizziness. Cordelia denies falls.\n"
        "Dr. Halvorsen-Mbeki will see her; Halvorsen-Mbeki agrees with the plan.\n"
    )

    scrubbed = scrub_note(note).scrubbed_note

    lines = scrubbed.splitlines()
    assert lines[0] == "Patient: [NAME_1]"
    assert lines[1] == "Husband: [NAME_2]"
    assert lines[2] == "Mrs. [NAME_1] reports dizziness. [NAME_1] denies falls."
    assert lines[3] == "Dr. [NAME_3] will see her; [NAME_3] agrees with the plan."


def test_dates_keep_their_year_and_nothing_else():
    note = "DOB 03/14/1962. Seen Sept 6, 2024 and on 2024-09-02; recheck 9/11; LMP 14 Mar 2025."

    scrubbed = scrub_note(note).scrubbed_note

    assert scrubbed == (
        "DOB [DATE]/1962. Seen [DATE], 2024 and on 2024-[DATE]; recheck [DATE]; LMP [DATE] 2025."
    )


def test_ages_over_89_become_90_plus_and_younger_ages_stay():
    note = "A 94 y/o man; his wife is 89 years old; their son, age 62. Age: 90."

    scrubbed = scrub_note(note).scrubbed_note

    assert scrubbed == "A [90+] y/o man; his wife is 89 years old; their son, age 62. Age: [90+]."


def test_other_kinds_have_readable_placeholders():
    note = "Call 503-555-0134, fax 503-555-0190, mail a.b@example.com, SSN 123-45-6789."

    scrubbed = scrub_note(note).scrubbed_note

    assert scrubbed == "Call [PHONE], fax [FAX], mail [EMAIL], SSN [SSN]."


def test_scrubbed_note_is_the_original_with_each_redaction_replaced():
    note = (
        "Pt: Leopold Ashdown-Fairweather  MRN 7730021  DOB 1/2/1950\n"
        "Lives at 12 Wren St, Bangor, ME 04401. Cell 207-555-0177.\n"
        "Leopold is accompanied by his daughter Perpetua.\n"
    )

    result = scrub_note(note)

    rebuilt = note
    for redaction in sorted(result.redactions, key=lambda r: r.start, reverse=True):
        rebuilt = rebuilt[: redaction.start] + "\x00" + rebuilt[redaction.end :]
    pattern = re.escape(rebuilt).replace("\\x00", ".+?").replace("\x00", ".+?")
    assert re.fullmatch(pattern, result.scrubbed_note, re.DOTALL)
    assert "Leopold" not in result.scrubbed_note
    assert "Perpetua" not in result.scrubbed_note
