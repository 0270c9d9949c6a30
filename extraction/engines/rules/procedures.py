"""Procedures, in-office tests, screening instruments, vaccines and quality (Category II) codes.

A service is coded only when the note shows it was done at this visit: "return for
cryotherapy", "last injection 09/2024" or "vision passed at school" are not services of
today. Professional claims from the ED or a nursing facility do not carry the drugs, tests
or injections the facility supplies, so those are coded in office-like settings only.
"""

import math
import re
from dataclasses import dataclass, field, replace
from functools import cache

from extraction.engines.rules import codebook
from extraction.engines.rules.codebook import clinical_lexicon, term_pattern
from extraction.engines.rules.diagnoses import has_qualifier
from extraction.engines.rules.findings import Findings, lowest_bp
from extraction.engines.rules.negation import Assertion, assertion, holds_no_cue
from extraction.engines.rules.prefilter import PrefilteredPattern, prefiltered
from extraction.engines.rules.sections import ClinicalNote, Span


@dataclass
class ServiceFinding:
    code: str
    evidence: Span
    justification: str
    units: int = 1
    modifiers: list[str] = field(default_factory=list)
    billed_test: str | None = None  # test name not to count again as MDM data
    indication_words: tuple[str, ...] = ()  # words linking the service to its assessment item


_NOT_TODAY = prefiltered(
    r"\b(?:if|consider|return for|will|plan(?:s|ned)?"
    r" (?:to|for)|discuss(?:ed)?|offer(?:ed)?|declined|"
    r"deferred|next (?:visit|time)|scheduled|schedul(?:e|ing) (?:for|next|to|her|him|them|a|an|the|"
    r"return|follow)|requests?|requested|last|prior|previous|previously|"
    r"history|h/o|due|recommend\w*|not yet|up to date|per (?:records|registry|report|school)|"
    r"at (?:his |her |the )?pharmacy|series complete|in (?:january|february|march|april|may|june|"
    r"july|august|september|october|november|december|the fall)|(?:19|20)\d\d)\b"
)
# Wording that looks back or ahead without moving the service off today: the risks named
# for consent ("after verbal consent (scarring, recurrence discussed)"), the interval that
# makes a vaccine due ("more than 10 years since last dose - Tdap given") and the screening
# answer that no earlier dose caused a reaction ("VIS given; no prior reactions"). Blanked
# before _NOT_TODAY is read, so their "discussed", "last" or "prior" do not send today's
# service elsewhere.
_TIMELESS_ASIDES = re.compile(
    r"\bconsent(?:ed)?\b(?:\s*\([^)]*\)|[^,.;()]*)"
    r"|\b(?:risks?|benefits?|alternatives?|complications?)\b[^.;]{0,80}?\bdiscussed\b"
    r"|\bsince (?:(?:the|his|her|their) )?last\b"
    r"|\b(?:no|denies|without) (?:\w+ )?(?:prior|previous|past) (?:\w+ )?"
    r"(?:reactions?|allergic reactions?|adverse (?:reactions?|events?)|problems)\b"
)


def _elsewhere_in_time(text: str) -> bool:
    """The sentence puts its service on another day (planned, past, declined), once the
    consent and due-interval asides are set aside."""
    return _NOT_TODAY.search(_TIMELESS_ASIDES.sub(" ", text)) is not None


_DONE = prefiltered(
    r"\b(?:performed|injected|aspirated|removed|administered|given|applied|treated"
    r" with|frozen|done|"
    r"obtained|completed|tolerated|drained|irrigated|curetted|disimpacted|scored|in[\s-]office|"
    r"in clinic|today|passed|failed|positive|negative|visually read|placed)\b"
)

# A service named but documented as not done: "ECG not indicated and not performed",
# "deferred spirometry", "patient refused the flu shot", "unable to obtain UA". Read only in
# the service's own clause ("I&D performed; packing not required" was done).
_NOT_DONE = prefiltered(
    r"\bnot (?:indicated|performed|done|obtained|completed|given|administered|"
    r"ordered|repeated|warranted)\b|\bdeferred\b|\bdeclined\b|\brefused\b|"
    r"\bcancel+ed\b|\bunable to (?:obtain|perform|complete)\b|\bpostponed\b"
)
_CLAUSE_END = re.compile(r"[;.\n]")

_MAJOR_JOINT = prefiltered(
    r"\bknee\b|\bshoulder\b|\bhip\b|subacromial|glenohumeral|trochanteric|pes anserine"
)
_INTERMEDIATE_JOINT = prefiltered(
    r"\belbow\b|\bwrist\b|\bankle\b|olecranon|acromioclavicular|\bac"
    r" joint\b|temporomandibular|\btmj\b"
)
_SMALL_JOINT = prefiltered(
    r"\bfinger\b|\bthumb\b|\btoe\b|\bmcp\b|\bpip\b|\bdip\b|\bmtp\b|metacarpophalangeal"
)
_JOINT_PROCEDURE = prefiltered(r"\binject(?:ed|ion)\b|\baspirat(?:ed|ion)\b|\barthrocentesis\b")
_TRIGGER_POINT = prefiltered(r"trigger[\s-]point")
_TENDON_SHEATH = prefiltered(r"tendon sheath|trigger finger|de quervain|flexor tendon")
_TENDON_ORIGIN = prefiltered(r"epicondyl|plantar fascia|tendon origin|tendon insertion")
_ULTRASOUND = prefiltered(r"ultrasound[\s-]guid|under ultrasound|us[\s-]guided|with ultrasound")
_NO_ULTRASOUND = prefiltered(r"no (?:imaging|ultrasound)|without (?:imaging|ultrasound)|landmark")

