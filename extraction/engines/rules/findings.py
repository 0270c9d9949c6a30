"""Facts read from the whole note: age, time statements, vitals and labs, tobacco status,
medicines and their management, tests ordered or reviewed, and the other MDM data elements.

Each fact keeps the span it came from, so codes built on it can quote the note exactly.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from extraction.engines.rules.codebook import clinical_lexicon, term_first_words, term_pattern
from extraction.engines.rules.negation import Assertion, assertion
from extraction.engines.rules.prefilter import PrefilteredPattern, prefiltered
from extraction.engines.rules.sections import HISTORY_LIKE, PLAN_LIKE, ClinicalNote, Span


@dataclass(frozen=True)
class Fact:
    value: float
    span: Span


@dataclass(frozen=True)
class MedicationMention:
    name: str
    drug_class: (
        str  # insulin, oral_hypoglycemic, injectable_non_insulin, anticoagulant, prescription, otc
    )
    span: Span
    managed: bool  # in a plan context with a management verb or dosing
    discontinued: bool


@dataclass
class Findings:
    age_years: float | None = None
    age_span: Span | None = None
    total_time: Fact | None = None
    psychotherapy_time: Fact | None = None
    crisis_time: Fact | None = None
    acp_time: Fact | None = None
    tobacco_counselling_time: Fact | None = None
    bp_readings: list[tuple[int, int, Span]] = field(default_factory=list)
    a1c: Fact | None = None
    bmi: Fact | None = None
    bmi_percentile: Fact | None = None  # children: BMI-for-age percentile
    tobacco_status: str | None = None  # current, former, never
    tobacco_span: Span | None = None
    cessation_intervention: Span | None = None
    medications: list[MedicationMention] = field(default_factory=list)
    tests_ordered: dict[str, Span] = field(default_factory=dict)
    tests_reviewed_external: dict[str, Span] = field(default_factory=dict)
    external_sources: dict[str, Span] = field(default_factory=dict)
    independent_historian: Span | None = None
    independent_interpretation: Span | None = None
    external_discussion: Span | None = None
    hospitalization_decision: Span | None = None
    end_of_life_decision: Span | None = None
    audio_only: Span | None = None
    video: Span | None = None


_MINUTES = (
    r"(?:about |approximately |approx\.? |~|roughly |over |more than )?"
    r"(\d{1,3})\s*(?:min\b|mins\b|minutes?\b)"
)
_TOTAL_TIME_PATTERNS = [
    prefiltered(
        r"total (?:visit |encounter |face[- ]to[- ]face |(?:tele)?phone |call |audio[- ]only |"
        r"video |virtual |telehealth )?time[^.\n]{0,70}?" + _MINUTES
    ),
    prefiltered(r"\b(?:tele)?phone (?:call |visit |encounter )?time:?\s*(?:was\s+)?" + _MINUTES),
    prefiltered(r"\bi spent\s+(?:a total of\s+)?" + _MINUTES),
    prefiltered(
        r"\bspent (?:a total of\s+)?" + _MINUTES + r"[^.\n]{0,60}(?:date|today|visit|encounter)"
    ),
    prefiltered(r"(?:^|\n)\s*time(?: spent)?(?: today)?:\s*" + _MINUTES),
    prefiltered(
        r"(?:visit|call|encounter|appointment) (?:duration|length|time)[: ]\s*(?:was\s+)?"
        + _MINUTES
    ),
    prefiltered(r"\b" + _MINUTES.replace("(\\d{1,3})", "(\\d{1,3})") + r" (?:of )?total time"),
]
_PSYCHOTHERAPY_TIME = [
    prefiltered(r"psychotherapy time:?\s*(?:was\s+)?" + _MINUTES),
    prefiltered(_MINUTES + r"\s+of\s+(?:[a-z\-]+\s+){0,4}?psychotherapy"),
    prefiltered(r"psychotherapy[^.\n|]{0,40}?\b" + _MINUTES),
    prefiltered(r"(?:session|therapy) (?:time|length|duration):?\s*" + _MINUTES),
]
# "Start 2:00 end 2:45", "Time in 4:00 PM, time out 4:34 PM".
_START_STOP = prefiltered(
    r"(?:start|time in):?\s*(\d{1,2}):(\d{2})\s*(am|pm)?[^\n]{0,20}?(?:end|time out):?\s*"
    r"(\d{1,2}):(\d{2})\s*(am|pm)?"
)
_CLOCK_RANGE = prefiltered(
    r"(?:start(?:ed)?:?\s*)?(\d{1,2}):(\d{2})\s*(am|pm)?\s*(?:-|\u2013|to|\|\s*end:?)\s*"
    r"(\d{1,2}):(\d{2})\s*(am|pm)?"
)
_CRISIS_TIME = prefiltered(r"crisis[^.\n]{0,60}?" + _MINUTES)
_ACP_TIME = [
    prefiltered(r"(?:advance care planning|\bacp\b)[^.\n]{0,80}?" + _MINUTES),
    prefiltered(_MINUTES + r"[^.\n]{0,40}(?:advance care planning|\bacp\b)"),
]
_TOBACCO_COUNSEL_TIME = [
    prefiltered(
        r"(?:cessation|quit(?:ting)? smoking|tobacco)[^.\n]{0,40}?counsel\w*[^.\n]{0,40}?"
        + _MINUTES
    ),
    prefiltered(
        r"counsel\w*[^.\n]{0,60}?(?:cessation|quit|tobacco|smoking)[^.\n]{0,40}?" + _MINUTES
    ),
    prefiltered(_MINUTES + r"[^.\n]{0,50}(?:cessation|quitting|tobacco|smoking)"),
]

_AGE_YEARS = prefiltered(
    r"\b(\d{1,3})[\s-]?(?:y/o|yo|y\.o\.|yr old|yrs old|year[\s-]old|years[\s-]old|years of"
    r" age|-year-old)\b"
)
_AGE_SHORT = prefiltered(
    r"(?<![\w/.])(\d{1,3})\s?(?:M|F|yo[MF]?)(?=\s+(?:with|w/|presents|here|c/o|who|returns|comes|is|"
    r"seen|complains|for)\b|,)"
)
_AGE_FIELD = prefiltered(r"\bage:?\s+(\d{1,3})\b")
_AGE_MONTHS = prefiltered(
    r"\b(\d{1,2})[\s-]?(?:m/o|mo old|month[\s-]old|months[\s-]old|months of age)\b|"
    r"\A[^\n]{0,80}?\b(\d{1,2}) months\b"
)
_AGE_TITLE_YEARS = prefiltered(r"\((\d{1,2}) years?\)|\b(\d{1,2}) years?\)")
# A well visit named by its age ("WELL CHILD VISIT - 4 YEARS", "Well child, 4 years",
# "4-year well-child check"): the Bright Futures visit is the child's age.
_AGE_WELL_VISIT = prefiltered(
    r"\bwell[\s-](?:child|visit|check|baby)(?: (?:visit|check|exam))?\W{1,4}(\d{1,2})\s*"
    r"(?:years?|yrs?|y)\b|\b(\d{1,2})[\s-](?:years?|yr)[\s-](?:old )?well[\s-](?:child|visit|check)"
)

_BP = prefiltered(r"(?<![\d/.-])(\d{2,3})\s*/\s*(\d{2,3})(?![\d/%s])")
_BP_CONTEXT = prefiltered(
    r"\b(?:bp|blood pressure|repeat|recheck|lying|standing|sitting|seated|supine)\b"
)
_BP_WORD = prefiltered(r"bp")  # "bp" anywhere, even in "sbp" or "bpm", marks a BP sentence
_BP_NOT_CLINIC = prefiltered(
    r"\bhome\b|\bkiosk\b|\bpharmacy\b|\blog\b|\breadings\b|\baverage\b|\bgoal\b|call if|\bif\b|"
    r"\babove\b|\bbelow\b|\btarget\b|\bcuff\b|\bpast\b"
)
_A1C = prefiltered(r"\b(?:hb\s?a1c|hemoglobin a1c|a1c)\b[^0-9%\n]{0,12}?(\d{1,2}(?:\.\d)?)\s*%")
_BMI = prefiltered(r"\bbmi\b[^0-9\n]{0,6}(\d{2}(?:\.\d)?)")
# "BMI 17.4 kg/m2 = 91st percentile for age", "BMI at the 88th percentile".
_BMI_PERCENTILE = prefiltered(
    r"\bbmi\b[^\n;]{0,40}?\b(\d{1,2}(?:\.\d)?)(?:st|nd|rd|th)?\s*(?:%ile|percentile)"
)

_NEVER_TOBACCO = prefiltered(
    r"\bnever[\s-](?:smoker|smoked|used tobacco|tobacco|nicotine)|\bnon[\s-]?smoker\b|"
    r"\b(?:tobacco|smoking|nicotine)(?: use| status| history)?\s*[:\-]\s*(?:never|none)\b|"
    r"\bnon[\s-]?tobacco user\b|"
    r"\bno (?:tobacco|smoking|vaping)\b|\bdenies (?:any )?(?:tobacco|smoking|cigarettes|vaping)|"
    r"\bnever used tobacco|\bno tobacco use\b|\bno vaping or tobacco\b|\bno tobacco or\b|"
    r"\bdoes not smoke\b|\bnot a smoker\b"
)
_FORMER_TOBACCO = prefiltered(
    r"\bformer (?:smoker|tobacco)|\bex[\s-]?smoker\b|\bquit (?:smoking|tobacco|cigarettes)|"
    r"\bhistory of (?:smoking|tobacco)|\bremote (?:smoker|smoking)"
)
_CURRENT_TOBACCO = prefiltered(
    r"\bcurrent(?:ly)? (?:smoker|smokes|smoking|tobacco|vap)|\bactive smok|\bsmokes\b|"
    r"\b\d+(?:\.\d+)?\s*ppd\b|\bpacks? per day\b|\bnicotine dependence\b|\bcigarettes? daily\b|"
    r"\bchews tobacco\b|\bvapes\b|\btobacco use disorder\b"
)
_CESSATION = prefiltered(
    r"(?:advised|counsel(?:l)?ed|encouraged|urged|recommended)[^.\n]{0,30}\b(?:to )?(?:quit|stop)|"
    r"cessation (?:advised|advice|counsel|discussed|counseling|counselling)|quit (?:plan|date)|"
    r"\bnicotine (?:patch|gum|lozenge|replacement)|\bnrt\b|\bvarenicline\b|\bchantix\b|"
    r"\bbupropion\b[^.\n]{0,30}(?:smok|cessation)|strongly advised to quit|advised to quit"
)
_AUDIO_ONLY = prefiltered(
    r"audio[\s-]only|telephone (?:visit|call|encounter)|\bby (?:tele)?phone\b.{0,20}visit|"
    r"phone visit|\(telephone\)|video (?:is )?not possible|no video"
)
_VIDEO = prefiltered(
    r"audio[\s-](?:and[\s-])?video|\bvideo visit\b|\bvirtual visit\b|\bsynchronous\b"
)

# Who may give the history for a patient who cannot (AMA: "an individual who provides a
# history in addition to a history provided by the patient who is unable to provide a complete
# or reliable history"): a relative, caregiver or staff member.
_INFORMANTS = (
    r"(?:wife|husband|spouse|partner|mother|mom|father|dad|parents?|daughter|son|caregiver|"
    r"guardian|grandmother|grandfather|grandparents?|sister|brother|aunt|uncle|roommate|family|"
    r"staff|nurse|charge nurse|aide|ems|paramedics|foster (?:mother|father|parents?))"
)
_HISTORIAN = prefiltered(
    r"\b(?:per|according to)\s+(?:the\s+|his\s+|her\s+|their\s+)?(?:wife|husband|spouse|partner|"
    r"mother|mom|father|dad|parents?|daughter|son|caregiver|family|staff|nurse|charge nurse|aide|"
    r"guardian|grandmother|grandfather|sister|brother|roommate|ems|paramedics)\b|"
    r"\b(?:his|her|their|the)\s+(?:wife|husband|spouse|partner|mother|mom|father|dad|parents?|"
    r"daughter|son|caregiver|guardian|grandmother|grandfather|sister|brother|aide|nurse)\s+"
    r"(?:reports|states|notes|says|describes|provides|adds|relates|endorses|confirms|gives)\b|"
    r"\b(?:history|hx)\s*(?:was |is )?(?:obtained |provided |given |taken )?(?:from|by) "
    r"(?:the |his |her |their |(?:the )?(?:patient|pt)'?s )?" + _INFORMANTS + r"\b|"
    r"\b" + _INFORMANTS + r",? who (?:gives|gave|provides|provided|gives most of|provides most of)"
    r" (?:the |most of the |much of the )?(?:history|hx)\b|"
    r"\b" + _INFORMANTS + r" (?:is |was )?(?:the )?(?:primary |main )?historian\b|"
    r"\bindependent historian\b|\b(?:mother|father|parents?|caregiver) (?:reports|states|notes)\b"
)
_INDEPENDENT_INTERPRETATION = prefiltered(
    r"\bmy (?:own )?(?:independent )?(?:interpretation|read|review of the"
    r" (?:images|films|tracing))\b|"
    r"\bindependent(?:ly)? (?:interpretation|interpreted|reviewed (?:the"
    r" )?(?:images|films|tracing))|"
    r"\bi (?:personally|independently) (?:reviewed|interpreted|viewed) (?:the )?"
    r"(?:images|films|x-?ray|radiograph|tracing|ct|cxr|ecg|ekg|mri)"
)
_DISCUSSION = prefiltered(
    r"\b(?:discussed|discussion|spoke|talked|conferred|consulted|called|call)\b[^.;\n]{0,25}?"
    r"\b(?:with|to)\b"
)
_DISCUSSION_NOT_CLINICIAN = prefiltered(
    r"^\s*(?:the\s+)?(?:patient|pt|client|daughter|son|wife|husband|spouse|family|mother|father|"
    r"parents?|caregiver|guardian|staff|nurse|him|her|them)\b"
)
_DISCUSSION_WHO = prefiltered(
    r"\bdr\b|\bdr\.|attending|hospitalist|cardiolog|nephrolog|neurolog|pulmonolog|gastroenterolog|"
    r"endocrinolog|oncolog|surgeon|radiolog|specialist|consultant|pharmacist|psychiatr|"
    r"poison control|orthopedi|urolog|dermatolog|rheumatolog|infectious disease|on-call|"
    r"emergency physician|ed physician"
)
_HOSPITALIZATION = prefiltered(
    r"\badmit(?:ted)?\b|\badmission\b|\bhospitali[sz](?:e|ed|ation)\b|"
    r"\btransfer(?:red)? (?:to )?(?:the )?(?:ed|er|emergency|hospital)|"
    r"\bsent (?:to )?(?:the )?(?:ed|er|emergency department)\b|\bdirect admit\b|"
    r"\bobservation (?:status|unit)\b|\bescalat\w+ (?:of|to) (?:hospital|inpatient|icu)|\bto the"
    r" icu\b"
)
_HOSPITAL_NOT_DECISION = prefiltered(
    r"\bno hospitali|\bhospitalizations?:|\bprecautions\b|\bif\b|\breturn\b|\bgo to\b|"
    r"\bseek\b|\bcall\b|\bprior\b|\bpast\b|\bnone\b|\bavoid\b|\bre-?admission risk"
)
_END_OF_LIFE = prefiltered(
    r"\bdnr\b|do not resuscitate|\bhospice\b|comfort (?:care|measures)|de-?escalat"
)

_EXTERNAL_REVIEW = prefiltered(
    r"(?:reviewed|review of|reviewing)[^.\n]{0,80}?\b(?:records?|notes?|letter|report|discharge "
    r"summary|consult(?:ation)?|labs? from|results from)\b|"
    r"\b(?:records?|notes?|letter|report|labs)\b[^.\n]{0,60}?\breviewed\b|"
    r"\boutside (?:lab|labs|lab report|records|results)\b|\bbrought (?:an? )?(?:outside )?"
    r"(?:lab|records|report)"
)
_EXTERNAL_SOURCE_WORDS = prefiltered(
    r"cardiolog|nephrolog|neurolog|pulmonolog|gastroenterolog|endocrinolog|oncolog|"
    r"ophthalmolog|psychiatr|orthopedi|urolog|dermatolog|rheumatolog|podiatr|surgeon|surgery|"
    r"hospital|emergency|\bed\b|\ber\b|urgent care|prior (?:pcp|internist|pediatric|provider|"
    r"physician|clinic|doctor)|previous (?:pcp|internist|pediatrician|provider|physician|"
    r"clinic|doctor)|outside|sleep study|\bpcp\b|pediatric clinic|school|therapist"
)
_NOT_EXTERNAL = prefiltered(
    r"medications? (?:reviewed|list)|safety plan|reviewed with (?:him|her|them|the patient|"
    r"patient)|plan (?:reviewed|printed)|action plan|printed and|ordered at|our records|"
    r"log reviewed|weight log"
)
_PRIOR_PREFIX = re.compile(r"^(?:prior|previous) ")
_ORDER_VERBS = prefiltered(
    r"\b(?:order(?:ed|s)?|check(?:ed)?|draw|obtain|recheck|repeat|send|sent|will get|get|"
    r"request(?:ed)?|schedul(?:e|ed)|plan(?:ned)? for|due)\b"
)
_PAST_ORDER = prefiltered(
    r"ordered (?:at|by|during|last|previously|prior|on)|\bdrawn\b|\bfrom \d|per (?:records|pcp)|"
    r"ordered by"
)
_ORDERED_BY_OTHER = prefiltered(
    r"ordered by (?:cardiology|nephrology|neurology|the|his|her|another|outside|dr|specialist|"
    r"endocrinology|[a-z]+ology)"
)


@cache
def _test_patterns() -> list[tuple[str, PrefilteredPattern]]:
    tests = clinical_lexicon()["tests"]
    return [(name, prefiltered(term_pattern(words))) for name, words in tests.items()]


@cache
def _test_keywords() -> tuple[dict[str, list[int]], list[int]]:
    """Keyword -> the tests (indices into ``_test_patterns()``) it may name, and the tests
    without keywords, which are always tried."""
    by_keyword: dict[str, list[int]] = {}
    always: list[int] = []
    for index, (_, pattern) in enumerate(_test_patterns()):
        if pattern.keywords is None:
            always.append(index)
        for keyword in pattern.needed_keywords or ():
            by_keyword.setdefault(keyword, []).append(index)
    return by_keyword, always


def _tests_named_in(text: str) -> list[tuple[str, PrefilteredPattern]]:
    """The tests whose keywords occur in ``text``, the only ones it can name, in list order."""
    by_keyword, always = _test_keywords()
    found = set(always)
    for keyword, indices in by_keyword.items():
        if keyword in text:
            found.update(indices)
    tests = _test_patterns()
    return [tests[index] for index in sorted(found)]


@cache
def _medication_patterns() -> list[tuple[str, re.Pattern[str], frozenset[str] | None]]:
    """Each drug class, most specific first, with its term regex and its terms' first words."""
    meds = clinical_lexicon()["medications"]
    order = [
        "insulin",
        "oral_hypoglycemic",
        "injectable_non_insulin",
        "anticoagulant",
        "otc",
        "prescription",
    ]
    return [
        (drug_class, term_pattern(meds[drug_class]), term_first_words(meds[drug_class]))
        for drug_class in order
    ]


