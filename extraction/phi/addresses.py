"""Street addresses and geography smaller than a state: streets, cities, counties, ZIP codes.

Safe Harbor (45 CFR 164.514(b)(2)(i)(B)) lets the state stay, so "Hillsboro, OR 97124"
becomes "[ADDRESS], OR [ZIP]". Cities are found by their shape ("City, ST 12345",
"City, Oregon") or by a cue ("lives in Hillsboro"), not from a gazetteer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extraction.phi.lexicon import lexicon
from extraction.phi.redaction import Candidate
from extraction.phi.text import ascii_lower, boundary_before, words

_STATE_CODES = words(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP"
)
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
_NAME_WORD = r"(?:[A-Z][a-z'\u2019]+|[A-Z]{2,}|\d{1,3}(?:st|nd|rd|th))"
STREET = re.compile(
    rf"\d(?<![\w/.-]\d)\d{{0,5}}[A-Za-z]?(?:-\d{{1,5}})?[ \t]+(?:{_DIRECTION}[ \t]+)?"
    rf"(?:{_NAME_WORD}[ \t]+){{1,4}}{_SUFFIX}\.?(?:[ \t]+{_DIRECTION}(?![\w]))?(?![\w]){_UNIT}"
    rf"|\d(?<![\w/.-]\d)\d{{0,5}}[ \t]+(?:[a-z]+[ \t]+){{1,3}}?{_SUFFIX_ANY_CASE}(?![\w]){_UNIT}"
    rf"|\d(?<![\w/.-]\d)\d{{0,5}}[ \t]+(?:Calle|Camino|Avenida|Via|Rue|Paseo|Route|Rte|Highway|"
    rf"Hwy|County[ \t]+Road|State[ \t]+Route|Rural[ \t]+Route)[ \t]+(?:{_NAME_WORD}|\d{{1,4}})"
    rf"(?:[ \t]+{_NAME_WORD}){{0,2}}{_UNIT}"
)
PO_BOX = re.compile(r"p\.?[ \t]?o\.?[ \t]+box[ \t]+\d{1,6}")
# A street named without a number ("at SE Foster Rd and 82nd Ave"): found from its suffix.
STREET_SUFFIX = re.compile(
    r"[ \t](?:Street|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Highway|Hwy|Parkway|Pkwy)\.?(?!\w)"
)
STREET_NAME_BEFORE = re.compile(
    rf"(?:{_DIRECTION}[ \t]+)?(?:[A-Z][a-z'\u2019]+[ \t]+){{0,2}}(?:[A-Z][a-z'\u2019]+|\d{{1,3}}"
    r"(?:st|nd|rd|th))$"
)
_CITY_WORD = r"(?:[A-Z][a-z'\u2019.]+|[A-Z]{3,})"
_CITY = rf"{_CITY_WORD}(?:[ \t-](?:{_CITY_WORD}|de|del|la|of)){{0,3}}"
CITY_BEFORE = re.compile(rf"(?<![\w-]){_CITY}$")
# A ZIP code is found from its digits, then the state before it is checked.
ZIP = re.compile(r"\d(?<![\w-]\d)\d{4}(?:-\d{4})?(?![\w-])")
STATE_BEFORE_ZIP = re.compile(rf"(?<![\w-])(?:{'|'.join(_STATE_CODES)}|{STATE_NAMES})\.?,?[ \t]+$")
COMMA_STATE_NAME = re.compile(rf",[ \t]+(?:{STATE_NAMES})(?![\w])")
ZIP_LABEL = re.compile(
    r"(?:zip|zip[ \t]*code|postal[ \t]*code)[ \t]*[:#]?[ \t]*(?P<zip>\d{5}(?:-\d{4})?)\b"
)
PLACE_CUE = re.compile(
    r"(?:lives|living|resides|residing|moved|relocated|relocating|located|born|raised|"
    r"grew[ \t]+up|originally|travel(?:ed|led|ing)?|visiting|home)"
    r"(?:[ \t]+(?:alone|independently|with[ \t]+\w+|back|here|from))?"
    r"[ \t]+(?:in|to|near|at|on|from|outside(?:[ \t]+of)?)[ \t]+"
)
PLACE = re.compile(r"[A-Z][a-z'\u2019]+(?:[ \t-][A-Z][a-z'\u2019]+){0,2}")
# Dictation is lower-case: "lives on elm street in dayton".
LOWER_STREET = re.compile(rf"(?:[a-z]+[ \t]+){{1,3}}{_SUFFIX_ANY_CASE}(?![\w])")
_MORE_PLACE = re.compile(r"[ \t]*(?:,|in|near|outside(?:[ \t]+of)?)[ \t]+")
_WORD = re.compile(r"[a-z]+")
LOWER_PLACE = re.compile(r"[a-z]{3,}(?:[ \t-][a-z]{3,})?(?![\w-])")
COUNTY_SUFFIX = re.compile(r"[ \t](?:County|Parish|Borough|Township)(?![\w])")
COUNTY_NAME_BEFORE = re.compile(r"(?<![\w-])(?:[A-Z][a-z'\u2019]+[ \t]+)?[A-Z][a-z'\u2019]+$")
_NOT_PLACES = frozenset(
    words(
        "assisted skilled nursing home hospice rehab rehabilitation hospital clinic the a an her "
        "his their our my room bed unit ward facility memory care senior group foster"
    )
)


def find_address_candidates(note: str) -> Iterator[Candidate]:
    """Streets, cities with their ZIP, counties and cue-marked places in ``note``."""
    lower = ascii_lower(note)
    for match in STREET.finditer(note):
        yield Candidate("address", match.start(), match.end(), 40)
    for match in PO_BOX.finditer(lower):
        if boundary_before(lower, match.start()):
            yield Candidate("address", match.start(), match.end(), 40)
    for match in STREET_SUFFIX.finditer(note):
        name = STREET_NAME_BEFORE.search(note, max(0, match.start() - 60), match.start())
        if name is not None and boundary_before(note, name.start()):
            yield Candidate("address", name.start(), match.end(), 35)
    for match in ZIP.finditer(note):
        state = STATE_BEFORE_ZIP.search(note, max(0, match.start() - 20), match.start())
        if state is None:
            continue
        yield Candidate("address", *match.span(), 40)
        city = _city_before(note, state.start())
        if city is not None:
            yield Candidate("address", *city, 40)
    for match in COMMA_STATE_NAME.finditer(note):
        city = _city_before(note, match.start() + 1)
        if city is not None and note[city[0] : city[1]].split()[0].lower() not in _NOT_PLACES:
            yield Candidate("address", *city, 35)
    for match in ZIP_LABEL.finditer(lower):
        if boundary_before(lower, match.start()):
            yield Candidate("address", *match.span("zip"), 40)
    for match in PLACE_CUE.finditer(lower):
        if not boundary_before(lower, match.start()):
            continue
        place = _place_after(note, match.end())
        while place is not None:
            yield Candidate("address", *place, 35)
            # "on elm street in dayton", "in Hillsboro, Oregon": the next place goes too.
            more = _MORE_PLACE.match(lower, place[1])
            place = _place_after(note, more.end()) if more else None
    for match in COUNTY_SUFFIX.finditer(note):
        name = COUNTY_NAME_BEFORE.search(note, max(0, match.start() - 40), match.start())
        if name is not None:
            yield Candidate("address", name.start(), match.end(), 35)


def _place_after(note: str, position: int) -> tuple[int, int] | None:
    """The town or street a cue such as "lives in" announces, capitalized or dictated."""
    place = PLACE.match(note, position)
    if place is not None:
        return place.span() if place.group().split()[0].lower() not in _NOT_PLACES else None
    street = LOWER_STREET.match(note, position)
    if street is not None:
        return street.span()
    town = LOWER_PLACE.match(note, position)
    if town is None:
        return None
    lex = lexicon()
    place: tuple[int, int] | None = None
    for part in _WORD.finditer(town.group()):
        word = part.group()
        if lex.is_common(word) or word in lex.note_words or word in lex.stopwords:
            break
        place = (position, position + part.end())
    return place


def _city_before(note: str, end: int) -> tuple[int, int] | None:
    """The city in "City, ST" / "City ST", ending just before the comma or space at ``end``."""
    stop = end
    while stop > 0 and note[stop - 1] in " \t":
        stop -= 1
    if stop > 0 and note[stop - 1] == ",":
        stop -= 1
    city = CITY_BEFORE.search(note, max(0, stop - 60), stop)
    return city.span() if city is not None else None