_DRUGS: list[tuple[PrefilteredPattern, str]] = [
    (prefiltered(r"triamcinolone|kenalog"), "triamcinolone acetonide"),
    (prefiltered(r"methylprednisolone acetate|depo[\s-]?medrol"), "methylprednisolone acetate"),
    (prefiltered(r"betamethasone|celestone"), "betamethasone"),
    (prefiltered(r"dexamethasone|decadron"), "dexamethasone"),
    (prefiltered(r"ketorolac|toradol"), "ketorolac"),
    (prefiltered(r"ceftriaxone|rocephin"), "ceftriaxone"),
    (prefiltered(r"cyanocobalamin|vitamin b12|\bb12\b"), "cyanocobalamin"),
    (prefiltered(r"medroxyprogesterone|depo[\s-]?provera"), "medroxyprogesterone"),
    (prefiltered(r"promethazine|phenergan"), "promethazine"),
    (prefiltered(r"ondansetron|zofran"), "ondansetron"),
    (prefiltered(r"diphenhydramine|benadryl"), "diphenhydramine"),
    (prefiltered(r"penicillin g benzathine|bicillin"), "penicillin g benzathine"),
]
_DOSE_AFTER = r"[^.\n;]{0,30}?(\d+(?:\.\d+)?)\s*(mg|mcg|million units|units)"
_IM_SC = prefiltered(
    r"\b(?:im|intramuscular(?:ly)?|subcutaneous(?:ly)?|subq|sq|deltoid|gluteal|ventrogluteal)\b"
)
_ECG = prefiltered(r"\b(?:12[\s-]lead\s+)?(?:ecg|ekg|electrocardiogram)\b")
_ECG_READ_ELSEWHERE = prefiltered(
    r"to be (?:formally )?read|read by cardiology|per cardiology|\bordered\b"
)
_ECG_DONE = prefiltered(
    r"performed|in[\s-]office|in clinic|interpreted by me|my interpretation|obtained today|done"
    r" today|tracing"
)
_UA = prefiltered(r"\b(?:ua|urinalysis|urine dipstick|dipstick)\b")
_UA_IN_OFFICE = prefiltered(
    r"dipstick|in[\s-]office|in (?:the )?clinic|in the office|\bpoc\b|point[\s-]of[\s-]care|"
    r"visually read|clean catch|strip analy[sz]er|urine analy[sz]er|clinitek"
)
_UA_AUTOMATED = prefiltered(r"automated|analy[sz]er|clinitek")
_UA_MICROSCOPY = prefiltered(r"(?<!no )(?<!without )microscop")

_POINT_OF_CARE_TESTS: list[tuple[str, PrefilteredPattern, str]] = [
    ("87880", prefiltered(r"rapid strep|strep (?:a )?(?:antigen|screen)"), "rapid strep"),
    (
        "87804",
        prefiltered(r"rapid (?:flu|influenza)|influenza (?:a/b )?(?:rapid )?antigen"),
        "influenza test",
    ),
    (
        "87811",
        prefiltered(r"(?:rapid )?covid(?:-19)? antigen|sars-cov-2 antigen|rapid covid"),
        "covid test",
    ),
    ("86308", prefiltered(r"monospot|mono spot|heterophile"), "monospot"),
    ("81025", prefiltered(r"urine (?:pregnancy test|hcg)|\bupt\b"), "pregnancy test"),
    (
        "82962",
        prefiltered(
            r"(?:fingerstick|finger[\s-]stick|poc|point[\s-]of[\s-]care|capillary) (?:blood"
            r" )?glucose|\bfsbg\b|\bcbg\b"
        ),
        "glucose",
    ),
    (
        "83036",
        prefiltered(r"(?:poc|point[\s-]of[\s-]care|in[\s-]office|fingerstick) (?:hb)?a1c"),
        "a1c",
    ),
    (
        "85018",
        prefiltered(
            r"(?:poc|fingerstick|point[\s-]of[\s-]care) (?:hemoglobin|hgb)|(?:hemoglobin|hgb) "
            r"(?:poc|point[\s-]of[\s-]care|fingerstick)|hemocue"
        ),
        "hemoglobin",
    ),
]
_RESULT = prefiltered(r"\b(?:positive|negative|pos|neg|result|detected|not detected|\d)")

_CERUMEN = prefiltered(r"cerumen|ear ?wax")
_CERUMEN_DONE = prefiltered(r"removed|removal|disimpact|irrigat|curette|lavage|extracted|cleared")
_CERUMEN_INSTRUMENT = prefiltered(r"curette|forceps|\bloop\b|suction|instrument|alligator")
_BIOPSY = [
    (prefiltered(r"shave biops|tangential biops"), "11102"),
    (prefiltered(r"punch biops"), "11104"),
    (prefiltered(r"incisional biops"), "11106"),
]
_DESTRUCTION = prefiltered(
    r"cryotherapy|liquid nitrogen|\bcryo\b|cryoablation|destroyed|destruction|electrodesiccat"
)
_BENIGN_LESION = prefiltered(r"wart|verruca|molluscum|seborrheic keratos|skin tag|acrochordon")
_PREMALIGNANT = prefiltered(r"actinic keratos|\baks?\b")
# "4 warts", "16 common warts", "3 flat facial warts", "the five lesions": up to two
# describing words between; or the count after the lesions ("actinic keratoses x5").
_COUNT_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
}  # fmt: skip
_LESION_WORDS = r"lesions|warts|verrucae|aks|actinic keratoses"
_LESION_COUNT = prefiltered(
    rf"(\d{{1,2}}|\b(?:{'|'.join(_COUNT_WORDS)}))\s+(?:[a-z]+\s+){{0,2}}?(?:{_LESION_WORDS}|sites)"
    rf"|\b(?:{_LESION_WORDS})\s*(?:x|\u00d7)\s*(\d{{1,2}})\b"
)
_INCISION_DRAINAGE = prefiltered(r"incision and drainage|\bi&d\b|\bi and d\b")
# CPT 99188: topical fluoride varnish applied by a physician or other qualified health care
# professional. Only the varnish: a fluoride toothpaste or supplement is advice, not the service.
_FLUORIDE_VARNISH = prefiltered(r"\bvarnish")
_VARNISH_APPLIED = prefiltered(r"\b(?:applied|painted|placed|administered|given|done|performed)\b")
# An assessment item naming what an I&D treats is part of the procedure (CMS global surgery
# booklet: the decision for a minor procedure is included in it).
_ABSCESS_WORDS = (
    "i&d",
    "incision",
    "drain",
    "abscess",
    "furuncle",
    "carbuncle",
    "boil",
    "paronychia",
)
# The conditions a destruction treats: an assessment item naming them is part of the
# procedure's global package, like an abscess with its I&D.
_DESTRUCTION_WORDS = ("cryo", "destr", "liquid nitrogen")
_BENIGN_LESION_WORDS = (
    *_DESTRUCTION_WORDS,
    "wart",
    "verruc",
    "molluscum",
    "seborrheic keratos",
    "skin tag",
    "acrochordon",
)
_PREMALIGNANT_WORDS = (*_DESTRUCTION_WORDS, "actinic keratos")
_NEBULIZER = prefiltered(
    r"(?:nebuli[sz]er|\bneb\b|duoneb)[^.\n]{0,60}(?:given|administered|in (?:clinic|office))"
)
_SPIROMETRY = prefiltered(r"spirometry")
# "Vision: LEA symbols at 10 ft, 20/32 each eye" is a screen too, named by its chart.
_VISION = prefiltered(
    r"visual acuity|vision screen|\bvision:|snellen|\bhotv\b|\blea (?:symbols|chart)"
)
_VISION_OPTOTYPE = prefiltered(r"snellen|hotv|\blea\b|sloan|tumbling|optotype|\bchart\b|20/\d{2,3}")
_VISION_INSTRUMENT = prefiltered(r"photoscreen|spot vision|instrument[\s-]based|plusoptix")
_VISION_ELSEWHERE = prefiltered(
    r"school|per report|not required|reports no|per (?:the )?school nurse"
)
_HEARING = prefiltered(r"audiometr|pure[\s-]tone|audiogram|hearing screen")
_HEARING_DONE = prefiltered(r"passed|failed|\bdb\b|\bhz\b|refer")
_TYMPANOMETRY = prefiltered(r"tympanometr|tympanogram")