@cache
def _management_pattern() -> PrefilteredPattern:
    return prefiltered(term_pattern(clinical_lexicon()["management_verbs"]))


_DOSING = prefiltered(
    r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|units?|ml)\b|\b(?:bid|tid|qid|qhs|qd|daily|prn|q\d+h|"
    r"x\s?\d+\s?days?|#\d+)\b"
)
_OTC_MARK = prefiltered(r"\botc\b|over[\s-]the[\s-]counter")
_DISCONTINUED = prefiltered(
    r"\b(?:stopped|discontinued|off|no longer|stop taking|caused|intoleran|allerg|declined)\b"
)


def extract_findings(note: ClinicalNote, *, visit_is_ed: bool = False) -> Findings:
    findings = Findings()
    lower = note.lower
    _read_age(note, findings)
    findings.total_time = _first_fact(lower, _TOTAL_TIME_PATTERNS, exclude="psychotherapy")
    findings.psychotherapy_time = _first_fact(lower, _PSYCHOTHERAPY_TIME) or _session_clock(lower)
    findings.crisis_time = _crisis_time(lower)
    findings.acp_time = _first_fact(lower, _ACP_TIME)
    findings.tobacco_counselling_time = _first_fact(lower, _TOBACCO_COUNSEL_TIME)
    _read_vitals(note, findings)
    _read_tobacco(note, findings)
    findings.medications = _read_medications(note)
    _read_data_elements(note, findings, visit_is_ed=visit_is_ed)
    audio = _AUDIO_ONLY.search(lower)
    findings.audio_only = Span(audio.start(), audio.end()) if audio else None
    video = _VIDEO.search(lower)
    findings.video = Span(video.start(), video.end()) if video else None
    return findings


