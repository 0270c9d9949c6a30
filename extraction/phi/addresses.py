"""Street addresses and geography smaller than a state: streets, cities, counties, ZIP codes.

Safe Harbor (45 CFR 164.514(b)(2)(i)(B)) lets the state stay, so "Hillsboro, OR 97124"
becomes "[ADDRESS], OR [ZIP]". Cities are found by their shape ("City, ST 12345",
"City, Oregon", "12 Elm St, Kenosha."), by a cue ("lives in Hillsboro"), and, written bare
("delivered in Rotterdam"), from the GeoNames town list when the word is no ordinary,
clinical or eponymous word (``places.txt``, see ``lexicon.py``).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

from extraction.phi.lexicon import SCALE_NOUNS, Lexicon, lexicon
from extraction.phi.redaction import Candidate
from extraction.phi.text import (
    NoteText,
    Token,
    boundary_before,
    fold,
    matches_from,
    occurrences,
    starts_sentence,
    words,
)

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
_STATE_KEYS = frozenset(name.lower() for name in STATE_NAMES.split("|"))
_DIRECTION = r"(?:[NSEW]|NE|NW|SE|SW|North|South|East|West)\.?"
_SUFFIX_ANY_CASE = (
    r"(?:street|avenue|road|lane|drive|boulevard|highway|parkway|terrace|court|circle|trail|place"
    r"|way)"
)
_SUFFIX_ABBREVIATED = r"(?:st|ave|rd|ln|dr|blvd|ct|pl|cir|hwy|pkwy|ter|trl)\.?"
_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Terrace|Ter"
    r"|Place|Pl|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Trail|Trl|Square|Sq|Loop|Pike|Plaza|Run"
    r"|Crossing|Xing|Alley|Row|Path|Walk|Point|Pt|Ridge|Hollow|Glen|Cove|Bend|Commons|Green"
    r"|Heights|Hts|Manor|Mews|Park|Pass|Crescent|Close|Expressway|Expy|Freeway|Fwy|Turnpike"
    r"|Concourse|Esplanade|Causeway|Promenade|Boardwalk|Landing)"
)
_SUFFIX_UPPER = (
    r"(?:STREET|ST|AVENUE|AVE|ROAD|RD|DRIVE|DR|BOULEVARD|BLVD|LANE|LN|COURT|CT|WAY|PLACE|PL"
    r"|CIRCLE|CIR|HIGHWAY|HWY|PARKWAY|PKWY|TERRACE|TER|TRAIL|TRL|LOOP|PIKE)"
)
_UNIT = (
    r"(?:,?[ \t]+(?:Apt|Apartment|Unit|Suite|Ste|Room|Rm|Bldg|Building|Floor|Fl|Lot|Space|Trlr|#)"
    r"\.?[ \t]*#?[ \t]*[A-Za-z0-9-]{1,6}(?![\w-]))?"
)
_NAME_WORD = (
    r"(?:[A-Z][a-z'\u2019]+(?:-[A-Z][a-z]+)?|[A-Z]{2,}|\d{1,3}(?:st|nd|rd|th)"
    r"|(?:del|de|la|los|las|el)(?=[ \t]+[A-Z]))"  # "Vista del Sol Dr"
)
# A dictated house number ("2771", "94-1020") and one to three words ("540th", "tulip tree").
_DICTATED_HOUSE = r"\d(?<![\w/.-]\d)\d{0,5}(?:-\d{1,5})?[ \t]+"
_DICTATED_STREET_WORDS = r"(?:(?:[a-z]+|\d{1,4}(?:st|nd|rd|th))[ \t]+){1,3}?"
STREET = re.compile(
    # named roads first, their number after them: "36 County Rd 7150", "77 Calle Lomita"
    rf"\d(?<![\w/.-]\d)\d{{0,5}}[ \t]+(?:[NSEW][ \t]+)?(?:Calle|Camino|Avenida|Via|Rue|Paseo|Route"
    rf"|Rte|Highway|Hwy|County[ \t]+(?:Road|Rd)|State[ \t]+Route|Rural[ \t]+Route)[ \t]+"
    rf"(?:{_NAME_WORD}|\d{{1,4}})"
    rf"(?:[ \t]+{_NAME_WORD}){{0,2}}{_UNIT}"
    rf"|\d(?<![\w/.-]\d)\d{{0,5}}[A-Za-z]?(?:-\d{{1,5}})?[ \t]+(?:{_DIRECTION}[ \t]+)?"
    rf"(?:{_NAME_WORD}[ \t]+){{1,4}}{_SUFFIX}\.?(?:[ \t]+{_DIRECTION}(?![\w]))?(?![\w]){_UNIT}"
    rf"|{_DICTATED_HOUSE}{_DICTATED_STREET_WORDS}{_SUFFIX_ANY_CASE}"
    rf"(?:[ \t]+(?:ne|nw|se|sw|n|s|e|w)\b)?(?![\w]){_UNIT}"
    # dictated with the suffix abbreviated, the town after a comma: "4820 tulip tree dr, fort"
    rf"|{_DICTATED_HOUSE}{_DICTATED_STREET_WORDS}{_SUFFIX_ABBREVIATED}"
    r"(?:[ \t]+(?:apt|unit|ste|suite|#)\.?[ \t]*#?[a-z0-9-]{1,6})?"
    # "... dr, fort wayne", "540 w gardenia ave in lodi", "1418 s 38th st tacoma 98418"
    r"(?=,[ \t]+[a-z]|[ \t]+in[ \t]+[a-z]|[ \t]+[a-z]+(?:[ \t][a-z]+)?,?[ \t]+\d{5}(?!\d))"
    # written in capitals: "1148 GRAND BLVD APT 2"
    rf"|\d(?<![\w/.-]\d)\d{{0,5}}[ \t]+(?:[NSEW][ \t]+)?(?:[A-Z]{{2,}}[ \t]+){{1,3}}"
    rf"{_SUFFIX_UPPER}\.?(?![\w])(?:,?[ \t]+(?:APT|UNIT|STE|SUITE|#)\.?[ \t]*#?[A-Z0-9-]{{1,6}}"
    r"(?![\w-]))?"
    # lettered avenues: "6610 Avenue N"
    rf"|\d(?<![\w/.-]\d)\d{{0,5}}[ \t]+(?:{_DIRECTION}[ \t]+)?(?:Avenue|Ave|Street|St)\.?"
    rf"[ \t]+[A-Z](?![\w]){_UNIT}"
    # dictated Spanish street names: "118 calle naranjo"
    rf"|\d(?<![\w/.-]\d)\d{{0,5}}[ \t]+(?:calle|camino|avenida|paseo)[ \t]+[a-z]+(?:[ \t]+[a-z]+)?"
    rf"(?=[ \t]*(?:,|in\b|\.))"
    # Utah's grid: "1745 S 300 W"
    rf"|\d(?<![\w/.-]\d)\d{{0,5}}[ \t]+[NSEW]\.?[ \t]+\d{{1,4}}[ \t]+[NSEW]\.?(?![\w]){_UNIT}"
)
PO_BOX = re.compile(
    r"p\.?[ \t]?o\.?[ \t]+box[ \t]+\d{1,6}"
    # "Rural Route 2, Box 118", "RR 2 Box 118", "HC 61 Box 9"
    r"|(?:rural[ \t]+route|r\.?r\.?|hc|star[ \t]+route)[ \t]*#?[ \t]*\d{1,4},?[ \t]+box[ \t]+"
    r"\d{1,6}"
)
# A street named without a number ("at SE Foster Rd and 82nd Ave"): found from its suffix.
# Matched from its capital, the space before it checked in code: a pattern that opened with the
# space would be tried at every space of the note. (No match holds a space, so none hides
# another.)
STREET_SUFFIX = re.compile(
    r"(?:Street|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Highway|Hwy|Parkway|Pkwy)\.?(?!\w)"
)
BLOCK_OF_BEFORE = re.compile(r"(?<![\w.,])\d{1,5}[ \t]+block[ \t]+of[ \t]+$")
STREET_NAME_BEFORE = re.compile(
    rf"(?:{_DIRECTION}[ \t]+)?(?:[A-Z][a-z'\u2019]+[ \t]+){{0,2}}(?:[A-Z][a-z'\u2019]+|\d{{1,3}}"
    r"(?:st|nd|rd|th))$"
)
_CITY_WORD = r"(?:[A-Z][a-z'\u2019.]+|[A-Z]{3,})"
_CITY = rf"{_CITY_WORD}(?:[ \t-](?:{_CITY_WORD}|de|del|la|of)){{0,3}}"
CITY_BEFORE = re.compile(rf"(?<![\w-]){_CITY}$")
# The town right after a street address: "4417 Juniper Hollow Rd Apt 9, Ellsworth."
CITY_AFTER_STREET = re.compile(rf",[ \t]+(?P<city>{_CITY})(?=[ \t]*(?:[.,;:()\n]|$))")
# Words that never stand between a house number and a street suffix: "10 days in the park"
# and "a 5 mile drive" are no addresses.
_NOT_STREET_WORDS = frozenset(
    words("day days week weeks month months year years time times minute minutes hour hours mile")
    + words("miles block blocks am pm tab tabs tablet tablets cap caps capsule capsules mg mcg")
    + words("ml units puffs drops dose doses")
)
_TOWN_CONNECTORS = frozenset(words("of de la del du on upon"))
# A code right after a town's name makes it a classification: "Montreal A2", "Vienna L3".
_CODE_AFTER = re.compile(r"[ \t]+(?:[a-z]?\d|[ivx]{1,4}[a-c]?\b)")
_MONTHS_AND_DAYS = frozenset(
    words(
        "january february march april may june july august september october november december "
        "monday tuesday wednesday thursday friday saturday sunday"
    )
)
# What follows a house number: a letter ("12B"), a dash ("12-14") or a space.
_AFTER_NUMBER = frozenset(string.ascii_letters + "- \t")
# A ZIP code is found from its digits, then the state before it is checked.
ZIP = re.compile(r"\d(?<![\w-]\d)\d{4}(?:-\d{4})?(?![\w-])")
STATE_BEFORE_ZIP = re.compile(rf"(?<![\w-])(?:{'|'.join(_STATE_CODES)}|{STATE_NAMES})\.?,?[ \t]+$")
LOWER_STATE_BEFORE_ZIP = re.compile(rf"(?<![\w-])(?:{STATE_NAMES.lower()}),?[ \t]+$")
LOWER_STATE_CODE_BEFORE_ZIP = re.compile(
    r"(?<![\w-])(?P<town>[a-z]+(?:[ \t][a-z]+)?),?[ \t]+"
    rf"(?:{'|'.join(_STATE_CODES).lower()})[ \t]+$"
)
# The dictated town before ", indiana 46835": one to three words after a comma or a cue.
LOWER_TOWN_BEFORE = re.compile(r"(?:,|\bin|\bat)[ \t]+(?P<town>[a-z]+(?:[ \t][a-z]+){0,2}),[ \t]*$")
TOWN_AFTER_STREET_BEFORE_ZIP = re.compile(
    rf"(?:{_SUFFIX_ANY_CASE}|{_SUFFIX_ABBREVIATED}),[ \t]+"
    r"(?P<town>[a-z]+(?:[ \t][a-z]+){0,2}),?[ \t]+$"
)
LOWER_TOWN_BEFORE_ZIP = re.compile(r"(?<![\w-])(?P<town>[a-z]+(?:[ \t][a-z]+)?),?[ \t]+$")
TOWN_BEFORE_ZIP = re.compile(r"(?<![\w-])(?P<town>[A-Z][a-z]+(?:[ \t][A-Z][a-z]+){0,2}),?[ \t]+$")
# Identifier labels whose last word could pass for a town before "ID" (Idaho) and a number.
_LABEL_WORDS = frozenset(
    words("member subscriber patient group policy plan account claim case employee student")
)
# A corner named by a numbered street and another: "14th and Vine", "5th & Main St".
INTERSECTION = re.compile(
    r"(?<![\w/.-])\d{1,3}(?:st|nd|rd|th)[ \t]+(?:and|&)[ \t]+[A-Z][a-z]+(?:[ \t]+(?:St|Ave|Rd)\b)?"
)
COMMA_STATE_CODE = re.compile(rf",[ \t]+(?:{'|'.join(_STATE_CODES)})(?=[,.;:)]|[ \t]*(?:\n|$))")
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
# A dictated street without a number, after "on": "the clinic on mountain view road".
STREET_AFTER_ON = re.compile(
    rf"on[ \t]+(?P<street>(?:[a-z]+[ \t]+){{1,3}}{_SUFFIX_ANY_CASE})(?![\w])"
)
_ON = frozenset(("on",))
_PLACE_CUE_WORDS = frozenset(
    words("lives living resides residing moved relocated relocating located born raised grew")
    + words("originally travel traveled travelled traveling travelling visiting home")
)
_ZIP_WORDS = frozenset(words("zip zipcode postal"))
PLACE = re.compile(r"[A-Z][a-z'\u2019]+(?:[ \t-][A-Z][a-z'\u2019]+){0,2}")
# Dictation is lower-case: "lives on elm street in dayton".
LOWER_STREET = re.compile(rf"(?:[a-z]+[ \t]+){{1,3}}{_SUFFIX_ANY_CASE}(?![\w])")
_MORE_PLACE = re.compile(r"[ \t]*(?:,|in|near|outside(?:[ \t]+of)?)[ \t]+")
_WORD = re.compile(r"[a-z]+")
LOWER_PLACE = re.compile(r"[a-z]{3,}(?:[ \t-][a-z]{3,})?(?![\w-])")
# A town's name as a candidate holds it: capitalized words, no digits ("Fort Wayne", "Bethel").
TOWN_MENTION = re.compile(r"[A-Z][a-z'\u2019]+(?:[ -][A-Z][a-z'\u2019]+){0,2}")
LOWER_COUNTY = re.compile(r"(?<![\w-])(?P<name>[a-z]{3,}(?:[ \t][a-z]{3,})?)[ \t]county(?![\w])")
COUNTY_SUFFIX = re.compile(
    r"[ \t](?:County|Parish|Borough|Township|Subdivision|District|Neighborhood)(?![\w])"
)
_COUNTY_WORDS = (  # ``in`` finds them fastest
    "County", "Parish", "Borough", "Township", "Subdivision", "District", "Neighborhood"
)  # fmt: skip
COUNTY_NAME_BEFORE = re.compile(r"(?<![\w-])(?:[A-Z][a-z'\u2019]+[ \t]+)?[A-Z][a-z'\u2019]+$")
_NOT_PLACES = frozenset(
    words(
        "assisted skilled nursing home hospice rehab rehabilitation hospital clinic the a an her "
        "his their our my room bed unit ward facility memory care senior group foster"
    )
)


# An HL7 address (XAD): street^other^city^state^zip, as in PID-11.
HL7_ADDRESS = re.compile(
    r"(?P<street>\d[\w .'#-]{2,60})\^[^^|\n]{0,40}\^(?P<city>[A-Za-z][A-Za-z .'-]{1,40})\^"
    r"[A-Z]{2}\^(?P<zip>\d{5}(?:-\d{4})?)(?![\d])"
)


def _hl7_addresses(note: str) -> Iterator[Candidate]:
    """Street, city and ZIP of an HL7 address; the state stays (Safe Harbor)."""
    if "^" not in note:
        return
    for match in HL7_ADDRESS.finditer(note):
        for part in ("street", "city", "zip"):
            yield Candidate("address", *match.span(part), 42)


def find_address_candidates(text: NoteText) -> list[Candidate]:
    """Streets, cities with their ZIP, counties, cue-marked places and known towns, and every
    other mention of a town found among them ("Bethel. Mailing: PO Box 2241, Bethel, AK")."""
    candidates = list(_address_candidates(text))
    return candidates + list(_other_mentions(text.text, candidates))


def _other_mentions(note: str, candidates: list[Candidate]) -> Iterator[Candidate]:
    found = {(c.start, c.end) for c in candidates}
    towns = {
        note[c.start : c.end] for c in candidates if TOWN_MENTION.fullmatch(note, c.start, c.end)
    }
    for town in towns:
        # "Normal, IL" does not make "Normal exam." a town: a town that is also a word is
        # taken again only inside a sentence ("back to Bethel").
        word = _common_words_only(town.lower().replace("-", " "))
        for at in occurrences(note, town):
            end = at + len(town)
            if (
                (at, end) not in found
                and boundary_before(note, at)
                and not note[end : end + 1].isalnum()
                and not (word and starts_sentence(note, at))
            ):
                yield Candidate("address", at, end, 25)


def _address_candidates(text: NoteText) -> Iterator[Candidate]:
    note, lower, runs = text.text, text.lower, text.digit_runs
    yield from _hl7_addresses(note)
    # A house number has one to six digits; a ZIP code five (see ``text.py``).
    house_numbers = [
        start for start, end in runs if end - start <= 6 and note[end : end + 1] in _AFTER_NUMBER
    ]
    for match in matches_from(STREET, note, house_numbers):
        if not _plausible_street(match.group()):
            continue
        yield Candidate("address", match.start(), match.end(), 40)
        city = CITY_AFTER_STREET.match(note, match.end())
        if city is not None and city.group("city").split()[0].lower() not in _NOT_PLACES:
            yield Candidate("address", *city.span("city"), 35)
    for match in _po_boxes(lower):
        if boundary_before(lower, match.start()):
            yield Candidate("address", match.start(), match.end(), 40)
    for match in STREET_SUFFIX.finditer(note):
        space = match.start() - 1  # the suffix follows a space or a tab: " Rd", "\tAvenue"
        if space < 0 or note[space] not in " \t":
            continue
        name = STREET_NAME_BEFORE.search(note, max(0, space - 60), space)
        if name is not None and boundary_before(note, name.start()):
            block = BLOCK_OF_BEFORE.search(note, max(0, name.start() - 20), name.start())
            start = block.start() if block is not None else name.start()  # "1500 block of"
            yield Candidate("address", start, match.end(), 35)
    for match in matches_from(ZIP, note, [start for start, end in runs if end - start == 5]):
        yield from _zip_and_town(note, lower, match)
    for match in INTERSECTION.finditer(note) if " and " in note or "&" in note else ():
        yield Candidate("address", *match.span(), 35)  # "the one at 14th and Vine"
    for match in COMMA_STATE_CODE.finditer(note):
        city = _city_before(note, match.start() + 1)
        if city is not None and _place_key(note[city[0] : city[1]]) in lexicon().places:
            yield Candidate("address", *city, 35)  # "Harpeth Valley Imaging, Franklin, TN,"
    for match in COMMA_STATE_NAME.finditer(note):
        city = _city_before(note, match.start() + 1)
        if city is not None and note[city[0] : city[1]].split()[0].lower() not in _NOT_PLACES:
            yield Candidate("address", *city, 35)
    for match in text.matches_at_words(ZIP_LABEL, _ZIP_WORDS):
        if boundary_before(lower, match.start()):
            yield Candidate("address", *match.span("zip"), 40)
    for match in text.matches_at_words(STREET_AFTER_ON, _ON):
        if boundary_before(lower, match.start()) and _plausible_street_name(match.group("street")):
            yield Candidate("address", *match.span("street"), 35)  # "on farrington highway"
    for match in text.matches_at_words(PLACE_CUE, _PLACE_CUE_WORDS):
        if not boundary_before(lower, match.start()):
            continue
        place = _place_after(note, match.end())
        while place is not None:
            yield Candidate("address", *place, 35)
            # "on elm street in dayton", "in Hillsboro, Oregon": the next place goes too.
            more = _MORE_PLACE.match(lower, place[1])
            place = _place_after(note, more.end()) if more else None
    for match in LOWER_COUNTY.finditer(note) if " county" in note else ():
        if not _common_words_only(match.group("name")):
            yield Candidate("address", *match.span(), 35)  # "(mckinley county)"
    for match in COUNTY_SUFFIX.finditer(note) if any(w in note for w in _COUNTY_WORDS) else ():
        name = COUNTY_NAME_BEFORE.search(note, max(0, match.start() - 40), match.start())
        if name is not None:
            yield Candidate("address", name.start(), match.end(), 35)
    yield from _known_towns(text)


def _zip_and_town(note: str, lower: str, match: re.Match[str]) -> Iterator[Candidate]:
    """A ZIP code and the town before it, when the number is one: after a state ("Hillsboro,
    OR 97124", dictated "fort wayne, indiana 46835", "ramah nm 87321"), after a known town
    alone ("Chicago 60660"), or after a street and its town ("renton road, ewa beach 96706")."""
    context = _zip_context(note, lower, match.start())
    if context is None:
        return
    yield Candidate("address", *match.span(), 40)
    if context:
        yield Candidate("address", *context, 35)


def _zip_context(note: str, lower: str, start: int) -> tuple[int, int] | tuple[()] | None:
    """The span of the town before the ZIP code at ``start``; ``()`` for a ZIP code with no
    town found; None when the number is no ZIP code ("Member ID 12345")."""
    window = max(0, start - 60)
    state = STATE_BEFORE_ZIP.search(note, max(0, start - 20), start)
    if state is not None:
        city = _city_before(note, state.start())
        if city is not None and _label_word(note, city):
            return None  # "Member ID 12345": a label and a number, not Boise, Idaho
        return city or ()
    state = LOWER_STATE_BEFORE_ZIP.search(lower, max(0, start - 30), start)
    if state is not None and note[state.start() : start].islower():
        town = LOWER_TOWN_BEFORE.search(lower, max(0, state.start() - 40), state.start())
        return town.span("town") if town and not _function_words(town.group("town")) else ()
    for pattern, text, known_place in (
        (LOWER_STATE_CODE_BEFORE_ZIP, note, False),  # "ramah nm 87321", "dearborn, mi 48126"
        (TOWN_BEFORE_ZIP, note, True),  # "Chicago 60660"
        (LOWER_TOWN_BEFORE_ZIP, note, True),  # "houston 77027"
        (TOWN_AFTER_STREET_BEFORE_ZIP, lower, False),  # "renton road, ewa beach 96706"
    ):
        town = pattern.search(text, window, start)
        if town is None:
            continue
        span, name = town.span("town"), town.group("town")
        if known_place and " " in name and _place_key(name) not in lexicon().places:
            last = name.rsplit(" ", 1)[1]  # "1418 s 38th st tacoma 98418": the last word
            span, name = (span[1] - len(last), span[1]), last
        if _place_key(name) in lexicon().places if known_place else not _function_words(name):
            return span
    return None


def _label_word(note: str, span: tuple[int, int]) -> bool:
    return note[span[0] : span[1]].split()[-1].lower() in _LABEL_WORDS


def _function_words(text: str) -> bool:
    """Does ``text`` hold a header or place-of-care word, or a closed-class word ("the", "in",
    "his")? Words that are also given names ("spring", "rose") may name a town."""
    lex = lexicon()
    return any(
        word in lex.note_words or (word in lex.stopwords and word not in lex.first_names)
        for word in text.split()
    )


def _common_words_only(text: str) -> bool:
    lex = lexicon()
    return all(lex.is_common(word) or word in lex.note_words for word in text.split())


def _place_key(text: str) -> str:
    """A place as ``places.txt`` writes it: folded words, one space apart."""
    return " ".join(fold(text).split())


def _po_boxes(lower: str) -> Iterator[re.Match[str]]:
    """``PO_BOX.finditer(lower)``, run only over the lines that hold "box": the pattern opens
    at almost any letter, and no box address spans two lines."""
    at = lower.find("box")
    while at >= 0:
        line_start = lower.rfind("\n", 0, at) + 1
        line_end = lower.find("\n", at)
        line_end = len(lower) if line_end < 0 else line_end
        yield from PO_BOX.finditer(lower, line_start, line_end)
        at = lower.find("box", line_end)


def _plausible_street_name(text: str) -> bool:
    """ "mountain view road", not "the road" or "a busy road": no function word before the
    suffix."""
    lex = lexicon()
    return not any(word in lex.stopwords or word in _NOT_STREET_WORDS for word in text.split()[:-1])


def _plausible_street(text: str) -> bool:
    """A dictated street ("42 juniper court") has no function or time words before its suffix:
    "10 days in the park" and "a 5 mile drive" are not addresses."""
    if not (text.islower() or text.isupper()):
        return True
    return _plausible_street_name(" ".join(text.lower().split()[1:]))


def _known_towns(text: NoteText) -> Iterator[Candidate]:
    """Capitalized towns of the GeoNames list, however they stand in the note. A single word
    counts only when it is no ordinary, clinical, eponymous or header word, and no run of
    capitalized words counts when it names a disease, sign or scale ("Bristol stool scale",
    "Montreal A2 L3 B1"). Below names in priority: "Dr. Austin" stays a name."""
    lex = lexicon()
    note, lower, tokens = text.text, text.lower, text.tokens
    resume = 0
    for index in text.indices_of(lex.place_first_words):
        if index < resume:
            continue
        if not _town_cased(tokens[index]):
            token = tokens[index]
            if token.is_lower and _PLACE_PREPOSITION.search(
                lower, max(0, token.start - 8), token.start
            ):
                town = _dictated_town(text, index)  # "aunt's place in dearborn heights"
                if town is not None:
                    yield Candidate("address", token.start, town, 25)
            continue
        end = _town_run_end(note, tokens, index)
        resume = end
        run_end = tokens[end - 1].end
        if (
            _CODE_AFTER.match(lower, run_end)
            or _eponym_noun_follows(text, lex, run_end)
            or any(t.key in SCALE_NOUNS for t in tokens[index + 1 : end])
        ):
            continue  # "San Francisco syncope rule", "Montreal A2", "Richmond ... Scale"
        start = index
        while start < end:
            for stop in range(min(end, start + 4), start, -1):
                if tokens[stop - 1].key in _TOWN_CONNECTORS:
                    continue
                key = " ".join(t.key for t in tokens[start:stop])
                if key in _STATE_KEYS:  # "New York Heart Association": a state, not York
                    start = stop
                    break
                if key in lex.places and (
                    _bare_town(lex, key, text, tokens[stop - 1].end, words=stop - start)
                    or _town_after_in(text, start, key)
                ):
                    yield Candidate("address", tokens[start].start, tokens[stop - 1].end, 25)
                    start = stop
                    break
            else:
                start += 1
                while start < end and tokens[start].key in _TOWN_CONNECTORS:
                    start += 1


def _town_after_in(text: NoteText, index: int, key: str) -> bool:
    """ "at my daughter's in Auburn": a town that is also a word, capitalized after "in" or
    "near" inside a sentence (never a header, month, clinical word or eponym)."""
    lex, token = lexicon(), text.tokens[index]
    return (
        _IN_PLACE_BEFORE.search(text.lower, max(0, token.start - 12), token.start) is not None
        and key not in lex.note_words
        and key not in lex.stopwords
        and key not in lex.clinical_words
        and key not in lex.eponyms
        and key not in _MONTHS_AND_DAYS
    )


def _dictated_town(text: NoteText, index: int) -> int | None:
    """The end of a lower-case town of one or two words starting at token ``index``: two words
    that the town list holds ("iowa city", "dearborn heights"), or one that is no vocabulary
    ("hingham", not "bath")."""
    lex, tokens = lexicon(), text.tokens
    first = tokens[index]
    if index + 1 < len(tokens):
        second = tokens[index + 1]
        pair = f"{first.key} {second.key}"
        if second.is_lower and text.text[first.end : second.start] == " " and pair in lex.places:
            return second.end
    if first.key in lex.places and _bare_town(lex, first.key, text, first.end, words=1):
        return first.end
    return None


# Dictation writes towns in lower case: one is taken right after a preposition of place, when
# the word is no vocabulary ("in hingham", not "in bath").
_IN_PLACE_BEFORE = re.compile(r"[a-z,][ \t]+(?:in|near|outside(?:[ \t]+of)?)[ \t]+$")
_PLACE_PREPOSITION = re.compile(r"\b(?:in|at|from|near|to|out[ \t]+of)[ \t]+$")


def _town_cased(token: Token) -> bool:
    """Capitalized and not one letter: "Salem", not "SALEM" or "S" (``is_capitalized`` is
    "first letter a capital, not all capitals", read once by the tokenizer)."""
    return token.is_capitalized and token.end - token.start > 1


def _town_run_end(note: str, tokens: list[Token], index: int) -> int:
    """End (exclusive) of the run of capitalized words from ``index``, one space apart, with
    "of", "de", "la"... between them ("Traverse City", "Bay of Plenty")."""
    end = index + 1
    while end < len(tokens) and end - index < 8:
        following = tokens[end]
        if note[tokens[end - 1].end : following.start] != " ":
            break
        if _town_cased(following):
            end += 1
        elif (
            following.key in _TOWN_CONNECTORS
            and end + 1 < len(tokens)
            and note[following.end : tokens[end + 1].start] == " "
            and _town_cased(tokens[end + 1])
        ):
            end += 2
        else:
            break
    return end


def _eponym_noun_follows(text: NoteText, lex: Lexicon, end: int) -> bool:
    """``lex.eponym_noun_follows`` for the word ending at ``end``, asked once a note: the name
    search asks it of the same words (``NoteText.eponym_after``)."""
    follows = text.eponym_after.get(end)
    if follows is None:
        follows = text.eponym_after[end] = lex.eponym_noun_follows(text.lower, end)
    return follows


def _bare_town(lex: Lexicon, key: str, text: NoteText, end: int, *, words: int) -> bool:
    if _CODE_AFTER.match(text.lower, end) or _eponym_noun_follows(text, lex, end):
        return False  # "Montreal A2 L3 B1", "Glasgow coma scale": a classification
    if words > 1:
        return True
    return len(key) >= 4 and not (
        lex.is_common(key)
        or key in lex.clinical_words
        or key in lex.eponyms
        or key in lex.note_words
        or key in lex.stopwords
        or key in _MONTHS_AND_DAYS
    )


def _place_after(note: str, position: int) -> tuple[int, int] | None:
    """The town or street a cue such as "lives in" announces, capitalized or dictated, or a
    numbered street ("lives alone at 42 juniper court", and the town after it goes too)."""
    street = STREET.match(note, position)
    if street is not None and _plausible_street(street.group()):
        return street.span()
    if note.startswith("the ", position) and note[position + 4 : position + 5].isupper():
        position += 4  # "lives in the Bronx"
    place = PLACE.match(note, position)
    if place is not None:
        name = place.group().lower()
        if name.split()[0] in _NOT_PLACES or name in _STATE_KEYS:
            return None  # "lives in Michigan": a state stays
        return place.span()
    street = LOWER_STREET.match(note, position)
    if street is not None:
        return street.span()
    town = LOWER_PLACE.match(note, position)
    if town is None:
        return None
    lex = lexicon()
    first = town.group().split()[0]
    whole = _place_key(town.group()) in lex.places
    if (whole or first in lex.places) and not _function_words(first):
        # "home in pueblo": a town, though "pueblo" is also a word ("located at home" is not)
        return (position, position + (len(town.group()) if whole else len(first)))
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