# Given today: said outright, or written as an administration record (a route, a dose number,
# a site or a lot: "Hep A, dose #2, IM R thigh").
_VACCINE_GIVEN = prefiltered(
    r"\b(?:given|administered|vaccinated|injected|received today)\b|\btoday\b"
    r"|\b(?:im|intramuscular(?:ly)?|subcut(?:aneous(?:ly)?)?|subq|intranasal(?:ly)?)\b"
    r"|\bdose\s*#\s*\d|\blot\b|\bdeltoid\b|\bthigh\b"
)
_VACCINE_COUNSEL = prefiltered(r"counsel|\bvis\b|discussed (?:risks|benefits)|vaccine information")
# A sentence about the vaccines given today (where their counselling is usually written).
_VACCINE_CONTEXT = prefiltered(r"vaccin|immuni[sz]|\bvis\b|\bshots?\b")


@dataclass(frozen=True)
class VaccineProduct:
    code: str
    vaccine: str
    components: int
    oral_or_nasal: bool
    medicare_admin: str | None
    min_age: float | None
    max_age: float | None
    pattern: PrefilteredPattern

    def fits_age(self, age_years: float | None) -> bool:
        if age_years is None:
            return True
        return (self.min_age is None or age_years >= self.min_age) and (
            self.max_age is None or age_years < self.max_age
        )


@cache
def _vaccine_products() -> tuple[VaccineProduct, ...]:
    return tuple(
        VaccineProduct(
            code=row["code"],
            vaccine=row["vaccine"],
            components=int(row.get("components", 1)),
            oral_or_nasal=row.get("route", "injection") != "injection",
            medicare_admin=row.get("medicare_admin"),
            min_age=row.get("min_age"),
            max_age=row.get("max_age"),
            pattern=prefiltered("|".join(f"(?:{p})" for p in row["patterns"])),
        )
        for row in codebook.vaccine_products()
    )


# CPT 90785: play equipment or other devices, a sentinel event, a mandated report, or the need
# to manage maladaptive communication among participants (anxiety, reactivity, disagreement)
# that complicates care; language interpretation alone does not qualify (CPT 2025, Psychiatry
# guidelines, "Interactive Complexity").
_INTERACTIVE_COMPLEXITY = prefiltered(
    r"interactive complexity|play (?:therapy|equipment)|sign language|conflicting"
    r" (?:caregivers|parents|"
    r"accounts)|mandated report|report(?:ed)? to (?:cps|child protective|aps|adult"
    r" protective)|sentinel event|maladaptive communication"
    r"|(?:parents|caregivers|family members|participants|mother and father|father and mother)"
    r" (?:\w+ ){0,2}(?:argued|argu(?:e|ing) with each other|blamed each other|blaming each other"
    r"|disagreed|yelled|shouted at each other)"
    r"|redirect(?:ed|ing)? the (?:parents|caregivers|family)"
)


def _sentences_matching(note: ClinicalNote, pattern: PrefilteredPattern) -> list[Span]:
    return note.sentences_matching(pattern)


def _done_today(note: ClinicalNote, span: Span) -> bool:
    text = note.lower[span.start : span.end]
    in_procedure = note.section_kind_at(span.start) == "procedure"
    if _elsewhere_in_time(text):
        return False
    if in_procedure:
        return True
    # "performed" counts, "not performed" does not.
    if holds_no_cue(note.lower, span.start, span.end):
        return bool(_DONE.search(text))
    return any(
        assertion(note.lower, m.start(), m.end(), floor=span.start, ceiling=span.end)
        is not Assertion.NEGATED
        for m in _DONE.finditer(note.lower, span.start, span.end)
    )


def _not_done(note: ClinicalNote, span: Span, mention: PrefilteredPattern) -> bool:
    """The sentence says the service was not done, or negates every mention of it ("no ECG
    today"; but "ECG performed ..., no prior ECG for comparison" was done)."""
    lower = note.lower
    statuses: list[Assertion] = []
    for match in mention.finditer(lower, span.start, span.end):
        before = lower[max(span.start, match.start() - 40) : match.start()]
        before = _CLAUSE_END.split(before)[-1]
        after = _CLAUSE_END.split(lower[match.end() : min(span.end, match.end() + 60)])[0]
        if _NOT_DONE.search(before) or _NOT_DONE.search(after):
            return True
        statuses.append(
            assertion(lower, match.start(), match.end(), floor=span.start, ceiling=span.end)
        )
    return bool(statuses) and all(status is Assertion.NEGATED for status in statuses)