def _first_fact(
    lower: str, patterns: list[PrefilteredPattern], exclude: str | None = None
) -> Fact | None:
    best: Fact | None = None
    for pattern in patterns:
        for match in pattern.finditer(lower):
            if exclude and exclude in match.group(0):
                continue
            fact = Fact(float(match.group(1)), Span(match.start(), match.end()))
            if best is None or fact.span.start < best.span.start:
                best = fact
            break
    return best


def _session_clock(lower: str) -> Fact | None:
    """Psychotherapy sessions often give start and stop times instead of minutes."""
    if "psychotherapy" not in lower and "session" not in lower:
        return None  # not a session note: no clock times are read
    match = _START_STOP.search(lower) or _CLOCK_RANGE.search(lower)
    if not match:
        return None
    start = int(match.group(1)) * 60 + int(match.group(2))
    stop = int(match.group(4)) * 60 + int(match.group(5))
    if (match.group(6) == "pm" or match.group(3) == "pm") and stop < start:
        stop += 12 * 60
    minutes = stop - start
    if 0 < minutes < 240:
        return Fact(float(minutes), Span(match.start(), match.end()))
    return None


def _crisis_time(lower: str) -> Fact | None:
    for match in _CRISIS_TIME.finditer(lower):
        window = lower[max(0, match.start() - 40) : match.end()]
        if "988" in window or "crisis line" in window or "crisis resources" in window:
            continue
        return Fact(float(match.group(1)), Span(match.start(), match.end()))
    return None


