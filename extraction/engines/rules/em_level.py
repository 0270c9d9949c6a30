"""The E/M level: medical decision making (AMA 2021 table, 2023 wording) or total time.

AMA 2021 E/M guidelines: the MDM level is the highest level met or exceeded by two of its
three elements (problems addressed; data reviewed and analysed; risk of management). When
total time on the date is documented the level may rest on time instead; the eval README
reports the higher of the two. The same table applies since 2023 to ED (MDM only, never
time), nursing facility and home codes, each with its own time thresholds.
"""

from dataclasses import dataclass, field
from typing import Any

from extraction.engines.rules import codebook
from extraction.engines.rules.diagnoses import ItemDiagnoses
from extraction.engines.rules.findings import Findings, MedicationMention
from extraction.engines.rules.negation import Assertion, assertion, opens_comma_part
from extraction.engines.rules.prefilter import PrefilteredPattern, prefiltered
from extraction.engines.rules.sections import ClinicalNote, Span

LEVEL_NAMES = {1: "straightforward", 2: "low", 3: "moderate", 4: "high"}
DATA_NAMES = {1: "minimal or none", 2: "limited", 3: "moderate", 4: "extensive"}
RISK_NAMES = {1: "minimal", 2: "low", 3: "moderate", 4: "high"}

# Total time (minutes, met or exceeded) -> level, per family. CPT 2024 office thresholds;
# nursing facility and home from the 2025 CMS descriptors (coding-rules.md sections 2.3, 3).
TIME_THRESHOLDS: dict[str, list[tuple[int, int]]] = {
    "office_new": [(60, 4), (45, 3), (30, 2), (15, 1)],
    "office_est": [(40, 4), (30, 3), (20, 2), (10, 1)],
    "nf_initial": [(50, 4), (35, 3), (25, 2)],
    "nf_subsequent": [(45, 4), (30, 3), (20, 2), (10, 1)],
    "home_new": [(75, 4), (60, 3), (30, 2), (15, 1)],
    "home_est": [(60, 4), (40, 3), (30, 2), (20, 1)],
    "ed": [],
}

_SEVERE = prefiltered(
    r"severe (?:exacerbation|flare|decompensation)|acute respiratory failure|life[\s-]threatening|"
    r"\bunstable\b|\bcritical(?:ly)?\b|\bimpending\b"
)
_EXACERBATION = prefiltered(
    r"exacerbat|worsen|\bworse\b|uncontrolled|not (?:well )?controlled|poorly controlled|"
    r"inadequately controlled|suboptimal|not at (?:\w+ )?goal|above (?:his |her |their |the )?goal|"
    r"progress|\bflare|breakthrough|decompensat|\brising\b|\bfalling\b|declin|deteriorat|relapse|"
    r"new diagnosis|newly diagnosed|fluctuation|wearing[\s-]off|\bdown (?:to|from)\b|\bup from\b|"
    r"not improving|persistent(?:ly)? elevated|elevated despite|\btransformed\b|more frequent|"
    r"increas\w* (?:in )?frequen|frequen\w* (?:(?:is|has|have|are) )?(?:been )?"
    r"(?:increas|ris|climb|escalat)"
)
# Side effects of its treatment also make a chronic illness more than stable (AMA 2021:
# "chronic illness with ... side effects of treatment"): "hypoglycemia on insulin", "edema
# from amlodipine". Counselling about possible side effects is not one.
_SIDE_EFFECT = prefiltered(
    r"\bside[\s-]effects?\b|\badverse (?:drug )?(?:effect|reaction)s?\b|\bintoleran\w*|"
    r"\bhypoglycemi\w*|\bdrug[\s-]induced\b|\bmedication[\s-]induced\b"
)
_COUNSELLED_ABOUT = prefiltered(
    r"\b(?:review\w*|discuss\w*|counsel\w*|educat\w*|warn\w*|explain\w*|risks?|possible|"
    r"potential|monitor\w* for|watch for|signs of|about|on)\b[^.;\n]{0,40}$"
)
_STABLE = prefiltered(
    r"\bstable\b|\bcontrolled\b|at (?:\w+ )?goal|\bwell[\s-]controlled\b|euthyroid|at baseline|"
    r"\bunchanged\b|asymptomatic|in remission|\bimproved\b|\bimproving\b|excellent"
)
_CONDITIONAL = prefiltered(
    r"(?:return|call|seek care|go to|come"
    r" back|rtc|f/u|follow[\s-]up)[^.;\n]{0,40}\b(?:if|for|sooner)\b[^.;\n]*"
)
_INTENSIFY = prefiltered(
    r"\b(?:start|started|starting|add|added|increase|increased|decrease|decreased|reduce|titrat\w*|"
    r"switch|switched|change|changed|stop|discontinue|begin|initiate)\b"
)
_LOW_RISK_MANAGEMENT = prefiltered(
    r"\botc\b|over[\s-]the[\s-]counter|supportive care|\bfluids\b|physical therapy|\bpt/ot\b|"
    r"\breferral\b|\brefer\b|\bdiet\b|compression|\bice\b|\brest\b|barrier|moisturiz|lifestyle|"
    r"home health|\bexercise\b|sleep hygiene|cbt\b"
)