def _laterality(note: ClinicalNote, span: Span) -> list[str]:
    lower = note.lower
    if has_qualifier(lower, "bilateral", span.start, span.end):
        return ["50"]
    if has_qualifier(lower, "right", span.start, span.end):
        return ["RT"]
    if has_qualifier(lower, "left", span.start, span.end):
        return ["LT"]
    return []


def detect_procedures(
    note: ClinicalNote, *, office_setting: bool, payer: str
) -> list[ServiceFinding]:
    """Procedures and in-office tests done today (office, home and preventive settings)."""
    if not office_setting:
        return []
    found: list[ServiceFinding] = []
    found.extend(_injections(note))
    found.extend(_skin_and_ear(note))
    found.extend(_in_office_tests(note))
    found.extend(_wound_repair(note))
    found.extend(_fluoride_varnish(note))
    return found


def _fluoride_varnish(note: ClinicalNote) -> list[ServiceFinding]:
    """Fluoride varnish applied today (99188); one application per visit."""
    lower = note.lower
    for span in _sentences_matching(note, _FLUORIDE_VARNISH):
        text = lower[span.start : span.end]
        if (
            _VARNISH_APPLIED.search(text)
            and _done_today(note, span)
            and not _not_done(note, span, _FLUORIDE_VARNISH)
        ):
            return [ServiceFinding("99188", span, "Topical fluoride varnish applied today")]
    return []


def _injections(note: ClinicalNote) -> list[ServiceFinding]:
    found: list[ServiceFinding] = []
    lower = note.lower
    joint_sentences = [
        s for s in _sentences_matching(note, _JOINT_PROCEDURE) if _done_today(note, s)
    ]
    joint_code: ServiceFinding | None = None
    for span in joint_sentences:
        text = lower[span.start : span.end]
        if _TRIGGER_POINT.search(text):
            many = re.search(
                r"\b(?:[3-9]|three|four|five|six) (?:muscles|sites|trigger points)", text
            )
            code, why = ("20553", "3 or more muscles") if many else ("20552", "1 or 2 muscles")
            joint_code = joint_code or ServiceFinding(
                code, span, f"Trigger point injection, {why}", indication_words=("trigger point",)
            )
        elif _TENDON_SHEATH.search(text):
            joint_code = joint_code or ServiceFinding(
                "20550",
                span,
                "Tendon sheath injection",
                modifiers=_laterality(note, span),
                indication_words=("inject",),
            )
        elif _TENDON_ORIGIN.search(text):
            joint_code = joint_code or ServiceFinding(
                "20551",
                span,
                "Tendon origin/insertion injection",
                modifiers=_laterality(note, span),
                indication_words=("inject",),
            )
        elif _MAJOR_JOINT.search(text):
            guided = _ULTRASOUND.search(text) and not _NO_ULTRASOUND.search(text)
            code = "20611" if guided else "20610"
            joint_code = joint_code or ServiceFinding(
                code,
                span,
                "Major joint injection/aspiration"
                + (" with ultrasound guidance" if guided else " without ultrasound"),
                modifiers=_laterality(note, span),
                indication_words=("inject", "aspirat", "arthrocentesis"),
            )
        elif _INTERMEDIATE_JOINT.search(text):
            joint_code = joint_code or ServiceFinding(
                "20605",
                span,
                "Intermediate joint injection/aspiration",
                modifiers=_laterality(note, span),
                indication_words=("inject", "aspirat"),
            )
        elif _SMALL_JOINT.search(text):
            joint_code = joint_code or ServiceFinding(
                "20600",
                span,
                "Small joint injection/aspiration",
                modifiers=_laterality(note, span),
                indication_words=("inject", "aspirat"),
            )
        elif joint_code and not joint_code.modifiers:
            joint_code.modifiers = _laterality(note, span)
    if joint_code:
        found.append(joint_code)
    drugs = _injected_drugs(note, _drug_sentences(note))
    found.extend(drugs)
    if drugs and not joint_code:
        therapeutic = [d for d in drugs if _IM_SC.search(lower, d.evidence.start, d.evidence.end)]
        if therapeutic:
            found.append(
                ServiceFinding(
                    "96372",
                    therapeutic[0].evidence,
                    "Therapeutic IM/SC injection given in the office",
                    indication_words=("injection", " im ", "intramuscular"),
                )
            )
    return found


def _drug_sentences(note: ClinicalNote) -> list[Span]:
    """Sentences that can record a drug given today: an injection or an IM/SC route named, or
    inside a procedure note."""
    lower = note.lower
    candidates = (
        note.all_sentences
        if note.sections_of("procedure")
        else note.sentences_mentioning(_JOINT_PROCEDURE, _IM_SC)
    )
    return [
        s
        for s in candidates
        if (
            _JOINT_PROCEDURE.search(lower, s.start, s.end)
            or _IM_SC.search(lower, s.start, s.end)
            or note.section_kind_at(s.start) == "procedure"
        )
        and _done_today(note, s)
    ]


def _injected_drugs(note: ClinicalNote, sentences: list[Span]) -> list[ServiceFinding]:
    found: dict[str, ServiceFinding] = {}
    for span in sentences:
        text = note.lower[span.start : span.end]
        for pattern, drug in _DRUGS:
            match = pattern.search(text)
            if not match:
                continue
            dose_match = re.search(_DOSE_AFTER, text[match.start() :]) or re.search(
                r"(\d+(?:\.\d+)?)\s*(mg|mcg|million units|units)\s*(?:of\s+)?$",
                text[: match.start()],
            )
            options = [c for c in codebook.procedure_codes().values() if c.drug == drug]
            if not options:
                continue
            chosen, units = _drug_units(options, dose_match)
            if chosen.code not in found:
                found[chosen.code] = ServiceFinding(
                    chosen.code,
                    span,
                    f"{drug} supplied and given in the office ({chosen.descriptor})",
                    units=units,
                )
    return list(found.values())