def _read_age(note: ClinicalNote, findings: Findings) -> None:
    lower, text = note.lower, note.text
    candidates: list[tuple[int, float, Span]] = []
    for match in _AGE_YEARS.finditer(lower):
        candidates.append((match.start(), float(match.group(1)), Span(match.start(), match.end())))
    for match in _AGE_FIELD.finditer(lower):
        candidates.append((match.start(), float(match.group(1)), Span(match.start(), match.end())))
    for match in _AGE_SHORT.finditer(text):
        candidates.append((match.start(), float(match.group(1)), Span(match.start(), match.end())))
    months = [
        (m.start(), float(m.group(1) or m.group(2)) / 12.0, Span(m.start(), m.end()))
        for m in _AGE_MONTHS.finditer(lower)
        if assertion(lower, m.start(), m.end()) is not Assertion.NEGATED
        and not re.search(
            r"\b(?:in|for|x|past|over|last|every|after|at)\s*$",
            lower[max(0, m.start() - 8) : m.start()],
        )
    ]
    title_years = [
        (m.start(), float(m.group(1) or m.group(2)), Span(m.start(), m.end()))
        for m in (*_AGE_TITLE_YEARS.finditer(lower), *_AGE_WELL_VISIT.finditer(lower))
    ]
    ordered = sorted(candidates) or sorted(title_years) or sorted(months)
    if candidates and months and months[0][0] < candidates[0][0]:
        ordered = sorted(months)
    if ordered:
        _, age, span = ordered[0]
        if age < 120:
            findings.age_years, findings.age_span = age, span