@dataclass
class ProblemAssessment:
    item_index: int
    # minor, acute, acute_systemic, chronic_stable, chronic_exacerbation, severe, threat,
    # undiagnosed
    category: str
    codes: list[str]
    text: str


@dataclass
class MDMResult:
    problems_level: int
    data_level: int
    risk_level: int
    level: int
    problems: list[ProblemAssessment] = field(default_factory=list)
    data_elements: dict[str, Any] = field(default_factory=dict)
    risk_reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "problems": {
                "level": LEVEL_NAMES[self.problems_level],
                "addressed": [
                    {
                        "category": p.category.replace("_", " "),
                        "codes": p.codes,
                        "statement": p.text,
                    }
                    for p in self.problems
                ],
            },
            "data": {"level": DATA_NAMES[self.data_level], **self.data_elements},
            "risk": {"level": RISK_NAMES[self.risk_level], "reasons": self.risk_reasons},
            "level": LEVEL_NAMES[self.level],
            "rule": "AMA 2021 E/M MDM table: the level met or exceeded by 2 of 3 elements",
        }


def classify_problem(
    note: ClinicalNote, item: ItemDiagnoses, medications: list[MedicationMention]
) -> ProblemAssessment | None:
    """Place one assessment item in an AMA problem category (coding-rules.md section 2.2)."""
    kinds = {d.kind for d in item.diagnoses if d.kind != "status"}
    uncertain_kinds = {entry["kind"] for entry in item.uncertain}
    if not kinds and not uncertain_kinds:
        return None
    text = note.lower[item.span.start : item.span.end]
    text = _CONDITIONAL.sub(" ", text)
    codes = [d.code for d in item.diagnoses]
    statement = note.quote(item.heading.start, item.heading.end, 160)
    # A possible threat being worked up counts as one: the final diagnosis does not set the
    # complexity (AMA 2021 E/M guidelines, "problem addressed").
    if "threat" in kinds or "threat" in uncertain_kinds:
        category = "threat"
    elif _affirmed(_SEVERE, text) and kinds & {"chronic", "acute_systemic"}:
        category = "severe"
    elif "chronic" in kinds:
        if (
            _affirmed(_EXACERBATION, text)
            or _treatment_side_effect(text)
            or (not _affirmed(_STABLE, text) and _intensified(item, medications, text))
        ):
            category = "chronic_exacerbation"
        else:
            category = "chronic_stable"
    elif kinds & {"acute_systemic", "injury_complicated"}:
        category = "acute_systemic"
    elif kinds & {"acute", "injury"}:
        category = "acute"
    elif "minor" in kinds:
        category = "minor"
    elif uncertain_kinds:
        category = "undiagnosed"
    else:  # symptoms or findings only
        category = "acute"
    return ProblemAssessment(item.index, category, codes, statement)


def _affirmed(pattern: PrefilteredPattern, text: str) -> bool:
    for match in pattern.finditer(text):
        status = assertion(text, match.start(), match.end())
        if status is not Assertion.FAMILY and (
            status is not Assertion.NEGATED or opens_comma_part(text, 0, match.start())
        ):
            return True
    return False


def _treatment_side_effect(text: str) -> bool:
    """The statement reports a side effect the patient has, not one counselled about."""
    return any(
        not _COUNSELLED_ABOUT.search(text, max(0, m.start() - 60), m.start())
        and assertion(text, m.start(), m.end()) is Assertion.PRESENT
        for m in _SIDE_EFFECT.finditer(text)
    )


def _intensified(item: ItemDiagnoses, medications: list[MedicationMention], text: str) -> bool:
    """A prescription started, raised or changed for a chronic illness means it is not at its
    treatment goal, so not 'stable' (AMA definition; coding-rules.md 2.2)."""
    in_item = [
        m
        for m in medications
        if item.span.start <= m.span.start < item.span.end and m.drug_class != "otc"
    ]
    return bool(in_item) and bool(_INTENSIFY.search(text))


def problems_level(problems: list[ProblemAssessment]) -> int:
    categories = [p.category for p in problems]
    chronic = sum(c in ("chronic_stable", "chronic_exacerbation") for c in categories)
    if any(c in ("threat", "severe") for c in categories):
        return 4
    if chronic >= 2 or any(
        c in ("chronic_exacerbation", "acute_systemic", "undiagnosed") for c in categories
    ):
        return 3
    if chronic == 1 or "acute" in categories or categories.count("minor") >= 2:
        return 2
    return 1


_PANEL_PARTS = {
    "bmp": {"creatinine", "potassium", "glucose"},
    "cmp": {"creatinine", "potassium", "glucose", "hepatic panel"},
    "cbc": {"hemoglobin"},
}