def _drug_units(
    options: list[codebook.ProcedureCode], dose_match: re.Match[str] | None
) -> tuple[codebook.ProcedureCode, int]:
    options = sorted(options, key=lambda c: c.unit_mg or 0)
    if dose_match is None:
        return options[0], 1
    amount, unit = float(dose_match.group(1)), dose_match.group(2)
    if unit == "million units":
        return options[0], max(1, round(amount * 10))
    if unit == "units":
        return options[0], max(1, math.ceil(amount / 100000))
    if unit == "mcg":
        amount = amount / 1000
    for option in reversed(options):
        if option.unit_mg and amount >= option.unit_mg and amount % option.unit_mg == 0:
            return option, int(amount // option.unit_mg)
    first = options[0]
    return first, max(1, math.ceil(amount / first.unit_mg)) if first.unit_mg else 1


def _skin_and_ear(note: ClinicalNote) -> list[ServiceFinding]:
    found: list[ServiceFinding] = []
    lower = note.lower
    for span in _sentences_matching(note, _CERUMEN):
        text = lower[span.start : span.end]
        if _CERUMEN_DONE.search(text) and _done_today(note, span):
            code = "69210" if _CERUMEN_INSTRUMENT.search(text) else "69209"
            found.append(
                ServiceFinding(
                    code,
                    span,
                    "Impacted cerumen removed today",
                    modifiers=_laterality(note, span),
                    indication_words=("cerumen", "wax"),
                )
            )
            break
    for pattern, code in _BIOPSY:
        spans = [s for s in _sentences_matching(note, pattern) if _done_today(note, s)]
        if spans:
            found.append(
                ServiceFinding(
                    code, spans[0], "Skin biopsy performed today", indication_words=("biops",)
                )
            )
    for span in _sentences_matching(note, _DESTRUCTION):
        if not _done_today(note, span):
            continue
        text = lower[span.start : span.end]
        lesions = _lesion_count(note, span)
        if not (_PREMALIGNANT.search(text) or _BENIGN_LESION.search(text)):
            # "cryotherapy to each of the 4 lesions": the note says elsewhere what they are
            # ("Assessment: verruca vulgaris, R hand x 4").
            text = lower
        if _PREMALIGNANT.search(text):
            if lesions >= 15:
                found.append(
                    ServiceFinding(
                        "17004",
                        span,
                        f"Destruction of {lesions} premalignant lesions",
                        indication_words=_PREMALIGNANT_WORDS,
                    )
                )
            else:
                found.append(
                    ServiceFinding(
                        "17000",
                        span,
                        "Destruction of a premalignant lesion",
                        indication_words=_PREMALIGNANT_WORDS,
                    )
                )
                if lesions > 1:
                    found.append(
                        ServiceFinding(
                            "17003", span, "Each further premalignant lesion", units=lesions - 1
                        )
                    )
        elif _BENIGN_LESION.search(text):
            code = "17111" if lesions >= 15 else "17110"
            found.append(
                ServiceFinding(
                    code,
                    span,
                    f"Destruction of benign lesion(s): {lesions}",
                    indication_words=_BENIGN_LESION_WORDS,
                )
            )
        break
    spans = [s for s in _sentences_matching(note, _INCISION_DRAINAGE) if _done_today(note, s)]
    if spans:
        found.append(
            ServiceFinding(
                "10060",
                spans[0],
                "Incision and drainage of an abscess",
                indication_words=_ABSCESS_WORDS,
            )
        )
    return found


def _lesion_count(note: ClinicalNote, span: Span) -> int:
    """How many lesions were destroyed: said in the procedure's sentence, else elsewhere in
    its procedure section ("Each of the five lesions treated"), else in the assessment that
    lists them ("Actinic keratoses x5"); one when the note gives no count (CPT 17000/17003
    and 17110/17111 are counted per lesion)."""
    regions = [span]
    regions += [
        Span(s.body_start, s.end)
        for s in note.sections_of("procedure")
        if s.start <= span.start < s.end
    ]
    regions += [Span(s.body_start, s.end) for s in note.sections_of("assessment")]
    for region in regions:
        match = _LESION_COUNT.search(note.lower, region.start, region.end)
        if match:
            number = match.group(1) or match.group(2)
            return _COUNT_WORDS.get(number) or int(number)
    return 1


# Wound repair (CPT 12001-12057, "Repair (Closure)" guidelines): a closure done today, coded
# by depth (simple: one layer, tissue adhesive included; intermediate: layered closure), by the
# site class of its code family and by the length repaired in cm. Suture or staple removal
# is not a repair, and a repair done elsewhere ("sutured at urgent care 3 days ago") is not
# today's. Complex repair (13100-13153) is not in the codebook, so it is left uncoded.
_WOUND_REPAIR = prefiltered(
    r"\b(?:laceration|wound|skin|simple|intermediate|layered|primary) (?:repair|closure)\b"
    r"|\bcm repaired\b|\brepair(?:ed)? (?:of )?(?:the |a |his |her )?(?:\w+ ){0,2}"
    r"(?:laceration|wound)|\bsutured\b|\bclosed (?:primarily )?"
    r"(?:in (?:a |one |two |2 )?(?:single |one |two |2 )?layers? )?with\b|sutures? (?:were )?placed"
    r"|staples? (?:were )?placed|staple closure|tissue adhesive|dermabond|skin glue"
)
_NOT_A_REPAIR = prefiltered(
    r"suture removal|sutures? (?:were |was )?removed|remov\w* (?:the |of )?(?:sutures|staples)"
    r"|staples? removed|\bago\b|\byesterday\b|urgent care|\bin the (?:ed|er|emergency)"
)
_WOUND = prefiltered(r"lacerat|\bwound\b|\bcut\b")
_LAYERED_CLOSURE = prefiltered(
    r"\bintermediate\b|\blayered\b|\b(?:two|2|multi)[\s-]?layers?\b|\bdeep (?:sutures?|dermal)"
    r"|subcutaneous (?:sutures?|closure|layer)|subcuticular|\bburied\b"
)
_COMPLEX_REPAIR = prefiltered(r"complex (?:repair|closure)|\bdebrid|\bundermin|retention sutures")
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)[\s-]*(cm|mm)\b")
_TOTAL_LENGTH = re.compile(r"\btotal\b[^.;\d]{0,30}?(\d+(?:\.\d+)?)[\s-]*(cm|mm)\b")
_REPAIR_SITES: tuple[tuple[str, PrefilteredPattern], ...] = (
    (
        "face",
        prefiltered(
            r"\b(?:face|facial|forehead|cheek|chin|nose|nasal|lips?|ears?|earlobe|eyelids?|"
            r"eyebrow|brow|temple|philtrum|vermilion|mucosa|mucous membrane|intraoral)\b"
        ),
    ),
    (
        "hands_feet_neck",
        prefiltered(
            r"\b(?:hands?|palm|palmar|thenar|hypothenar|fingers?|fingertip|thumb|digit|knuckle|"
            r"feet|foot|toes?|sole|heel|plantar|neck|penis|penile|scrot\w*|labia\w*|vulva\w*|"
            r"genital\w*)\b"
        ),
    ),
)