def _read_vitals(note: ClinicalNote, findings: Findings) -> None:
    lower = note.lower
    for sentence in note.sentences_mentioning(_BP_CONTEXT, _BP_WORD):
        chunk = lower[sentence.start : sentence.end]
        if not _BP_CONTEXT.search(chunk) and "bp" not in chunk:
            continue
        if note.section_kind_at(sentence.start) in HISTORY_LIKE:
            continue
        for match in _BP.finditer(chunk):
            before = chunk[max(0, match.start() - 40) : match.start()]
            if _BP_NOT_CLINIC.search(before) or re.search(r"\d\s*-\s*$", before):
                continue
            if (
                not _BP_CONTEXT.search(chunk[: match.start()])
                and "bp" not in chunk[: match.start()]
            ):
                continue
            systolic, diastolic = int(match.group(1)), int(match.group(2))
            if 60 <= systolic <= 260 and 30 <= diastolic <= 160 and systolic > diastolic:
                span = Span(sentence.start + match.start(), sentence.start + match.end())
                findings.bp_readings.append((systolic, diastolic, span))
    a1c_values = [
        Fact(float(m.group(1)), Span(m.start(), m.end()))
        for m in _A1C.finditer(lower)
        if "goal" not in lower[m.start() : m.end()] and 3.0 <= float(m.group(1)) <= 20.0
    ]
    if a1c_values:
        findings.a1c = a1c_values[0]
    bmi = _BMI.search(lower)
    if bmi and 10 <= float(bmi.group(1)) <= 90:
        findings.bmi = Fact(float(bmi.group(1)), Span(bmi.start(), bmi.end()))
    percentile = _BMI_PERCENTILE.search(lower)
    if percentile:
        span = Span(percentile.start(), percentile.end())
        findings.bmi_percentile = Fact(float(percentile.group(1)), span)


