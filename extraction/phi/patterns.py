"""Identifiers that have a shape: e-mail, URL, IP, SSN, phone and fax, labelled record numbers,
photo files, dotted study UIDs, and long unlabelled numbers.

Every pattern is compiled once, starts with a literal or a character set (see ``text.py``),
and uses possessive or bounded repeats, so a scan stays linear in the note's length even on
50,000 characters of digits or punctuation.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from extraction.phi.redaction import Candidate
from extraction.phi.text import NoteText, boundary_before, digit_count, matches_from, words

# An e-mail address is found from its "@": the user part is read backwards, the domain forwards.
EMAIL_USER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}$")
EMAIL_DOMAIN = re.compile(r"@(?:[A-Za-z0-9-]{1,63}+\.){1,8}[A-Za-z]{2,24}+")
URL_START = re.compile(r"(?:https?|ftp)://|www\.")
_URL_WORDS = frozenset(words("http https ftp www"))
URL_BODY = re.compile(r"[^\s<>\"'`]{1,2000}+")
# A bare domain is found from its top-level domain, then read backwards.
TLD = re.compile(r"\.(?:com|org|net|edu|gov|io|us|info|health|care|me)(?![a-z0-9-])")
_DOMAIN_CHARACTERS = frozenset(string.ascii_lowercase + string.digits + ".-")
DOMAIN_BEFORE = re.compile(r"(?:[a-z0-9-]{1,63}\.){0,7}[a-z0-9-]{1,63}$")
IPV4 = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\w]|\.\d)")
IPV6 = re.compile(
    r"[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){7}(?![\w:])"
    r"|[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5}::(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4}(?![\w:])"
)
IPV6_HINT = re.compile(r":[0-9a-fA-F]{1,4}:|::")
_HEX_OR_COLON = frozenset("0123456789abcdef:")
MAC = re.compile(r"[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}(?![\w:-])")
MAC_HINT = re.compile(r":[0-9a-fA-F]{2}:")
SSN = re.compile(
    r"\d(?<![\w-]\d)\d\d(?:([- .])\d\d\1| - \d\d - )\d{4}(?![\w-]|\.\d)"
)  # "412-68-9037", "412 68 9037", and "412 - 68 - 9037" as PDF text extraction spaces it
MASKED_SSN = re.compile(r"[xX*#]{3}([- .])(?:\d{2}|[xX*#]{2})\1\d{4}(?![\w-]|\.\d)")
# North American numbers with separators (a "1"/"+1" before them is added in code; "773/555-0148"
# too) and an optional extension; international numbers start with "+".
PHONE = re.compile(
    r"(?:\d(?<![\w+/.]\d)\d\d(?:[ .-]|/(?=\d{3}[.-]))|\((?<![\w]\()\d{3}\)[ ]?)\d{3}[ .-]\d{4}"
    r"(?:[ ]?(?:ext\.?|extension|x|#)[ ]?\d{1,5})?(?![\w-]|\.\d)"
)
INTERNATIONAL_PHONE = re.compile(r"\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}+(?![\w-])")
# Numbers dialled from outside North America: "0044 7700 900461" (the "00" exit code), and
# national numbers with a trunk "0": "0161 555 0183", "020 7946 0958", "0803 555 0176", and
# mobiles written in two groups: "07700 900461".
TRUNK_PHONE = re.compile(
    r"0(?<![\w+.,/:-]0)(?:0[1-9]\d{0,2}[ .-]?\d{1,5}(?:[ .-]\d{2,6}){1,4}+"
    r"|\(?[1-9]\d{1,3}\)?[ .-]\d{3,4}[ .-]\d{3,4}|[1-9]\d{3}[ .-]?\d{6})(?![\w-]|[.,]\d)"
)
# Latitude and longitude ("29.9961, -90.0574"): a location finer than a state. Four decimals
# at least, which lab values and ratios do not carry.
GPS = re.compile(
    r"\d{1,2}\.\d{4,7}°?[ \t]*[NS]?,[ \t]*-?\d{1,3}\.\d{4,7}°?(?:[ \t]*[EW])?(?![\w.])"
)
# Dotted object identifiers (DICOM study and instance UIDs: "1.2.840.113619.2.55.3"): five or
# more numeric parts, where an IPv4 address has four and a version number three.
DOTTED_UID = re.compile(r"\d{1,10}(?:\.\d{1,30}){4,}+(?!\w|\.\d)")
_COUNTRY_ONE = re.compile(r"(?:\+1|(?<![\w+.-])1)[ .-]?$")
# "#" and four digits or more: an identifier (tooth numbers and list items have one or two).
HASH_NUMBER = re.compile(r"#[ \t]?(\d{4,}+)(?![\w.,]\d|[\w/])")
PHOTO_EXTENSION = re.compile(r"\.(?:jpe?g|png|gif|bmp|tiff?|heic|webp|dcm|raw)(?![\w])")
FILE_NAME_BEFORE = re.compile(r"[\w.-]{1,200}$")

# A record number: must hold digits; letters, dashes, dots and slashes may join its parts.
_VALUE = r"(?=[a-z0-9./-]{0,40}\d)[a-z0-9](?:[a-z0-9]|[-./](?=[a-z0-9])){0,39}+"
_NUM = r"(?:\s*(?:number|num|nbr|no\.?|#|id))?"
# Letters set apart before the number: "Member ID: ESH 8820 4417 39", "APRN-RX 1129".
_PREFIX = r"(?:[a-z]{1,4}(?:-[a-z]{1,4})?[ ](?=\d))?"
# A number read out in groups after its label: "meeting ID 921 4470 3318".
_SPACED_GROUPS = (
    r"(?:[ ]\d{2,6}(?![\w/%:-]|[.,]\d|[ \t]*(?:mg|mcg|ml|g|tabs?|tablets?|caps?|units?|"
    r"y|yo|yrs?|years?|days?|weeks?|months?|lbs?|kg)\b))*+"
)

# Label phrases (lower case) by the Safe Harbor kind their number belongs to.
LABELS: dict[str, str] = {
    "ssn": r"ssn(?:\s+last\s+(?:4|four)(?:\s+digits)?)?|ss\s?#|ss\s?no|social\s+security"
    + _NUM
    + r"|last\s+(?:4|four)\s+(?:digits\s+)?of\s+(?:the\s+|his\s+|her\s+)?"
    + r"(?:ssn|social(?:\s+security)?)",
    "mrn": r"mrn|mr\s?#|mr\s?no|mr|medical\s+record"
    + _NUM
    + r"|med\s+rec(?:ord)?"
    + _NUM
    + r"|(?:record|chart|hospital|unit)\s+(?:number|no|#)|chart|(?:patient|pt)\s?id|emr|ehr|mpi",
    "health_plan_id": r"member"
    + _NUM
    + r"|subscriber"
    + _NUM
    + r"|policy(?:holder)?"
    + _NUM
    + r"|group"
    + _NUM
    + r"|grp|plan\s+(?:id|#|number)|insurance"
    + _NUM
    + r"|medicaid"
    + _NUM
    + r"|medicare"
    + _NUM
    + r"|mbi|hicn?|cardholder"
    + _NUM
    + r"|beneficiary"
    + _NUM
    + r"|(?:rx)?bin|(?:rx)?pcn|rxgrp|payer\s+id|coverage\s+id|eligibility\s+id",
    "account": r"account"
    + _NUM
    + r"|acct\.?"
    + _NUM
    + r"|billing"
    + _NUM
    + r"|invoice"
    + _NUM
    + r"|encounter"
    + _NUM
    + r"|visit\s+(?:number|no|#|id)|fin|csn|har"
    + r"|(?:card|account|acct)\s+ending(?:\s+in)?|(?:card|account|acct)\s+(?:no\.?\s+)?x+",
    "license": r"(?:driver'?s?\s+)?licen[cs]e"
    + _NUM
    + r"|lic\.?\s*#|lic\.?[ \t]+[a-z]{2,6}(?=[ \t]+\d)|lic\.|dl|dea"
    + _NUM
    + r"|npi|upin"
    + r"|certificate"
    + _NUM
    + r"|(?:state\s+)?id(?:entification)?\s+card(?:\s*(?:number|no\.?|#))?|cdl"
    + r"|cert(?:ificate|ification)?(?:\s*(?:number|no\.?|#))?|permit"
    + _NUM
    + r"|passport"
    + _NUM,
    "vehicle": r"vin|vehicle\s+identification\s+number|fleet\s+(?:unit|number|no\.?|#)",
    "device": r"serial"
    + _NUM
    + r"|s/n|sn|device\s+(?:id|#|number|serial)|udi|lot"
    + _NUM
    + r"|model\s+(?:number|no|#)|imei|(?:implant|pacemaker|transmitter|pump|monitor)\s+id",
    "biometric": r"biometric(?:\s+(?:template|id|identifier|record|#))?"
    + r"|(?:fingerprint|voiceprint|palm\s?print|face\s?print)"
    + r"(?:\s+(?:scan|template))?(?:\s+(?:id|#|number|ref(?:erence)?))?"
    + r"|(?:retina|retinal|iris)\s+(?:scan|template)(?:\s+(?:id|#|number|ref(?:erence)?))?",
    "photo": r"photo(?:graph)?\s+(?:id|#|number|no)|image\s+(?:id|#|number)",
    "other_id": r"job"
    + _NUM
    + r"|claim"
    + _NUM
    + r"|rx\s*(?:number|no|#)"
    + r"|prescription\s+(?:number|no|#)"
    + r"|(?:subject|participant|study|enrollment|screening|specimen|sample|order|transaction|inmate"
    + r"|employee|student|military|requisition|tracking|authorization|confirmation|reference"
    + r"|ticket|case|report|accession)\s*(?:id|#|number|no\.?)|barcode|badge"
    + _NUM
    + r"|tax\s+id|ein|tin|ref\s*#|auth(?:orization)?(?:\s*(?:number|no\.?|#|code))?|pa\s*#"
    + r"|prior\s+auth(?:orization)?"
    + _NUM
    + r"|wristband|armband|air\s?bill|waybill|id\s*(?:number|no|#)|id"
    + r"|(?:access|activation|verification|invitation|invite|enrollment)\s+code",
    # A portal or app account name: any digit makes it a handle, not a word ("jdoe58").
    "username": r"user\s?name|user\s+id|login|(?:portal|app|account)\s+user",
}
# The words a label can begin with: the label pattern is tried only where one of them starts,
# which keeps the scan fast (see text.py). Keep in step with LABELS.
LABEL_FIRST_WORDS = frozenset(
    words(
        """
    ssn ss social last mrn mr medical med record chart hospital unit patient pt emr ehr mpi
    patientid ptid
    member subscriber policy policyholder group grp plan insurance medicaid medicare mbi hic
    hicn cardholder beneficiary bin rxbin pcn rxpcn rxgrp payer coverage eligibility account
    acct billing invoice encounter visit fin csn har driver drivers license licence lic dl dea npi
    upin certificate cert permit passport vin vehicle serial s sn device udi lot model imei
    implant pacemaker transmitter pump monitor biometric fingerprint voiceprint retina retinal
    iris palm palmprint face faceprint photo photograph image job claim rx prescription
    subject participant study enrollment specimen sample order transaction inmate employee
    student military requisition tracking authorization confirmation reference ticket case
    report accession barcode badge tax ein tin ref auth pa prior wristband armband id plate tag
    screening air airbill waybill fleet state identification cdl
    username user login card access activation verification invitation invite portal app
    """
    )
)
# Between a label and its value: a colon, "#" or "=", a table's pipe, a form's dot leader.
_SEP = r"[ \t]*(?:(?:[:#=|]|\.{3,})[ \t]*)?(?:[:#][ \t]*)?\(?"
LABELLED_ID = re.compile(
    "|".join(
        rf"(?:{pattern})(?:(?<=[#.])|(?![\w-])){_SEP}(?P<{kind}>{_PREFIX}{_VALUE}{_SPACED_GROUPS})"
        for kind, pattern in LABELS.items()
    )
)
PLATE = re.compile(
    r"(?:licen[cs]e\s+)?(?:plate|tag)(?![a-z])(?:\s+(?:number|no|#))?"
    + _SEP
    + r"(?P<plate>[a-z0-9]{1,4}[ -][a-z0-9]{1,5}(?![\w-])|[a-z0-9]{2,8}+(?![\w-]))"
)
_PHONE_LABEL_WORDS = frozenset(
    words("phone ph tel telephone cell mobile pager fax facsimile home work callback call")
    + words("reached contact")
)
PHONE_LABEL = re.compile(
    r"(?:phone|ph|tel|telephone|cell|mobile|pager|fax|facsimile|home|work|callback|call|"
    r"reached\s+at|contact)(?:\s+(?:number|no|#))?[ \t]*[:#]?[ \t]*"
    r"(?P<number>\d{3}[ .-]\d{4}(?![\w-])|\d{10}(?!\w))"
)
# Unlabelled numbers long enough to identify someone (6+ digits, or letters with 5+ digits).
# (Five characters at least: shorter ones are never kept, so they are not even matched.)
LONG_NUMBER = re.compile(
    r"(?<![\w.,/-])(?=[A-Za-z0-9-]{5})(?=[A-Za-z0-9-]{0,40}\d)[A-Za-z0-9]{1,40}+"
    r"(?:-[A-Za-z0-9]{1,40}+){0,6}+"
    r"(?![\w/-]|[.,]\d)"
)
VIN = re.compile(r"(?=[A-HJ-NPR-Z0-9]{0,16}[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{17}")
# Codes and notations that look like numbers: ICD-10 ("E11.65"), HCPCS ("G2211"), CPT with
# its modifier ("99214-25"), Category II ("3046F"), obstetric history ("G2P1001", "G3P2012"),
# and a public trial's registration number ("NCT05518733": the study's, not the patient's).
_CODE_SHAPES = re.compile(
    r"[A-Z]\d{2}(?:\.?[0-9A-Z]{1,4})?|[A-Z]\d{4}|\d{4}[FTU]|\d{5}(?:-[0-9A-Z]{2})?"
    r"|[A-Z]{1,3}-?\d{1,3}|G\d{1,2}P\d{1,5}(?:-?\d{1,2}){0,3}|NCT\d{8}"
)
_ICD10_CODE = re.compile(r"[A-TV-Z]\d[0-9A-Z]\.[0-9A-Z]{1,4}")
_LOINC = re.compile(r"\d{1,5}-\d")
_RANGE = re.compile(r"\d{1,4}s?-\d{1,4}s?")
_UNIT_AFTER = re.compile(
    r"\s*(?:mg|mcg|µg|ug|g|kg|lbs?|ml|mL|l|L|units?|iu|IU|meq|mEq|mmol|copies|cells|"
    r"%|/u[lL]|/mm3|k/u[lL]|ng|pg|mm|cm|in|steps|kcal|cal)\b"
)
_FAX_WORD = re.compile(r"\bfax(?:ed)?\b|\bfacsimile\b")
_PHONE_WORD = re.compile(
    r"\b(?:phone|ph|tel|telephone|cell|mobile|pager|home|work|office|call|callback|"
    r"reached|contact|text)\b"
)
_GENERIC_KIND_HINTS = (
    (
        re.compile(r"medicaid|medicare|member|insurance|plan|payer|coverage|subscriber"),
        "health_plan_id",
    ),
    (re.compile(r"licen[cs]e|dea|npi"), "license"),
    (re.compile(r"account|acct|billing"), "account"),
    (re.compile(r"medical record|\bmrn?\b|chart"), "mrn"),
    (re.compile(r"serial|device|implant"), "device"),
)


def _line_before(lower: str, start: int, width: int) -> str:
    line_start = lower.rfind("\n", max(0, start - width), start) + 1
    return lower[max(line_start, start - width) : start]


def _phone_kind(lower: str, start: int) -> str:
    """``fax`` when the nearest number label before it on the same line says fax."""
    window = _line_before(lower, start, 60)
    fax = [m.end() for m in _FAX_WORD.finditer(window)]
    phone = [m.end() for m in _PHONE_WORD.finditer(window)]
    if fax and (not phone or fax[-1] > phone[-1]):
        return "fax"
    return "phone"


def _generic_kind(lower: str, start: int) -> str:
    """Kind of a number under a bare "ID" label, from the words just before it."""
    window = _line_before(lower, start, 50)
    for hint, kind in _GENERIC_KIND_HINTS:
        if hint.search(window):
            return kind
    return "other_id"


def _is_measurement(note: str, end: int) -> bool:
    return _UNIT_AFTER.match(note, end, min(len(note), end + 12)) is not None


def find_identifiers(text: NoteText) -> Iterator[Candidate]:
    """Every shaped identifier in the note, as candidates (overlaps are settled later)."""
    note, lower = text.text, text.lower
    runs = text.digit_runs
    yield from _emails_urls_files(text)
    # Every digit-led pattern below is tried only at the numbers it can open with (see
    # ``text.py``). An address starts where a number of one to three digits and a dot starts;
    # one that starts inside a number would fail ``boundary_before`` and overlaps none that
    # passes.
    ip_starts = [start for start, end in runs if end - start <= 3 and note[end : end + 1] == "."]
    if ip_starts:
        for match in matches_from(IPV4, note, ip_starts):
            octets = match.group().split(".")
            if boundary_before(note, match.start(), ".") and all(int(o) <= 255 for o in octets):
                yield Candidate("ip", match.start(), match.end(), 80)
    for match in _ipv6_matches(lower):
        if boundary_before(lower, match.start(), ":") and ":" in match.group():
            yield Candidate("ip", match.start(), match.end(), 80)
    if MAC_HINT.search(note):
        for match in MAC.finditer(lower):
            if boundary_before(lower, match.start(), ":-"):
                yield Candidate("device", match.start(), match.end(), 80)
    # "123-45-6789" opens with three digits and a separator; "xxx-xx-6789" ends with four
    # digits, seven characters after its start.
    ssn_starts = [
        start for start, end in runs if end - start == 3 and note[end : end + 1] in _SSN_SEPARATORS
    ]
    masked_starts = [
        start - 7
        for start, end in runs
        if end - start == 4
        and start >= 7
        and note[start - 1] in _SSN_SEPARATORS
        and note[start - 7] in _MASK_CHARACTERS
    ]
    for pattern, starts in ((SSN, ssn_starts), (MASKED_SSN, masked_starts)):
        for match in matches_from(pattern, note, starts):
            if boundary_before(note, match.start(), "-"):
                yield Candidate("ssn", match.start(), match.end(), 75)
    for match in matches_from(PHONE, note, _phone_starts(note, runs)):
        start = match.start()
        if start and note[start - 1] in " .-(":
            country = _COUNTRY_ONE.search(note, max(0, start - 4), start)
            if country is not None:
                start = country.start()
            elif note[start - 1] == "-":
                continue
        yield Candidate(_phone_kind(lower, start), start, match.end(), 60)
    for match in TRUNK_PHONE.finditer(note):
        digits = digit_count(match.group())
        groups = match.group().replace("(", "").replace(")", "").split()
        if all(len(group) == 4 for group in groups):
            continue  # "0800 1200 1600": times of day, not a number to call
        if 10 <= digits <= 15:
            yield Candidate(_phone_kind(lower, match.start()), *match.span(), 60)
    if "+" in note:
        for match in INTERNATIONAL_PHONE.finditer(note):
            digits = digit_count(match.group())
            if 7 <= digits <= 15 and boundary_before(note, match.start()):
                yield Candidate(_phone_kind(lower, match.start()), *match.span(), 60)
    for match in text.matches_at_words(PHONE_LABEL, _PHONE_LABEL_WORDS):
        if boundary_before(lower, match.start(), "-"):
            start, end = match.span("number")
            yield Candidate(_phone_kind(lower, start), start, end, 60)
    # A coordinate opens with one or two digits and four decimals; a UID with a number and at
    # least four more dots close by: most decimals of a note (lab values) are neither.
    gps_starts = [
        start
        for start, end in runs
        if end - start <= 2 and note[end : end + 1] == "." and note[end + 1 : end + 5].isdigit()
    ]
    uid_starts = [
        start
        for start, end in runs
        if note[end : end + 1] == "." and note.count(".", end, end + 40) >= 4
    ]
    for match in matches_from(GPS, note, gps_starts):
        start = match.start() - (note[match.start() - 1 : match.start()] == "-")
        if boundary_before(note, start, ".-"):
            yield Candidate("address", start, match.end(), 62)
    for match in matches_from(DOTTED_UID, note, uid_starts):
        if boundary_before(note, match.start(), "."):
            yield Candidate("other_id", *match.span(), 78)
    yield from _labelled_ids(text)
    yield from _long_numbers(text)
    if "#" in note:
        for match in HASH_NUMBER.finditer(note):  # "interpreter #40218", "(#3381)"
            yield Candidate("other_id", match.start(1), match.end(1), 20)


_SSN_SEPARATORS = frozenset("- .")
_MASK_CHARACTERS = frozenset("xX*#")
_PHONE_SEPARATORS = frozenset(" .-/")  # "/" only in "773/555-0148" (PHONE checks the rest)


def _phone_starts(note: str, runs: list[tuple[int, int]]) -> list[int]:
    """Where ``PHONE`` can match: at three digits and a separator, or at the bracket of
    "(503)"."""
    starts: list[int] = []
    for start, end in runs:
        if end - start == 3:
            after = note[end : end + 1]
            if after in _PHONE_SEPARATORS:
                starts.append(start)
            elif after == ")" and start and note[start - 1] == "(":
                starts.append(start - 1)
    return starts


def _ipv6_matches(lower: str) -> Iterator[re.Match[str]]:
    """``IPV6.finditer(lower)``, tried only around "::" and ":hhhh:" (every IPv6 address holds
    one): a scan from every hex digit of the note would try almost every letter."""
    resume = 0
    for hint in IPV6_HINT.finditer(lower):
        if hint.start() < resume:
            continue
        start = hint.start()
        while start > max(resume, hint.start() - 40) and lower[start - 1] in _HEX_OR_COLON:
            start -= 1
        for position in range(start, hint.start() + 1):
            match = IPV6.match(lower, position)
            if match is not None:
                resume = match.end()
                yield match
                break


def _emails_urls_files(text: NoteText) -> Iterator[Candidate]:
    note, lower = text.text, text.lower
    at = note.find("@")
    while at >= 0:
        user = EMAIL_USER.search(note, max(0, at - 64), at)
        domain = EMAIL_DOMAIN.match(note, at)
        if user is not None and domain is not None:
            start = user.start()
            while start < at and note[start] in "._%+-":
                start += 1
            yield Candidate("email", start, domain.end(), 90)
        at = note.find("@", at + 1)
    for match in text.matches_at_words(URL_START, _URL_WORDS):
        if not boundary_before(lower, match.start()):
            continue
        body = URL_BODY.match(note, match.end())
        end = body.end() if body else match.end()
        while end > match.start() and note[end - 1] in ".,;:!?)]}'\"":
            end -= 1
        yield Candidate("url", match.start(), end, 85)
    for match in TLD.finditer(lower):
        # DOMAIN_BEFORE backtracks at every start it tries: it is searched only from where the
        # run of domain characters before the top-level domain begins (no match starts before;
        # its "$" also matches before a line break that ends the window).
        start = match.start()
        window = max(0, start - 200)
        if start > window and lower[start - 1] == "\n":
            start -= 1
        while start > window and lower[start - 1] in _DOMAIN_CHARACTERS:
            start -= 1
        domain = DOMAIN_BEFORE.search(lower, start, match.start())
        if domain is None or not boundary_before(lower, domain.start(), ".@-/"):
            continue
        body = (
            URL_BODY.match(note, match.end())
            if note[match.end() : match.end() + 1] == "/"
            else None
        )
        end = body.end() if body else match.end()
        while end > match.end() and note[end - 1] in ".,;:!?)]}'\"":
            end -= 1
        yield Candidate("url", domain.start(), end, 84)
    for match in PHOTO_EXTENSION.finditer(lower):
        name = FILE_NAME_BEFORE.search(note, max(0, match.start() - 200), match.start())
        if name is not None:
            start = name.start()
            while start < match.start() and note[start] in ".-":
                start += 1
            if start < match.start():
                yield Candidate("photo", start, match.end(), 86)


_PLATE_WORDS = frozenset(("plate", "tag", "license", "licence"))


def _label_matches(text: NoteText) -> Iterator[re.Match[str]]:
    """LABELLED_ID matches, tried only at the note's words that can begin a label."""
    lower, tokens = text.lower, text.tokens
    resume = 0
    for index in text.indices_of(LABEL_FIRST_WORDS):
        token = tokens[index]
        start = token.start
        if start < resume:
            continue
        word = token.key
        if not boundary_before(lower, start, "-"):
            continue
        if word == "dl" and lower[start - 1 : start] == "/":
            continue  # "mg/dL | 0.70-1.30": a unit, not a driver's licence
        match = (PLATE if word in _PLATE_WORDS else LABELLED_ID).match(lower, start)
        if match is None and word in _PLATE_WORDS:
            match = LABELLED_ID.match(lower, start)
        if match is not None:
            resume = match.end()
            yield match