def _wound_repair(note: ClinicalNote) -> list[ServiceFinding]:
    """A laceration or wound closed today, with its repair code (12001-12057)."""
    lower = note.lower
    repairs = [
        s
        for s in _sentences_matching(note, _WOUND_REPAIR)
        if _done_today(note, s) and not _NOT_A_REPAIR.search(lower, s.start, s.end)
    ]
    if not repairs:
        return []
    context = [*repairs, *(Span(p.body_start, p.end) for p in note.sections_of("procedure"))]
    text = "\n".join(lower[s.start : s.end] for s in context)
    if _COMPLEX_REPAIR.search(text):
        return []
    wounds = "\n".join(lower[s.start : s.end] for s in _sentences_matching(note, _WOUND))
    length = _repair_length(text, wounds)
    if length is None:
        return []
    depth = "intermediate" if _LAYERED_CLOSURE.search(text) else "simple"
    site = _repair_site(text) or _repair_site(wounds) or "trunk_limbs"
    code = _repair_code(depth, site, length)
    if code is None:
        return []
    return [
        ServiceFinding(
            code.code,
            repairs[0],
            f"{depth.capitalize()} repair, {length:g} cm ({code.descriptor})",
            indication_words=("lacerat", "wound"),
        )
    ]


def _repair_length(repair_text: str, wound_text: str) -> float | None:
    """The length repaired in cm: a stated total first, then the first length in the repair's
    own wording, then the first length given for the wound (the exam's measurement)."""
    match = (
        _TOTAL_LENGTH.search(repair_text)
        or _LENGTH.search(repair_text)
        or _LENGTH.search(wound_text)
    )
    if match is None:
        return None
    value = float(match.group(1))
    return value / 10 if match.group(2) == "mm" else value


def _repair_site(text: str) -> str | None:
    """The site class named first in ``text`` (face; hands, feet or neck), or None."""
    found = [
        (match.start(), name)
        for name, pattern in _REPAIR_SITES
        if (match := pattern.search(text)) is not None
    ]
    return min(found)[1] if found else None


def _repair_code(depth: str, site: str, length: float) -> codebook.ProcedureCode | None:
    """The code of the depth and site class whose length band holds ``length``."""
    family = [
        c
        for c in codebook.family_codes("wound_repair")
        if c.repair == depth and site in c.repair_sites
    ]
    family.sort(key=lambda c: c.max_cm if c.max_cm is not None else math.inf)
    return next((c for c in family if c.max_cm is None or length <= c.max_cm), None)


def _in_office_tests(note: ClinicalNote) -> list[ServiceFinding]:
    found: list[ServiceFinding] = []
    lower = note.lower
    for span in _sentences_matching(note, _ECG):
        if _not_done(note, span, _ECG):
            continue
        text = lower[span.start : span.end]
        match = _ECG.search(text)
        before = text[max(0, match.start() - 30) : match.start()]
        if re.search(
            r"(?:prior|previous|old|outside|reviewed)\s*$", before
        ) or _ECG_READ_ELSEWHERE.search(text):
            continue
        if _ECG_DONE.search(text):
            found.append(
                ServiceFinding(
                    "93000",
                    span,
                    "12-lead ECG with interpretation and report by the clinician",
                    billed_test="ecg",
                )
            )
            break
    for span in _sentences_matching(note, _UA):
        text = lower[span.start : span.end]
        if not _UA_IN_OFFICE.search(text) or not _RESULT.search(text):
            continue
        if _not_done(note, span, _UA):
            continue
        if (
            _UA_MICROSCOPY.search(text)
            and "no microscop" not in text
            and "without microscop" not in text
        ):
            continue
        code = "81003" if _UA_AUTOMATED.search(text) else "81002"
        found.append(
            ServiceFinding(
                code,
                span,
                "Urinalysis by dipstick in the office, no microscopy",
                billed_test="urinalysis",
            )
        )
        break
    for code, pattern, test_name in _POINT_OF_CARE_TESTS:
        for span in _sentences_matching(note, pattern):
            text = lower[span.start : span.end]
            if (
                _RESULT.search(text)
                and not _NOT_TODAY.search(text)
                and not _not_done(note, span, pattern)
            ):
                found.append(
                    ServiceFinding(
                        code,
                        span,
                        f"Point-of-care {test_name} done in the office",
                        billed_test=test_name,
                    )
                )
                break
    for span in _sentences_matching(note, _SPIROMETRY):
        if _done_today(note, span):
            text = lower[span.start : span.end]
            code = (
                "94060"
                if re.search(r"bronchodilator|pre[\s/-]?(?:and[\s-])?post", text)
                else "94010"
            )
            found.append(
                ServiceFinding(
                    code, span, "Spirometry performed in the office", billed_test="spirometry"
                )
            )
            break
    for span in _sentences_matching(note, _NEBULIZER):
        if not _NOT_TODAY.search(lower, span.start, span.end) and not _not_done(
            note, span, _NEBULIZER
        ):
            found.append(
                ServiceFinding(
                    "94640", span, "Nebulized bronchodilator treatment given in the office"
                )
            )
            break
    return found