def _read_tobacco(note: ClinicalNote, findings: Findings) -> None:
    lower = note.lower
    current = [m for m in _CURRENT_TOBACCO.finditer(lower) if _tobacco_affirmed(lower, m)]
    former = list(_FORMER_TOBACCO.finditer(lower))
    never = list(_NEVER_TOBACCO.finditer(lower))
    if current:
        findings.tobacco_status, match = "current", current[0]
    elif former:
        findings.tobacco_status, match = "former", former[0]
    elif never:
        findings.tobacco_status, match = "never", never[0]
    else:
        return
    findings.tobacco_span = Span(match.start(), match.end())
    if findings.tobacco_status == "current":
        cessation = _CESSATION.search(lower)
        if cessation:
            findings.cessation_intervention = Span(cessation.start(), cessation.end())


def _tobacco_affirmed(lower: str, match: re.Match[str]) -> bool:
    status = assertion(lower, match.start(), match.end())
    return status in (Assertion.PRESENT, Assertion.UNCERTAIN)


def _read_medications(note: ClinicalNote) -> list[MedicationMention]:
    lower = note.lower
    management = _management_pattern()
    mentions: list[MedicationMention] = []
    taken: set[int] = set()  # offsets inside a mention already read by an earlier class
    # sentence start -> (management verb, stopped), and -> dosing (read only for a plan
    # sentence without a management verb): a sentence often names several drugs, and what it
    # says about their management is the same for each.
    sentence_marks: dict[int, tuple[bool, bool]] = {}
    sentence_dosing: dict[int, bool] = {}
    for drug_class, pattern, first_words in _medication_patterns():
        for match in note.find_terms(pattern, first_words):
            if match.start() in taken:
                continue
            kind = note.section_kind_at(match.start())
            if kind == "allergies":
                continue
            taken.update(range(match.start(), match.end()))
            sentence = note.sentence_at(match.start())
            text = lower[sentence.start : sentence.end]
            before = lower[max(sentence.start, match.start() - 40) : match.start()]
            effective_class = drug_class
            if drug_class != "otc" and _OTC_MARK.search(
                before + lower[match.end() : match.end() + 12]
            ):
                effective_class = "otc"
            unstructured = not note.has_plan_sections and kind not in HISTORY_LIKE
            in_plan = kind in PLAN_LIKE or kind == "therapy" or unstructured
            marks = sentence_marks.get(sentence.start)
            if marks is None:
                marks = sentence_marks[sentence.start] = (
                    management.search(text) is not None,
                    _DISCONTINUED.search(text) is not None,
                )
            managing, stopping = marks
            managed = in_plan and managing
            if in_plan and not managing:
                dosing = sentence_dosing.get(sentence.start)
                if dosing is None:
                    dosing = sentence_dosing[sentence.start] = _DOSING.search(text) is not None
                managed = dosing
            discontinued = stopping and not managing
            mentions.append(
                MedicationMention(
                    name=lower[match.start() : match.end()],
                    drug_class=effective_class,
                    span=Span(match.start(), match.end()),
                    managed=managed,
                    discontinued=discontinued,
                )
            )
    mentions.sort(key=lambda m: m.span.start)
    return mentions