def data_level(
    findings: Findings, *, billed_tests: set[str], use_historian: bool = True
) -> tuple[int, dict[str, Any]]:
    """AMA 2021 data element: limited = 2 category-1 items or an independent historian;
    moderate = 1 of 3 categories (3 items incl. historian / independent interpretation /
    discussion with an external clinician); extensive = 2 of those 3 categories."""
    tests = {**findings.tests_reviewed_external, **findings.tests_ordered}
    for panel, parts in _PANEL_PARTS.items():
        if panel in tests:
            for part in parts:
                tests.pop(part, None)
    for name in billed_tests:
        tests.pop(name, None)
    sources = list(findings.external_sources)
    historian = use_historian and findings.independent_historian is not None
    category1_items = len(tests) + len(sources)
    category1 = category1_items + int(historian) >= 3
    interpretation = (
        findings.independent_interpretation is not None
        and "independent interpretation" not in billed_tests
    )
    discussion = findings.external_discussion is not None
    categories = int(category1) + int(interpretation) + int(discussion)
    if categories >= 2:
        level = 4
    elif categories == 1:
        level = 3
    elif category1_items >= 2 or historian:
        level = 2
    else:
        level = 1
    elements = {
        "unique_tests": sorted(tests),
        "external_sources": sources,
        "independent_historian": historian,
        "independent_interpretation": interpretation,
        "discussion_with_external_clinician": discussion,
    }
    return level, elements


def risk_level(
    note: ClinicalNote,
    findings: Findings,
    *,
    included_spans: list[Span],
    plan_spans: list[Span],
) -> tuple[int, list[str]]:
    """AMA risk examples: hospitalization decision / DNR = high; prescription drug management
    = moderate (coding-rules.md 2.1; not low, as one open-source guide has it); OTC drugs,
    therapy referrals = low."""
    reasons: list[str] = []
    if findings.hospitalization_decision:
        span = findings.hospitalization_decision
        reasons.append(f"decision regarding hospitalization: {note.quote(span.start, span.end)!r}")
        return 4, reasons
    if findings.end_of_life_decision:
        span = findings.end_of_life_decision
        reasons.append(f"decision about end-of-life care: {note.quote(span.start, span.end)!r}")
        return 4, reasons
    areas = included_spans + plan_spans

    def inside(position: int) -> bool:
        return any(a.start <= position < a.end for a in areas)

    prescription = [
        m
        for m in findings.medications
        if m.drug_class != "otc" and m.managed and inside(m.span.start)
    ]
    if prescription:
        names = sorted({m.name for m in prescription})
        reasons.append("prescription drug management: " + ", ".join(names))
        return 3, reasons
    otc = [m for m in findings.medications if m.drug_class == "otc" and inside(m.span.start)]
    low_management = any(_LOW_RISK_MANAGEMENT.search(note.lower, a.start, a.end) for a in areas)
    if otc or low_management:
        reasons.append(
            "over-the-counter drugs or low-risk management"
            + (": " + ", ".join(sorted({m.name for m in otc})) if otc else "")
        )
        return 2, reasons
    return 1, ["minimal risk of management"]


def medical_decision_making(
    note: ClinicalNote,
    findings: Findings,
    problems: list[ProblemAssessment],
    *,
    billed_tests: set[str],
    included_spans: list[Span],
    plan_spans: list[Span],
    use_historian: bool = True,
) -> MDMResult:
    problem = problems_level(problems) if problems else 1
    data, elements = data_level(findings, billed_tests=billed_tests, use_historian=use_historian)
    risk, reasons = risk_level(note, findings, included_spans=included_spans, plan_spans=plan_spans)
    level = sorted([problem, data, risk])[1]
    return MDMResult(problem, data, risk, level, problems, elements, reasons)


def time_level(family: str, minutes: float | None) -> int:
    if minutes is None:
        return 0
    for threshold, level in TIME_THRESHOLDS.get(family, []):
        if minutes >= threshold:
            return level
    return 0


def em_code(family: str, level: int) -> str | None:
    """The code of a family at an MDM level (99304 covers straightforward and low)."""
    candidates = [c for c in codebook.family_codes(family) if c.level is not None and c.level > 0]
    if not candidates:
        return None
    eligible = [c for c in candidates if c.level <= max(level, 1)]
    chosen = (
        max(eligible, key=lambda c: c.level) if eligible else min(candidates, key=lambda c: c.level)
    )
    return chosen.code


def preventive_code(*, new_patient: bool, age_years: float | None) -> str | None:
    """Preventive medicine codes by age band (99381-99387 new, 99391-99397 established)."""
    if age_years is None:
        return None
    family = "preventive_new" if new_patient else "preventive_est"
    for candidate in codebook.family_codes(family):
        low, high = candidate.age_band or (0, 0)
        if low <= int(age_years) <= high:
            return candidate.code
    return None