def within_ippe(services: list[ServiceFinding]) -> list[ServiceFinding]:
    """Services beside a Medicare IPPE (G0402): its components are not billed apart (the
    visual acuity screen) and its screening ECG has its own code (G0403 for 93000).
    CMS MLN6775421; the mapping lives in procedure_codes.json ("with_ippe")."""
    kept: list[ServiceFinding] = []
    for service in services:
        info = codebook.lookup(service.code)
        replacement = info.with_ippe if info else None
        if replacement == "included":
            continue
        if replacement:
            service = replace(
                service,
                code=replacement,
                justification=f"{service.justification}, as the IPPE screening service",
            )
        kept.append(service)
    return kept


def detect_screenings(
    note: ClinicalNote,
    *,
    preventive: bool,
    behavioral: bool,
    medicare: bool,
    awv_initial: bool,
    age_years: float | None,
) -> list[ServiceFinding]:
    """Screening instruments and preventive tests (Bright Futures; CMS G0444)."""
    found: list[ServiceFinding] = []
    lower = note.lower
    for span in _sentences_matching(note, _VISION):
        text = lower[span.start : span.end]
        if _VISION_ELSEWHERE.search(text) or _not_done(note, span, _VISION):
            continue
        if _VISION_INSTRUMENT.search(text):
            found.append(
                ServiceFinding("99177", span, "Instrument-based vision screening done here")
            )
            break
        if _VISION_OPTOTYPE.search(text) and re.search(r"20/\d{2,3}|passed|failed", text):
            found.append(
                ServiceFinding(
                    "99173", span, "Quantitative visual acuity screening with an optotype chart"
                )
            )
            break
    for span in _sentences_matching(note, _HEARING):
        text = lower[span.start : span.end]
        if "whisper" in text or not _HEARING_DONE.search(text) or _not_done(note, span, _HEARING):
            continue
        code = "92552" if "threshold" in text else "92551"
        found.append(ServiceFinding(code, span, "Pure-tone hearing screening, air conduction"))
        break
    for span in _sentences_matching(note, _TYMPANOMETRY):
        if _done_today(note, span):
            found.append(ServiceFinding("92567", span, "Tympanometry performed"))
            break
    if behavioral:
        return found
    lexicon = clinical_lexicon()
    developmental = _scored_instruments(note, lexicon["developmental_instruments"])
    if developmental:
        found.append(
            ServiceFinding(
                "96110",
                developmental[0][1],
                f"Developmental screening with a standardized instrument ({developmental[0][0]})"
                f" scored",
            )
        )
    caregiver = _scored_instruments(note, lexicon["caregiver_instruments"])
    if caregiver and age_years is not None and age_years < 1:
        found.append(
            ServiceFinding(
                "96161", caregiver[0][1], "Caregiver-focused health risk instrument scored"
            )
        )
    emotional = _scored_instruments(note, lexicon["emotional_instruments"])
    if medicare and (preventive or emotional):
        depression = _scored_instruments(note, lexicon["depression_instruments"])
        screening_words = re.search(
            r"depression screen|screening for depression|annual depression", lower
        )
        if depression and screening_words and not awv_initial:
            span = Span(screening_words.start(), screening_words.end())
            found.append(
                ServiceFinding(
                    "G0444",
                    note.sentence_at(span.start),
                    "Annual depression screening with a standardized instrument (Medicare)",
                )
            )
        return found
    if emotional and not (preventive and medicare):
        names = sorted({name for name, _ in emotional})
        found.append(
            ServiceFinding(
                "96127",
                emotional[0][1],
                "Brief emotional/behavioural assessment, scored: " + ", ".join(names),
                units=len(names),
            )
        )
    return found


@cache
def _instrument_pattern(words: tuple[str, ...]) -> PrefilteredPattern:
    return prefiltered(term_pattern(list(words)))


def _scored_instruments(note: ClinicalNote, words: list[str]) -> list[tuple[str, Span]]:
    """Instruments with a score or result written next to them."""
    pattern = _instrument_pattern(tuple(words))
    found: dict[str, Span] = {}
    for match in pattern.finditer(note.lower):
        tail = note.lower[match.end() : match.end() + 60]
        if re.match(
            r"[^.\n]{0,25}?(?:\d|score|completed|scored|negative|positive|passed|above"
            r" cutoff|normal)",
            tail,
        ):
            name = (
                re.sub(r"[\s\-]", "", match.group())
                .replace("phq9", "phq-9")
                .replace("gad7", "gad-7")
            )
            key = {"phqa": "phq-a", "asq3": "asq-3", "mchat": "m-chat"}.get(name, name)
            sentence = note.sentence_at(match.start())
            found.setdefault(
                key, sentence if sentence.end > sentence.start else Span(match.start(), match.end())
            )
    return list(found.items())


def _vaccines_given(
    note: ClinicalNote, age_years: float | None
) -> list[tuple[VaccineProduct, Span]]:
    """Each vaccine given today once, with the sentence that says so. A combination product
    claims its words, so its parts ("DTaP" in "DTaP-IPV") are not read again; an age-specific
    product is skipped for another age, leaving the next entry of the same vaccine."""
    lower = note.lower
    claimed: list[tuple[int, int]] = []
    given: dict[str, tuple[VaccineProduct, Span]] = {}
    for product in _vaccine_products():
        if product.vaccine in given or not product.fits_age(age_years):
            continue
        for span in _sentences_matching(note, product.pattern):
            text = lower[span.start : span.end]
            fresh = [
                m
                for m in product.pattern.finditer(lower, span.start, span.end)
                if not any(a <= m.start() and m.end() <= b for a, b in claimed)
            ]
            if (
                fresh
                and _VACCINE_GIVEN.search(text)
                and not _elsewhere_in_time(text)
                and not _not_done(note, span, product.pattern)
            ):
                given[product.vaccine] = (product, span)
                claimed.extend((m.start(), m.end()) for m in fresh)
                break
    return list(given.values())


def _counselled(note: ClinicalNote, spans: list[Span]) -> bool:
    """Physician/QHP counselling about the vaccines: in a vaccine sentence, in the sentence
    right after one, or in any sentence about today's immunizations."""
    lower = note.lower
    for span in spans:
        after = note.sentence_at(min(span.end + 1, len(lower) - 1))
        for sentence in (span, after):
            if _VACCINE_COUNSEL.search(lower, sentence.start, sentence.end):
                return True
    return any(
        _VACCINE_CONTEXT.search(lower, s.start, s.end)
        and not _NOT_TODAY.search(lower, s.start, s.end)
        for s in _sentences_matching(note, _VACCINE_COUNSEL)
    )