def _labelled_ids(text: NoteText) -> Iterator[Candidate]:
    note, lower = text.text, text.lower
    for match in _label_matches(text):
        if match.re is PLATE:
            value = match.group("plate")
            if len(value) >= 4 and digit_count(value) >= 2:  # not "plate (7-hole)"
                yield Candidate("vehicle", *match.span("plate"), 70)
            continue
        kind = match.lastgroup or "other_id"
        start, end = match.span(kind)
        value = note[start:end]
        if kind == "username":
            if len(value) >= 4 and not value.isdigit():
                yield Candidate("other_id", start, end, 70)
            continue
        if digit_count(value) < 3 or len(value) < 4:
            continue
        if value.isdigit() and _is_measurement(note, end):
            continue
        if _ICD10_CODE.fullmatch(value):
            continue  # "initial encounter (S39.012A)": a diagnosis code, not an account
        if kind == "other_id" and match.group().startswith("id"):
            kind = _generic_kind(lower, match.start())
        yield Candidate(kind, start, end, 70)


_ID_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-")
# A run of the characters a long number is made of, read backwards from the digits it holds.
_ID_CHARACTERS_REVERSED = re.compile(r"[A-Za-z0-9-]*")


def _long_number_starts(text: NoteText) -> list[int]:
    """Where ``LONG_NUMBER`` can match and be kept: it opens where a run of letters, digits
    and dashes opens, and one of its first 41 characters is a digit. So each run of digits
    gives the start of the run of such characters it stands in, and a start is kept when its
    runs of digits hold five digits or more (fewer are never kept); runs more than 300
    characters after that start are left out (a match is shorter). A match never starts
    inside another, so trying only these starts finds every match kept after a scan of the
    whole note.

    The characters before a run are read back only as far as the previous run: when the
    reading gets there, both runs stand in the same run of characters. So no character is
    read twice, whatever the note."""
    note = text.text
    reversed_note: str | None = None
    starts: list[int] = []
    digits_after: list[int] = []  # how many digits the runs from each start hold
    previous = previous_chunk = 0  # the previous run of digits, and where its characters start
    for start, end in text.digit_runs:
        chunk = start
        if start and note[start - 1] in _ID_CHARACTERS:
            if reversed_note is None:
                reversed_note = note[::-1]  # a regex reads the characters backwards
            before = _ID_CHARACTERS_REVERSED.match(
                reversed_note, len(note) - start, len(note) - previous
            )
            chunk = start - (before.end() - before.start())  # type: ignore[union-attr]
            if chunk == previous:
                chunk = previous_chunk
        previous, previous_chunk = start, chunk
        if start - chunk > 300:
            continue
        if starts and chunk == starts[-1]:
            digits_after[-1] += end - start
        else:
            starts.append(chunk)
            digits_after.append(end - start)
    return [start for start, digits in zip(starts, digits_after, strict=True) if digits >= 5]


def _long_numbers(text: NoteText) -> Iterator[Candidate]:
    note = text.text
    for match in matches_from(LONG_NUMBER, note, _long_number_starts(text)):
        text = match.group()
        if len(text) < 5:
            continue
        digits = digit_count(text)
        if digits < 5 or not boundary_before(note, match.start(), ".,/-"):
            continue
        has_letters = not text.replace("-", "").isdigit()
        if _RANGE.fullmatch(text):
            continue  # "110-140", "150s-180s", "2019-2025": a range of values or years
        if (digits < 6 and not has_letters) or _CODE_SHAPES.fullmatch(text):
            continue
        if note[match.end() : match.end() + 1] == "^" and _LOINC.fullmatch(text):
            continue  # "33914-3^EGFR^LN": a LOINC test code in an HL7 coded element
        if VIN.fullmatch(text):
            yield Candidate("vehicle", match.start(), match.end(), 65)
            continue
        if not has_letters and _is_measurement(note, match.end()):
            continue
        yield Candidate("other_id", match.start(), match.end(), 20)