_NOT_DATA_KINDS = ("family", "allergies", "medications")  # sections that hold no MDM data


def _read_data_elements(note: ClinicalNote, findings: Findings, *, visit_is_ed: bool) -> None:
    """The MDM data elements and the decisions that set the risk level, each read from the
    sentences that can hold it (its keywords), the first such sentence in note order."""
    _read_tests(note, findings, visit_is_ed=visit_is_ed)
    _read_external_sources(note, findings)
    findings.independent_historian = _first_match(note, _HISTORIAN, skip_kinds=("social",))
    findings.independent_interpretation = _first_match(note, _INDEPENDENT_INTERPRETATION)
    findings.external_discussion = _external_discussion(note)
    findings.hospitalization_decision = _hospitalization_decision(note)
    findings.end_of_life_decision = _end_of_life_decision(note)


def _data_sentences(
    note: ClinicalNote, *patterns: PrefilteredPattern
) -> Iterator[tuple[Span, str]]:
    """The sentences where one of ``patterns`` can match, outside sections without MDM data,
    with their section kind, in note order."""
    for sentence in note.sentences_mentioning(*patterns):
        kind = note.section_kind_at(sentence.start)
        if kind not in _NOT_DATA_KINDS:
            yield sentence, kind


def _plan_like(note: ClinicalNote, kind: str) -> bool:
    return (
        kind in PLAN_LIKE
        or kind in ("data", "procedure")
        or (not note.has_plan_sections and kind not in HISTORY_LIKE)
    )


def _read_tests(note: ClinicalNote, findings: Findings, *, visit_is_ed: bool) -> None:
    """Tests ordered here, or reviewed when another clinician ordered them (ED: every test
    named in the course, data, assessment or plan)."""
    sentences = (
        note.sentences_mentioning(_ORDER_VERBS, _ORDERED_BY_OTHER)
        if not visit_is_ed
        else note.all_sentences
    )
    lower = note.lower
    for sentence in sentences:
        kind = note.section_kind_at(sentence.start)
        if kind in _NOT_DATA_KINDS:
            continue
        text = lower[sentence.start : sentence.end]
        ordered_here = (
            _plan_like(note, kind)
            and bool(_ORDER_VERBS.search(text))
            and not _PAST_ORDER.search(text)
        )
        ed_course = visit_is_ed and kind in ("course", "data", "assessment", "plan")
        reviewed_from_other = bool(_ORDERED_BY_OTHER.search(text))
        if not (ordered_here or ed_course or reviewed_from_other):
            continue
        for name, start, end in _tests_in_sentence(text):
            span = Span(sentence.start + start, sentence.start + end)
            if reviewed_from_other and not ordered_here:
                findings.tests_reviewed_external.setdefault(name, span)
            else:
                findings.tests_ordered.setdefault(name, span)