def detect_vaccines(
    note: ClinicalNote, *, medicare: bool, age_years: float | None
) -> list[ServiceFinding]:
    """Vaccine products given today (``vaccines.json``), with their administration codes.

    CPT: under 19 with physician/QHP counselling, 90460 per vaccine and 90461 per further
    component (a combination vaccine counts each antigen); otherwise 90471 for the first
    injected vaccine and 90472 for each further one, 90473/90474 for oral or intranasal ones
    (90474 when an injection took the first-vaccine code). Medicare Part B pays influenza,
    pneumococcal and hepatitis B administration with G0008/G0009/G0010 instead.
    """
    products = _vaccines_given(note, age_years)
    found: list[ServiceFinding] = []
    cpt_admin: list[tuple[VaccineProduct, Span]] = []
    for product, span in products:
        found.append(ServiceFinding(product.code, span, "Vaccine product given today"))
        if medicare and product.medicare_admin:
            found.append(
                ServiceFinding(
                    product.medicare_admin, span, "Vaccine administration (Medicare G-code)"
                )
            )
        else:
            cpt_admin.append((product, span))
    if not cpt_admin:
        return found
    spans = [span for _, span in cpt_admin]
    if age_years is not None and age_years < 19 and _counselled(note, spans):
        found.append(
            ServiceFinding(
                "90460",
                spans[0],
                "Vaccine administration with counselling, under 19, first component of each"
                " vaccine",
                units=len(cpt_admin),
            )
        )
        extra = sum(product.components - 1 for product, _ in cpt_admin)
        if extra:
            found.append(
                ServiceFinding(
                    "90461",
                    next(s for p, s in cpt_admin if p.components > 1),
                    "Vaccine administration with counselling, each further component",
                    units=extra,
                )
            )
        return found
    injected = [span for product, span in cpt_admin if not product.oral_or_nasal]
    other = [span for product, span in cpt_admin if product.oral_or_nasal]
    if injected:
        found.append(ServiceFinding("90471", injected[0], "Vaccine administration, first vaccine"))
        if len(injected) > 1:
            found.append(
                ServiceFinding(
                    "90472",
                    injected[1],
                    "Vaccine administration, each further injected vaccine",
                    units=len(injected) - 1,
                )
            )
    if other and injected:
        found.append(
            ServiceFinding(
                "90474",
                other[0],
                "Vaccine administration, each further oral or intranasal vaccine",
                units=len(other),
            )
        )
    elif other:
        found.append(
            ServiceFinding("90473", other[0], "Vaccine administration, oral or intranasal")
        )
        if len(other) > 1:
            found.append(
                ServiceFinding(
                    "90474",
                    other[1],
                    "Vaccine administration, each further oral or intranasal vaccine",
                    units=len(other) - 1,
                )
            )
    return found


def detect_counselling(
    note: ClinicalNote, findings: Findings, *, awv: bool
) -> list[ServiceFinding]:
    """Time-based counselling: tobacco cessation (>3 min), advance care planning (16+ min)."""
    found: list[ServiceFinding] = []
    tobacco = findings.tobacco_counselling_time
    if tobacco and findings.tobacco_status == "current" and tobacco.value > 3:
        code = "99407" if tobacco.value > 10 else "99406"
        found.append(
            ServiceFinding(
                code,
                tobacco.span,
                f"Tobacco cessation counselling, {tobacco.value:g} min documented",
            )
        )
    acp = findings.acp_time
    if acp and acp.value >= 16:
        modifiers = ["33"] if awv else []
        found.append(
            ServiceFinding(
                "99497",
                acp.span,
                f"Advance care planning, {acp.value:g} min documented",
                modifiers=list(modifiers),
            )
        )
        if acp.value >= 46:
            units = 1 + int((acp.value - 46) // 30)
            found.append(
                ServiceFinding(
                    "99498",
                    acp.span,
                    "Advance care planning, each further 30 min",
                    units=units,
                    modifiers=list(modifiers),
                )
            )
    return found


def interactive_complexity(note: ClinicalNote) -> Span | None:
    match = _INTERACTIVE_COMPLEXITY.search(note.lower)
    return Span(match.start(), match.end()) if match else None


def quality_codes(
    findings: Findings, *, has_diabetes: bool, adult: bool, in_person: bool
) -> list[ServiceFinding]:
    """Category II codes: most recent HbA1c (diabetes), lowest same-day BP, tobacco status
    (coding-rules.md section 11; HEDIS CBP takes the lowest systolic and diastolic)."""
    found: list[ServiceFinding] = []
    if has_diabetes and findings.a1c:
        value = findings.a1c.value
        if value < 7.0:
            code = "3044F"
        elif value < 8.0:
            code = "3051F"
        elif value <= 9.0:
            code = "3052F"
        else:
            code = "3046F"
        found.append(ServiceFinding(code, findings.a1c.span, f"Most recent HbA1c {value:g}%"))
    bp = lowest_bp(findings) if adult and in_person else None
    if bp:
        systolic, diastolic, systolic_span, diastolic_span = bp
        s_code = "3074F" if systolic < 130 else "3075F" if systolic < 140 else "3077F"
        d_code = "3078F" if diastolic < 80 else "3079F" if diastolic < 90 else "3080F"
        found.append(
            ServiceFinding(
                s_code, systolic_span, f"Lowest systolic BP of the visit {systolic} mmHg"
            )
        )
        found.append(
            ServiceFinding(
                d_code, diastolic_span, f"Lowest diastolic BP of the visit {diastolic} mmHg"
            )
        )
    if adult and findings.tobacco_span:
        if findings.tobacco_status in ("never", "former"):
            found.append(
                ServiceFinding(
                    "1036F", findings.tobacco_span, "Documented current tobacco non-user"
                )
            )
        elif findings.tobacco_status == "current" and findings.cessation_intervention:
            found.append(
                ServiceFinding(
                    "4004F",
                    findings.cessation_intervention,
                    "Tobacco user screened and given cessation advice",
                )
            )
    return found
