"""Street addresses and geography smaller than a state: streets, cities, counties, ZIP codes.

Safe Harbor (45 CFR 164.514(b)(2)(i)(B)) lets the state stay, so "Hillsboro, OR 97124"
becomes "[ADDRESS], OR [ZIP]". Cities are found by their shape ("City, ST 12345",
"City, Oregon") or by a cue ("lives in Hillsboro"), not from a gazetteer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extraction.phi.redaction import Candidate

_STATE_CODES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP"
).split()
STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|Puerto Rico|District of Columbia"
)
_STATE = rf"(?:{'|'.join(_STATE_CODES)}|{STATE_NAMES})"
_DIRECTION = r"(?:[NSEW]|NE|NW|SE|SW|North|South|East|West)\.?"
_SUFFIX_ANY_CASE = r"(?:street|avenue|road|lane|drive|boulevard|highway|parkway|terrace)"
_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Terrace|Ter"
    r"|Place|Pl|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Trail|Trl|Square|Sq|Loop|Pike|Plaza|Run"
    r"|Crossing|Xing|Alley|Row|Path|Walk|Point|Pt|Ridge|Hollow|Glen|Cove|Bend|Commons|Green"
    r"|Heights|Hts|Manor|Mews|Park|Pass|Crescent|Close|Expressway|Expy|Freeway|Fwy|Turnpike)"
)
_UNIT = (
    r"(?:,?[ \t]+(?:Apt|Apartment|Unit|Suite|Ste|Room|Rm|Bldg|Building|Floor|Fl|Lot|Space|Trlr|#)"
    r"\.?[ \t]*#?[ \t]*[A-Za-z0-9-]{1,6}(?![\w-]))?"
)
_NAME_WORD = r"(?:[A-Z][a-z'’]+|[A-Z]{2,}|\d{1,3}(?:st|nd|rd|th))"
STREET = re.compile(
    rf"(?<![\w/.-])\d{{1,6}}[A-Za-z]?(?:-\d{{1,5}})?[ \t]+(?:{_DIRECTION}[ \t]+)?"
    rf"(?:{_NAME_WORD}[ \t]+){{1,4}}?{_SUFFIX}\.?(?:[ \t]+{_DIRECTION}(?![\w]))?(?![\w]){_UNIT}"
    rf"|(?<![\w/.-])\d{{1,6}}[ \t]+(?:[a-z]+[ \t]+){{1,3}}?{_SUFFIX_ANY_CASE}(?![\w]){_UNIT}"
    rf"|(?<![\w/.-])\d{{1,6}}[ \t]+(?:Calle|Camino|Avenida|Via|Rue|Paseo|Route|Rte|Highway|Hwy|"
    rf"County[ \t]+Road|State[ \t]+Route|Rural[ \t]+Route)[ \t]+(?:{_NAME_WORD}|\d{{1,4}})"
    rf"(?:[ \t]+{_NAME_WORD}){{0,2}}{_UNIT}"
    r"|(?i:\bP\.?[ \t]?O\.?[ \t]+Box[ \t]+\d{1,6})"
)
# A street named without a number ("at SE Foster Rd and 82nd Ave"): unambiguous suffixes only.
STREET_WITHOUT_NUMBER = re.compile(
    rf"(?<![\w-])(?:{_DIRECTION}[ \t]+)?(?:[A-Z][a-z'’]+[ \t]+){{0,2}}(?:[A-Z][a-z'’]+|\d{{1,3}}"
    r"(?:st|nd|rd|th))[ \t]+(?:Street|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Highway|Hwy|"
    r"Parkway|Pkwy)\.?(?![\w])"
)
_CITY = r"(?:[A-Z][a-z'’.]+|[A-Z]{3,})(?:[ \t-](?:[A-Z][a-z'’.]+|[A-Z]{3,}|de|del|la|of)){0,3}"
CITY_STATE_ZIP = re.compile(
    rf"(?<![\w-])(?P<city>{_CITY}),?[ \t]+(?P<state>{_STATE})\.?,?[ \t]+"
    r"(?P<zip>\d{5}(?:-\d{4})?)(?![\w-])"
)
CITY_STATE_NAME = re.compile(rf"(?<![\w-])(?P<city>{_CITY}),[ \t]+(?P<state>{STATE_NAMES})(?![\w])")
ZIP_LABEL = re.compile(r"(?i)\b(?:zip|zip[ \t]*code|postal[ \t]*code)[ \t]*[:#]?[ \t]*(?P<zip>\d{5}(?:-\d{4})?)\b")
PLACE_CUE = re.compile(
    r"(?i:\b(?:lives|living|resides|residing|moved|relocated|relocating|located|born|raised|"
    r"grew[ \t]+up|originally|travel(?:ed|led|ing)?|visiting|home))"
    r"(?:[ \t]+(?i:alone|independently|with[ \t]+\w+|back|here|from))?"
    r"[ \t]+(?i:in|to|near|at|from|outside(?:[ \t]+of)?)[ \t]+(?P<place>(?:[A-Z][a-z'’]+)(?:[ \t-][A-Z][a-z'’]+){0,2})"
)
COUNTY = re.compile(r"(?<![\w-])(?:[A-Z][a-z'’]+[ \t]+){1,2}(?:County|Parish|Borough|Township)(?![\w])")
_NOT_PLACES = frozenset(
    "Assisted Skilled Nursing Home Hospice Rehab Rehabilitation Hospital Clinic The A An Her His "
    "Their Our My Room Bed Unit Ward Facility Memory Care Senior Group Foster".lower().split()
)


def find_address_candidates(note: str) -> Iterator[Candidate]:
    """Streets, cities with their ZIP, counties and cue-marked places in ``note``."""
    for match in STREET.finditer(note):
        yield Candidate("address", match.start(), match.end(), 40)
    for match in STREET_WITHOUT_NUMBER.finditer(note):
        yield Candidate("address", match.start(), match.end(), 35)
    for match in CITY_STATE_ZIP.finditer(note):
        yield Candidate("address", *match.span("city"), 40)
        yield Candidate("address", *match.span("zip"), 40)
    for match in CITY_STATE_NAME.finditer(note):
        if match.group("city").split()[0].lower() not in _NOT_PLACES:
            yield Candidate("address", *match.span("city"), 35)
    for match in ZIP_LABEL.finditer(note):
        yield Candidate("address", *match.span("zip"), 40)
    for match in PLACE_CUE.finditer(note):
        place = match.group("place")
        if place.split()[0].lower() not in _NOT_PLACES:
            yield Candidate("address", *match.span("place"), 35)
    for match in COUNTY.finditer(note):
        yield Candidate("address", match.start(), match.end(), 35)
