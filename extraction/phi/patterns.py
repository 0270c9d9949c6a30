"""Identifiers that have a shape: e-mail, URL, IP, SSN, phone and fax, labelled record numbers,
photo files, and long unlabelled numbers.

Every pattern is compiled once, anchored on something cheap (a literal, a digit, a label), and
written with possessive quantifiers or bounded repeats, so a scan stays linear in the note's
length even on 50,000 characters of digits or punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extraction.phi.redaction import Candidate

EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}+@(?:[A-Za-z0-9-]{1,63}+\.){1,8}+[A-Za-z]{2,24}+"
)
URL = re.compile(
    r"(?i)(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'`]{1,2000}+"
    r"|\b(?:[a-z0-9-]{1,63}+\.){1,8}(?:com|org|net|edu|gov|io|us|info|health|care|me)"
    r"(?:/[^\s<>\"'`]{0,2000}+|(?![\w@-]|\.\w))"
)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4 = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\w]|\.\d)")
IPV6 = re.compile(
    r"(?i)(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])"
    r"|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4}(?![\w:])"
)
MAC = re.compile(r"(?i)(?<![\w:-])[0-9a-f]{2}(?:([:-])[0-9a-f]{2})(?:\1[0-9a-f]{2}){4}(?![\w:-])")
SSN = re.compile(
    r"(?<![\w-])(?:\d{3}|[xX*#]{3})([- .])(?:\d{2}|[xX*#]{2})\1\d{4}(?![\w-]|\.\d)"
)
# North American numbers with separators, optional +1 and extension; international with "+".
PHONE = re.compile(
    r"(?<![\w+/.-])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .-])\d{3}[ .-]\d{4}"
    r"(?:[ ]?(?:ext\.?|x|#)[ ]?\d{1,5})?(?![\w-]|\.\d)"
    r"|(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}+(?![\w-])"
)
PHOTO_FILE = re.compile(
    r"(?i)(?<![\w.-])(?:[\w-]{1,200}+\.){1,6}?(?:jpe?g|png|gif|bmp|tiff?|heic|webp|dcm|raw)(?!\w)"
)

# A record number: must hold digits; letters, dashes, dots and slashes may join its parts.
_VALUE = r"(?=[A-Za-z0-9./-]{0,40}\d)[A-Za-z0-9](?:[A-Za-z0-9]|[-./](?=[A-Za-z0-9])){0,39}+"
_PLATE = r"[A-Za-z0-9]{1,4}[ -][A-Za-z0-9]{1,4}(?![\w-])|[A-Za-z0-9]{2,8}+"
_NUM = r"(?:\s*(?:number|num|nbr|no\.?|#|ID))?"

# Label phrases, by the Safe Harbor kind their number belongs to.
LABELS: dict[str, str] = {
    "ssn": r"SSN|SS\s?#|SS\s?No|social\s+security(?:\s+(?:number|no|#))?|last\s+(?:4|four)\s+of\s+(?:the\s+)?SSN",
    "mrn": r"MRN|MR\s?#|MR\s?No|MR|medical\s+record" + _NUM + r"|med\s+rec(?:ord)?" + _NUM
    + r"|(?:record|chart|hospital|unit)\s+(?:number|no|#)|(?:patient|pt)\s+ID|EMR|EHR|MPI",
    "health_plan_id": r"member" + _NUM + r"|subscriber" + _NUM + r"|policy(?:holder)?" + _NUM
    + r"|group" + _NUM + r"|grp|plan\s+(?:ID|#|number)|insurance" + _NUM + r"|medicaid" + _NUM
    + r"|medicare" + _NUM + r"|MBI|HICN?|cardholder" + _NUM + r"|beneficiary" + _NUM
    + r"|(?:Rx)?BIN|(?:Rx)?PCN|RxGrp|payer\s+ID|coverage\s+ID|eligibility\s+ID",
    "account": r"account" + _NUM + r"|acct\.?" + _NUM + r"|billing" + _NUM + r"|invoice" + _NUM
    + r"|encounter" + _NUM + r"|visit\s+(?:number|no|#|ID)|FIN|CSN|HAR",
    "license": r"(?:driver'?s?\s+)?licen[cs]e" + _NUM + r"|DL|DEA" + _NUM + r"|NPI|UPIN"
    + r"|certificate" + _NUM + r"|cert\s*#|permit" + _NUM + r"|passport" + _NUM,
    "vehicle": r"VIN|vehicle\s+identification\s+number",
    "device": r"serial" + _NUM + r"|S/N|SN|device\s+(?:ID|#|number|serial)|UDI|lot" + _NUM
    + r"|model\s+(?:number|no|#)|IMEI|(?:implant|pacemaker|transmitter|pump|monitor)\s+ID",
    "biometric": r"biometric(?:\s+(?:template|ID|identifier|record|#))?"
    + r"|(?:fingerprint|voiceprint|retina|retinal|iris|palm\s?print|face\s?print)"
    + r"(?:\s+(?:scan|template))?(?:\s+(?:ID|#|number))?",
    "photo": r"photo(?:graph)?\s+(?:ID|#|number|no)|image\s+(?:ID|#|number)",
    "other_id": r"job" + _NUM + r"|claim" + _NUM + r"|Rx\s*(?:number|no|#)|prescription\s+(?:number|no|#)"
    + r"|(?:subject|participant|study|enrollment|specimen|sample|order|transaction|inmate"
    + r"|employee|student|military|requisition|tracking|authorization|confirmation|reference"
    + r"|ticket|case|report|accession)\s*(?:ID|#|number|no\.?)|barcode|badge" + _NUM
    + r"|tax\s+ID|EIN|TIN|ref\s*#|auth\s*#|PA\s*#|prior\s+auth(?:orization)?" + _NUM
    + r"|wristband|armband|ID\s*(?:number|no|#)|ID",
}
_SEP = r"[ \t]*(?:[:#=][ \t]*)?(?:[:#][ \t]*)?\(?"
LABELLED_ID = re.compile(
    "|".join(
        rf"(?<![\w-])(?:{pattern})(?:(?<=[#.])|(?![\w-])){_SEP}(?P<{kind}>{_VALUE})"
        for kind, pattern in LABELS.items()
    ),
    re.IGNORECASE,
)
PLATE = re.compile(
    rf"(?i)(?<![\w-])(?:licen[cs]e\s+)?(?:plate|tag)(?:\s+(?:number|no|#))?{_SEP}(?P<plate>{_PLATE})"
)
PHONE_LABEL = re.compile(
    r"(?i)(?<![\w-])(?:phone|ph|tel|telephone|cell|mobile|pager|fax|facsimile|home|work|"
    r"callback|call|reached\s+at|contact)(?:\s+(?:number|no|#))?[ \t]*[:#]?[ \t]*"
    r"(?P<number>\d{3}[ .-]\d{4}(?![\w-])|\d{10}(?!\w))"
)
# Unlabelled numbers long enough to identify someone (6+ digits, or letters with 5+ digits).
LONG_NUMBER = re.compile(r"(?<![\w.,/-])(?=[A-Za-z0-9-]{0,40}\d)[A-Za-z0-9]{1,40}+(?:-[A-Za-z0-9]{1,40}+){0,6}+(?![\w/-]|[.,]\d)")
VIN = re.compile(r"(?<![\w-])(?=[A-HJ-NPR-Z0-9]{0,16}[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}(?![\w-])")
_CODE_SHAPES = re.compile(
    r"[A-Z]\d{2}(?:\.?[0-9A-Z]{1,4})?|[A-Z]\d{4}|\d{4}[FTU]|\d{5}|[A-Z]{1,3}-?\d{1,3}"
)
_UNIT_AFTER = re.compile(
    r"\s*(?:mg|mcg|µg|ug|g|kg|lbs?|ml|mL|l|L|units?|iu|IU|meq|mEq|mmol|copies|cells|"
    r"%|/u[lL]|/mm3|k/u[lL]|ng|pg|mm|cm|in|steps|kcal|cal)\b"
)
_FAX_WORD = re.compile(r"(?i)\bfax(?:ed)?\b|\bfacsimile\b")
_PHONE_WORD = re.compile(
    r"(?i)\b(?:phone|ph|tel|telephone|cell|mobile|pager|home|work|office|call|callback|"
    r"reached|contact|text)\b"
)
_GENERIC_KIND_HINTS = (
    (re.compile(r"(?i)medicaid|medicare|member|insurance|plan|payer|coverage|subscriber"), "health_plan_id"),
    (re.compile(r"(?i)licen[cs]e|DEA|NPI"), "license"),
    (re.compile(r"(?i)account|acct|billing"), "account"),
    (re.compile(r"(?i)medical record|\bMRN?\b|chart"), "mrn"),
    (re.compile(r"(?i)serial|device|implant"), "device"),
)


def _phone_kind(note: str, start: int) -> str:
    """``fax`` when the nearest number label before it on the same line says fax."""
    line_start = note.rfind("\n", max(0, start - 60), start) + 1
    window = note[max(line_start, start - 60) : start]
    fax = [m.end() for m in _FAX_WORD.finditer(window)]
    phone = [m.end() for m in _PHONE_WORD.finditer(window)]
    if fax and (not phone or fax[-1] > phone[-1]):
        return "fax"
    return "phone"


def _generic_kind(note: str, start: int) -> str:
    """Kind of a number under a bare "ID"/"#" label, from the words just before it."""
    line_start = note.rfind("\n", max(0, start - 50), start) + 1
    window = note[max(line_start, start - 50) : start]
    for hint, kind in _GENERIC_KIND_HINTS:
        if hint.search(window):
            return kind
    return "other_id"


def _is_measurement(note: str, end: int) -> bool:
    return _UNIT_AFTER.match(note, end, min(len(note), end + 12)) is not None


def find_identifiers(note: str) -> Iterator[Candidate]:
    """Every shaped identifier in ``note``, as candidates (overlaps are settled later)."""
    if "@" in note:
        for match in EMAIL.finditer(note):
            yield Candidate("email", match.start(), match.end(), 90)
    for match in URL.finditer(note):
        end = match.end()
        while end > match.start() and note[end - 1] in ".,;:!?)]}'\"":
            end -= 1
        yield Candidate("url", match.start(), end, 85)
    for match in PHOTO_FILE.finditer(note):
        yield Candidate("photo", match.start(), match.end(), 86)
    if "." in note:
        for match in IPV4.finditer(note):
            yield Candidate("ip", match.start(), match.end(), 80)
    if ":" in note:
        for match in IPV6.finditer(note):
            yield Candidate("ip", match.start(), match.end(), 80)
        for match in MAC.finditer(note):
            yield Candidate("device", match.start(), match.end(), 80)
    for match in SSN.finditer(note):
        yield Candidate("ssn", match.start(), match.end(), 75)
    for match in PHONE.finditer(note):
        digits = sum(ch.isdigit() for ch in match.group())
        if 7 <= digits <= 15:
            yield Candidate(_phone_kind(note, match.start()), match.start(), match.end(), 60)
    for match in PHONE_LABEL.finditer(note):
        start, end = match.span("number")
        yield Candidate(_phone_kind(note, start), start, end, 60)
    yield from _labelled_ids(note)
    for match in VIN.finditer(note):
        yield Candidate("vehicle", match.start(), match.end(), 65)
    for match in LONG_NUMBER.finditer(note):
        text = match.group()
        digits = sum(ch.isdigit() for ch in text)
        has_letters = not text.replace("-", "").isdigit()
        if digits < 5 or (digits < 6 and not has_letters) or _CODE_SHAPES.fullmatch(text):
            continue
        if not has_letters and _is_measurement(note, match.end()):
            continue
        yield Candidate("other_id", match.start(), match.end(), 20)


def _labelled_ids(note: str) -> Iterator[Candidate]:
    for match in LABELLED_ID.finditer(note):
        kind = match.lastgroup or "other_id"
        start, end = match.span(kind)
        value = match.group(kind)
        digits = sum(ch.isdigit() for ch in value)
        if digits < 3 or len(value) < 4:
            continue
        if value.isdigit() and _is_measurement(note, end):
            continue
        if kind == "other_id" and match.group().lower().startswith("id"):
            kind = _generic_kind(note, match.start())
        yield Candidate(kind, start, end, 70)
    for match in PLATE.finditer(note):
        value = match.group("plate")
        if any(ch.isdigit() for ch in value) and len(value) >= 4:
            start, end = match.span("plate")
            yield Candidate("vehicle", start, end, 70)