def _tests_in_sentence(text: str) -> list[tuple[str, int, int]]:
    """Each test the sentence names and does not negate, at its first mention, as (name,
    start, end). A name inside a longer test's name is part of that test, not a second one:
    "hemoglobin A1c" is one test, not hemoglobin and A1c (CPT: a unique test is one code)."""
    mentions = [
        (name, match.start(), match.end())
        for name, pattern in _tests_named_in(text)
        for match in pattern.finditer(text)
        if assertion(text, match.start(), match.end()) is not Assertion.NEGATED
    ]
    found: dict[str, tuple[int, int]] = {}
    for name, start, end in mentions:
        inside_longer = any(
            other != name and o_start <= start and end <= o_end and (o_end - o_start) > end - start
            for other, o_start, o_end in mentions
        )
        if not inside_longer:
            found.setdefault(name, (start, end))
    return [(name, start, end) for name, (start, end) in found.items()]


def _read_external_sources(note: ClinicalNote, findings: Findings) -> None:
    """Records or results from outside reviewed, keyed by where they came from."""
    for sentence, kind in _data_sentences(note, _EXTERNAL_REVIEW):
        if kind in HISTORY_LIKE and kind != "history":
            continue
        text = note.lower[sentence.start : sentence.end]
        if _EXTERNAL_REVIEW.search(text) and not _NOT_EXTERNAL.search(text):
            source = _EXTERNAL_SOURCE_WORDS.search(text)
            key = source.group(0) if source else "external records"
            key = _PRIOR_PREFIX.sub("", key)
            findings.external_sources.setdefault(key, Span(sentence.start, sentence.end))


def _first_match(
    note: ClinicalNote, pattern: PrefilteredPattern, *, skip_kinds: tuple[str, ...] = ()
) -> Span | None:
    for sentence, kind in _data_sentences(note, pattern):
        if kind in skip_kinds:
            continue
        match = pattern.search(note.lower[sentence.start : sentence.end])
        if match:
            return Span(sentence.start + match.start(), sentence.start + match.end())
    return None


def _external_discussion(note: ClinicalNote) -> Span | None:
    """A discussion with a clinician from outside (not the patient or family)."""
    for sentence, _ in _data_sentences(note, _DISCUSSION):
        text = note.lower[sentence.start : sentence.end]
        for discussion in _DISCUSSION.finditer(text):
            tail = text[discussion.end() : discussion.end() + 45]
            if _DISCUSSION_WHO.search(tail) and not _DISCUSSION_NOT_CLINICIAN.match(tail):
                return Span(sentence.start + discussion.start(), sentence.start + discussion.end())
    return None


def _hospitalization_decision(note: ClinicalNote) -> Span | None:
    for sentence, kind in _data_sentences(note, _HOSPITALIZATION):
        if not (_plan_like(note, kind) or kind == "course"):
            continue
        text = note.lower[sentence.start : sentence.end]
        hospital = _HOSPITALIZATION.search(text)
        if hospital and not _HOSPITAL_NOT_DECISION.search(text):
            return Span(sentence.start + hospital.start(), sentence.start + hospital.end())
    return None


def _end_of_life_decision(note: ClinicalNote) -> Span | None:
    for sentence, kind in _data_sentences(note, _END_OF_LIFE):
        if not (_plan_like(note, kind) or kind == "course"):
            continue
        text = note.lower[sentence.start : sentence.end]
        end_of_life = _END_OF_LIFE.search(text)
        if (
            end_of_life
            and assertion(text, end_of_life.start(), end_of_life.end()) is Assertion.PRESENT
        ):
            return Span(sentence.start + end_of_life.start(), sentence.start + end_of_life.end())
    return None


def lowest_bp(findings: Findings) -> tuple[int, int, Span, Span] | None:
    """Lowest systolic and lowest diastolic of the day, even from different readings
    (HEDIS CBP; coding-rules.md section 11)."""
    if not findings.bp_readings:
        return None
    systolic = min(findings.bp_readings, key=lambda r: r[0])
    diastolic = min(findings.bp_readings, key=lambda r: r[1])
    return systolic[0], diastolic[1], systolic[2], diastolic[2]
