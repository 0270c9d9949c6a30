"""ICD-10-CM codes for the conditions assessed or treated at this visit.

Only diagnostic statements are read (the assessment items, before their plans), so a
condition that appears only in the history, medication list or review of systems is not
coded (eval README: "conditions only listed in history and not addressed are not coded").
Ruled-out and "possible" diagnoses are not coded as confirmed (Official Guidelines IV.H).
Then the coder's specificity rules: refinements from the term index (laterality, acuity,
severity, stage), "with" combination codes (I.A.15: diabetes with CKD or neuropathy,
hypertension with CKD and/or heart failure, I.C.9.a), and the "use additional code" partners
(diabetes drug status Z79.4/Z79.84/Z79.85, CKD stage, BMI with obesity, tobacco status).
"""

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import simple_icd_10_cm as icd_package

from extraction import icd10
from extraction.engines.rules import icd10_match
from extraction.engines.rules.codebook import (
    clinical_lexicon,
    diagnosis_terms,
    term_first_words,
    term_pattern,
)
from extraction.engines.rules.findings import Findings
from extraction.engines.rules.negation import Assertion, assertion, opens_comma_part
from extraction.engines.rules.prefilter import PrefilteredPattern, prefiltered
from extraction.engines.rules.sections import (
    HISTORY_LIKE,
    ClinicalNote,
    Span,
    statement_heading,
)

DEFINITIVE_KINDS = frozenset(
    {"minor", "acute", "acute_systemic", "injury", "injury_complicated", "chronic", "threat"}
)
PREVENTIVE_GROUPS = frozenset({"well_child", "well_adult"})


@dataclass
class Diagnosis:
    code: str
    kind: str
    group: str | None
    item_index: int | None
    evidence: Span
    justification: str
    derived: bool = False
    term: str = ""  # the statement's words that named the condition


@dataclass
class ItemDiagnoses:
    """What one assessment item states: its coded conditions and its uncertain ones."""

    index: int
    span: Span
    heading: Span
    diagnoses: list[Diagnosis] = field(default_factory=list)
    uncertain: list[dict[str, Any]] = field(default_factory=list)
    preventive: bool = False


@dataclass
class DiagnosisResult:
    codes: list[Diagnosis]
    items: list[ItemDiagnoses]
    tips: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TermIndex:
    pattern: re.Pattern[str]
    by_term: dict[str, dict[str, Any]]
    qualifiers: dict[str, PrefilteredPattern]
    first_words: frozenset[str] | None  # where a match can begin (codebook.term_first_words)


@cache
def term_index() -> TermIndex:
    data = diagnosis_terms()
    by_term: dict[str, dict[str, Any]] = {}
    for entry in data["conditions"]:
        for term in entry["terms"]:
            by_term.setdefault(_normal(term), entry)
    qualifiers = {name: prefiltered(regex) for name, regex in data["qualifiers"].items()}
    terms = list(by_term)
    return TermIndex(term_pattern(terms), by_term, qualifiers, term_first_words(terms))


_GAPS = re.compile(r"[\s\-]+")


def _normal(text: str) -> str:
    return _GAPS.sub(" ", text.strip().lower())


# A side that opens its own comma part qualifies the whole statement ("retinopathy without
# macular edema, both eyes"): the "without" of the part before does not negate it.
_SIDES = frozenset({"right", "left", "bilateral"})


def has_qualifier(lower: str, name: str, start: int, end: int) -> bool:
    """An affirmed (not negated) qualifier inside ``lower[start:end]``."""
    pattern = term_index().qualifiers[name]
    for match in pattern.finditer(lower, start, end):
        status = assertion(lower, match.start(), match.end(), floor=start, ceiling=end)
        if status is not Assertion.NEGATED:
            return True
        if name in _SIDES and opens_comma_part(lower, start, match.start()):
            return True
    return False


def _refine(entry: dict[str, Any], lower: str, span: Span) -> tuple[str, str]:
    for rule, code in entry.get("refine", []):
        names = rule.split("+")
        if all(has_qualifier(lower, name, span.start, span.end) for name in names):
            return code, rule.replace("+", ", ").replace("_", " ")
    return entry["code"], ""


def code_diagnoses(note: ClinicalNote, findings: Findings) -> DiagnosisResult:
    index = term_index()
    lower = note.lower
    items: list[ItemDiagnoses] = []
    regions: list[tuple[Span, Span]] = []  # (item span, diagnostic statement)
    if note.has_assessment:
        for item in note.items:
            if not item.is_plan_line:
                regions.extend(_statements(note, Span(item.start, item.end), item.heading))
    else:
        for sentence in note.all_sentences:
            kind = note.section_kind_at(sentence.start)
            if kind not in HISTORY_LIKE and kind not in ("exam", "maintenance"):
                regions.append((sentence, sentence))
    regions = [(span, heading) for span, heading in regions if not _not_addressed(note, heading)]
    for number, (item_span, heading) in enumerate(regions):
        item = ItemDiagnoses(number, item_span, heading)
        for match in note.find_terms_between(
            index.pattern, index.first_words, heading.start, heading.end
        ):
            if _inside_parentheses(lower, heading.start, match.start()):
                continue
            if _VACCINE_AFTER.match(lower, match.end()):
                continue  # "flu shot", "hepatitis B vaccine series": the vaccine, not the disease
            entry = index.by_term.get(_normal(match.group()))
            if entry is None:
                continue
            status = assertion(
                lower, match.start(), match.end(), floor=heading.start, ceiling=heading.end
            )
            if entry.get("group") in PREVENTIVE_GROUPS:
                item.preventive = status is Assertion.PRESENT or item.preventive
                continue
            if status is Assertion.UNCERTAIN:
                item.uncertain.append(entry)
                continue
            if status is Assertion.HISTORICAL and entry.get("group") == "tobacco":
                entry = index.by_term[_normal("former smoker")]
            elif status is not Assertion.PRESENT:
                continue
            code, rule = _refine(entry, lower, heading)
            why = f"assessed today: {note.quote(heading.start, heading.end, 120)!r}"
            if rule:
                why += f"; specificity from the note ({rule})"
            code, encounter = with_encounter_character(code, lower, heading)
            if encounter:
                why += f"; 7th character {code[-1]}: {encounter}"
            item.diagnoses.append(
                Diagnosis(
                    code,
                    entry["kind"],
                    entry.get("group"),
                    number,
                    heading,
                    why,
                    term=match.group(),
                )
            )
        _collect_uncertain(note, item)
        _suppress_integral_symptoms(item)
        _specify_from_tabular(note, item)
        _excluded_for_combination(note, item)
        _drop_parts_of_combinations(item)
        items.append(item)
    codes = [d for item in items for d in item.diagnoses]
    if not note.has_assessment and any(d.kind in DEFINITIVE_KINDS for d in codes):
        # Without an assessment section every sentence is its own region: symptoms of the
        # note's diagnoses are still integral to them (Official Guidelines I.B.5).
        codes = [d for d in codes if d.kind not in ("symptom", "finding")]
    result = DiagnosisResult(codes, items)
    codes = _keep_most_specific(codes)
    codes = _diabetes_combinations(note, findings, codes, items, result.tips)
    codes = _ckd_stage_partner(note, codes, items)
    codes = _hypertension_combinations(codes)
    codes = _tobacco_partners(note, findings, codes)
    codes = _anticoagulant_status(note, findings, codes)
    codes = _bmi_partner(note, findings, codes)
    codes = _bph_symptoms(note, codes)
    codes = _infectious_agent_partners(note, codes, items)
    codes = _drop_excluded_beside(codes)
    codes = [*codes, *_family_history(note)]
    result.codes = _valid_unique(codes)
    return result


# The 7th character of an injury code (ICD-10-CM I.C.19.a): A while the injury is under
# active treatment, D once active treatment is over and the visit is routine care during
# healing (follow-up, aftercare, rehabilitation after fixation), S for a sequela. Fractures
# also say how the healing goes (G delayed, K nonunion, P malunion) and, when open, take the
# open-fracture letters. Checked in this order; the first qualifier the statement affirms
# wins, and a letter the code does not take falls back to the next rule.
_ENCOUNTER_RULES = (
    ("sequela", "S", "sequela"),
    ("nonunion", "K", "subsequent encounter, nonunion"),
    ("malunion", "P", "subsequent encounter, malunion"),
    ("delayed_healing", "G", "subsequent encounter, delayed healing"),
    ("subsequent_encounter", "D", "subsequent encounter, routine healing"),
)
# Closed-fracture letter -> the open fracture (type I/II or NOS) letter of the same encounter.
_OPEN_FRACTURE = {"A": "B", "D": "E", "G": "H", "K": "M", "P": "Q"}


def with_encounter_character(code: str, lower: str, statement: Span) -> tuple[str, str]:
    """The injury code with the 7th character the statement's encounter wording supports,
    and why ("" when the initial-encounter code stands)."""
    if not code.startswith(("S", "T")) or len(code) != 8 or not code.endswith("A"):
        return code, ""
    letter, why = "A", ""
    for qualifier, candidate, reason in _ENCOUNTER_RULES:
        if icd10.is_billable(code[:-1] + candidate) and has_qualifier(
            lower, qualifier, statement.start, statement.end
        ):
            letter, why = candidate, reason
            break
    if has_qualifier(lower, "open_fracture", statement.start, statement.end):
        opened = _OPEN_FRACTURE.get(letter, letter)
        if icd10.is_billable(code[:-1] + opened):
            letter, why = opened, (why or "initial encounter") + ", open fracture"
    return code[:-1] + letter, why


# A statement that says its conditions were not dealt with at this visit ("his gout is
# managed by rheumatology and was not addressed today"): nothing in it is coded (eval README:
# conditions not addressed are not coded; AMA: noting another clinician manages a problem is
# not addressing it).
_NOT_ADDRESSED = prefiltered(
    r"\b(?:not|were not|was not|wasn't|weren't) (?:addressed|discussed|assessed|evaluated|"
    r"reviewed|managed)(?: (?:today|at|during|in) (?:this )?(?:visit|today|encounter)?)?\b|"
    r"\bdeferred to (?:a |the )?(?:next|future|separate|another)\b"
)


def _not_addressed(note: ClinicalNote, statement: Span) -> bool:
    """The statement's own sentence says it was not dealt with today."""
    sentence = sentence_or(note, statement)
    return _NOT_ADDRESSED.search(note.lower, sentence.start, sentence.end) is not None


_SENTENCE_CUT = re.compile(r"\.[ \t]+(?=[a-z])")
_INLINE_NUMBER = re.compile(r"(?<=\s)#?(\d{1,2})[.)][ \t]+(?=[a-z])")
_FIRST_MARKER = re.compile(r"#?1[.)][ \t]*$")


def _statements(note: ClinicalNote, item: Span, heading: Span) -> list[tuple[Span, Span]]:
    """The diagnostic statements of one assessment line, as (item span, statement) pairs.

    A one-line assessment often lists several problems: "1. X 2. Y" (inline numbering, taken
    only in sequence from the line's own "1.") or "X; Y". A ";" starts a new statement only
    when what follows names an affirmed condition of the term index and does not read as a
    plan ("HTN; increase lisinopril" stays one statement with its plan), and only in a line
    whose first statement names one as well.
    """
    lower = note.lower
    cuts: list[tuple[int, int, bool]] = []  # (cut position, next statement start, numbered)
    if _FIRST_MARKER.search(lower, item.start, heading.start):
        expected = 2
        for match in _INLINE_NUMBER.finditer(lower, heading.start, item.end):
            if int(match.group(1)) == expected:
                cuts.append((match.start(), match.end(), True))
                expected += 1
    # A list "X; Y" opens with a condition too ("Health maintenance: Tdap; flu vaccine" is not).
    opens_with_statement = _names_condition(lower, heading)
    position = lower.find(";", heading.start, item.end) if opens_with_statement else -1
    while position >= 0:
        cuts.append((position, position + 1, False))
        position = lower.find(";", position + 1, item.end)
    # "Annual wellness visit completed. Actinic keratoses x 2, frozen.": a later sentence of
    # the line headed by a condition is a statement of its own, after a diagnostic or a
    # preventive statement (a line that opens with a plan keeps its sentences).
    if opens_with_statement or _names_preventive_encounter(lower, heading):
        for match in _SENTENCE_CUT.finditer(lower, heading.end, item.end):
            cuts.append((match.start(), match.end(), False))
    if not cuts:
        return [(item, heading)]
    cuts.sort()
    statements = [[item.start, item.end, heading.start, heading.end]]
    for cut, start, numbered in cuts:
        while start < item.end and lower[start].isspace():
            start += 1
        stop = min([c for c, _, _ in cuts if c > cut], default=item.end)
        piece, is_plan = statement_heading(lower, start, stop)
        if numbered or (not is_plan and _names_condition(lower, piece)):
            statements[-1][1] = cut
            statements[-1][3] = min(statements[-1][3], cut)
            statements.append([start, item.end, piece.start, piece.end])
    return [(Span(s, e), Span(hs, max(hs, he))) for s, e, hs, he in statements]


# What may follow the condition that heads a statement ("asthma, mild", "CKD stage 3a",
# "diabetes with ...", "warts x 3"); "diabetes prevention program" or "influenza vaccine" is
# not headed by a condition.
_AFTER_HEAD = re.compile(
    r"\s*(?:$|[,(:]|(?:with|without|due|of|in|on|stage|type|class|grade|secondary|status|not|"
    r"and|controlled|uncontrolled|stable|improving|worsening|resolved)\b|x ?\d)"
)

# A condition after one of these is the object of a plan ("counseled on hypoglycemia").
_OBJECT_MARKS = frozenset({"on", "for", "about", "regarding", "re", "to", "given", "per"})


def _names_preventive_encounter(lower: str, statement: Span) -> bool:
    """Whether the statement names an affirmed preventive encounter ("AWV completed")."""
    index = term_index()
    for match in index.pattern.finditer(lower, statement.start, statement.end):
        entry = index.by_term.get(_normal(match.group()))
        if entry is not None and entry.get("group") in PREVENTIVE_GROUPS:
            status = assertion(
                lower, match.start(), match.end(), floor=statement.start, ceiling=statement.end
            )
            if status is Assertion.PRESENT:
                return True
    return False


def _names_condition(lower: str, statement: Span) -> bool:
    """Whether the statement is headed by an affirmed condition of the term index: at most
    three words (its qualifiers, no preposition) before it, and nothing but a qualifying
    phrase after it."""
    index = term_index()
    for match in index.pattern.finditer(lower, statement.start, statement.end):
        entry = index.by_term.get(_normal(match.group()))
        if entry is None or entry.get("group") in PREVENTIVE_GROUPS:
            continue
        before = lower[statement.start : match.start()].split()
        if (
            len(before) > 3
            or _OBJECT_MARKS.intersection(before)
            or not _AFTER_HEAD.match(lower[match.end() : statement.end])
        ):
            continue
        status = assertion(
            lower, match.start(), match.end(), floor=statement.start, ceiling=statement.end
        )
        if status is Assertion.PRESENT:
            return True
    return False


# Groups the combination rules below rebuild (diabetes, CKD, hypertension, heart failure,
# tobacco, BMI): the tabular fallback leaves their codes to those rules.
_COMBINED_GROUPS = (
    "diabetes",
    "ckd",
    "hypertens",
    "heart_failure",
    "tobacco",
    "obesity",
    "neuropathy",
    "gestational",
    "well_",
    "immunization",
)


def _specify_from_tabular(note: ClinicalNote, item: ItemDiagnoses) -> None:
    """Specificity the curated table misses, from the tabular list's own wording
    (``icd10_match``): a more specific code for a coded condition, or a code for a
    statement of an assessment section that the table did not code at all."""
    heading = item.heading
    eligible = [
        d
        for d in item.diagnoses
        if d.kind != "status" and not (d.group or "").startswith(_COMBINED_GROUPS)
    ]
    if item.diagnoses:
        descriptions = [icd10.descriptor(d.code) for d in eligible]
        if not eligible or not icd10_match.says_more_than(
            note.lower, heading.start, heading.end, descriptions
        ):
            return
    elif item.uncertain or item.preventive or not note.has_assessment:
        return
    words = icd10_match.read_statement(note.lower, heading.start, heading.end)
    if words is None:
        return
    source = "specificity from the ICD-10-CM tabular wording"
    if not item.diagnoses:
        match = icd10_match.code_for_statement(words)
        kind = _kind_of_category(match.code[:3]) if match else None
        if match and kind and not match.code.startswith("Z"):
            why = f"assessed today: {note.quote(heading.start, heading.end, 120)!r}; {source}"
            item.diagnoses.append(Diagnosis(match.code, kind, None, item.index, heading, why))
        return
    for diagnosis, description in zip(eligible, descriptions, strict=True):
        match = icd10_match.more_specific(words, diagnosis.code, description)
        if match:
            diagnosis.justification += f"; {source} ({diagnosis.code} -> {match.code})"
            diagnosis.code = match.code


# An Excludes1 note that sends a condition stated with something more to a combination code:
# "that with hydronephrosis (N13.2)" under N20 (calculus of kidney and ureter). "that" is the
# code's own condition; any other leading words must be stated too.
_EXCLUDES1_WITH = re.compile(r"^(.*?)\bwith ([^()]+?) \(([A-Z]\d{2}\.[0-9A-Z]+)\)$")
_OWN_CONDITION = frozenset({"that", "those", "this"})


@cache
def _combinations_excluding(code: str) -> tuple[tuple[frozenset[str], str], ...]:
    """(words the statement must affirm, combination code) from the Excludes1 notes of the
    code, its category and block: a billable code named for the condition 'with' more."""
    index = icd10_match.description_index()
    found: list[tuple[frozenset[str], str]] = []
    for ancestor in _with_ancestors(code):
        for text in icd_package.get_excludes1(ancestor):
            match = _EXCLUDES1_WITH.match(text.strip())
            if match is None or not icd10.is_billable(match.group(3)):
                continue
            raw = icd10_match.WORD.findall(f"{match.group(1)} {match.group(2)}".lower())
            words = {
                index.canonical(w)
                for w in raw
                if w not in icd10_match.STOP_WORDS and w not in _OWN_CONDITION
            }
            if words and None not in words:
                found.append((frozenset(w for w in words if w), match.group(3)))
    return tuple(found)


def _excluded_for_combination(note: ClinicalNote, item: ItemDiagnoses) -> None:
    """A code whose Excludes1 note sends the condition 'with' what the statement also says to
    a combination code takes that code (ICD-10-CM I.B.9: a combination code names both;
    Excludes1: the two are never coded together)."""
    heading = item.heading
    words: icd10_match.StatementWords | None = None
    for diagnosis in item.diagnoses:
        combinations = _combinations_excluding(diagnosis.code)
        if not combinations:
            continue
        words = words or icd10_match.read_statement(note.lower, heading.start, heading.end)
        if words is None:
            return
        for needed, combination in combinations:
            if needed <= words.affirmed:
                diagnosis.justification += (
                    f"; combination code {combination} (Excludes1 at {diagnosis.code})"
                )
                diagnosis.code = combination
                break


_DESCRIPTION_WORD = re.compile(r"[a-z]+")


def _drop_parts_of_combinations(item: ItemDiagnoses) -> None:
    """A condition the statement's combination code already names after its 'with' is not
    coded again ("left-sided ulcerative colitis with rectal bleeding" is K51.511 alone, not
    also K62.5): ICD-10-CM I.B.9, a combination code fully names both parts."""
    combined = [
        (d.code, icd10.descriptor(d.code).lower().partition(" with ")[2]) for d in item.diagnoses
    ]
    kept: list[Diagnosis] = []
    for diagnosis in item.diagnoses:
        words = set(_DESCRIPTION_WORD.findall(diagnosis.term.lower()))
        named = words and any(
            code != diagnosis.code and words <= set(_DESCRIPTION_WORD.findall(after))
            for code, after in combined
        )
        if not named:
            kept.append(diagnosis)
    item.diagnoses = kept


# The codes an Excludes note names in brackets: one code ("E11.649"), a code and all below it
# ("G43.7-"), or a range of categories ("G43-G44").
_NOTE_CODES = re.compile(r"\(([^()]*\d[^()]*)\)")
_NOTE_CODE = re.compile(
    r"^([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]+)?)-?(?:-([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]+)?)-?)?$"
)


@dataclass(frozen=True)
class ExcludesNote:
    """The codes one Excludes note sends a condition to, as (first, last) code prefixes,
    and the note's words."""

    ranges: tuple[tuple[str, str], ...]
    words: frozenset[str]

    def names(self, code: str) -> bool:
        return any(
            first <= code[: len(first)] and code[: len(last)] <= last for first, last in self.ranges
        )


def _note_words(text: str) -> frozenset[str]:
    """Lower-case words, a plural 's' dropped ("headaches" and "headache" are one word)."""
    return frozenset(w[:-1] if w.endswith("s") else w for w in _DESCRIPTION_WORD.findall(text))


@cache
def _excludes_notes(code: str, *, with_excludes2: bool) -> tuple[ExcludesNote, ...]:
    """The Excludes1 (and Excludes2) notes of the code, its category, block and chapter."""
    found: list[ExcludesNote] = []
    for ancestor in _with_ancestors(code):
        texts = list(icd_package.get_excludes1(ancestor))
        if with_excludes2:
            texts += icd_package.get_excludes2(ancestor)
        for text in texts:
            ranges = [
                (match.group(1), match.group(2) or match.group(1))
                for bracket in _NOTE_CODES.findall(text)
                for part in bracket.split(",")
                if (match := _NOTE_CODE.match(part.strip()))
            ]
            if ranges:
                found.append(ExcludesNote(tuple(ranges), _note_words(text.lower())))
    return tuple(found)


def _excludes(code: str, other: str) -> bool:
    """An Excludes1 note of the code names the other code."""
    return any(note.names(other) for note in _excludes_notes(code, with_excludes2=False))


def _drop_excluded_beside(codes: list[Diagnosis]) -> list[Diagnosis]:
    """Codes another code kept here makes redundant, across statements. A code whose
    Excludes1 note names another kept code is not coded with it, unless that code excludes it
    back (E16.2 beside E11.649: the combination code already says hypoglycemia). A symptom
    whose Excludes note names a kept definitive diagnosis as a form of that symptom is
    integral to it ("migraine and other headache syndromes (G43-G44)" under R51: a headache
    beside a migraine, Official Guidelines I.B.5); a note naming some other condition (R10's
    dorsalgia) drops nothing."""
    present = {d.code for d in codes}
    definitive = {d.code for d in codes if d.kind in DEFINITIVE_KINDS}
    kept: list[Diagnosis] = []
    for diagnosis in codes:
        if diagnosis.kind != "status" and any(
            _excludes(diagnosis.code, other) and not _excludes(other, diagnosis.code)
            for other in present - {diagnosis.code}
        ):
            # Two codes that each exclude the other ("chills without fever" under R68.83,
            # "chills with fever" under R50.9) say nothing about which one stands: both kept.
            continue
        term = _note_words(diagnosis.term.lower())
        if term and diagnosis.kind in ("symptom", "finding") and diagnosis.code.startswith("R"):
            integral = any(
                term <= note.words and note.names(other)
                for note in _excludes_notes(diagnosis.code, with_excludes2=True)
                for other in definitive - {diagnosis.code}
            )
            if integral:
                continue
        kept.append(diagnosis)
    return kept


@cache
def _category_kinds() -> dict[str, str]:
    """ICD-10-CM category -> problem kind, from the curated table's codes in it."""
    kinds: dict[str, str] = {}
    for entry in diagnosis_terms()["conditions"]:
        for code in [entry["code"], *(code for _, code in entry.get("refine", []))]:
            kinds.setdefault(code[:3], entry["kind"])
    return kinds


def _kind_of_category(category: str) -> str | None:
    return _category_kinds().get(category)


def _collect_uncertain(note: ClinicalNote, item: ItemDiagnoses) -> None:
    """Differentials often follow the diagnostic statement ("... Concerning for ACS, cannot
    exclude."): they are not coded, but they shape the problem's complexity."""
    index = term_index()
    lower = note.lower
    for match in note.find_terms_between(
        index.pattern, index.first_words, item.heading.end, item.span.end
    ):
        entry = index.by_term.get(_normal(match.group()))
        if entry is None or entry in item.uncertain:
            continue
        status = assertion(
            lower, match.start(), match.end(), floor=item.span.start, ceiling=item.span.end
        )
        if status is Assertion.UNCERTAIN:
            item.uncertain.append(entry)


_VACCINE_AFTER = re.compile(r"[ \t-]*(?:vaccin\w*|shots?|immuni[sz]\w*|boosters?)\b")


def _inside_parentheses(lower: str, floor: int, position: int) -> bool:
    before = lower[floor:position]
    return before.count("(") > before.count(")")


def _suppress_integral_symptoms(item: ItemDiagnoses) -> None:
    """Signs and symptoms routine to a definitive diagnosis are not coded with it
    (Official Guidelines I.B.5); without one, the first symptom plus abnormal findings are."""
    definitive = [d for d in item.diagnoses if d.kind in DEFINITIVE_KINDS or d.kind == "status"]
    if any(d.kind in DEFINITIVE_KINDS for d in item.diagnoses):
        item.diagnoses = definitive
        return
    kept: list[Diagnosis] = []
    symptom_kept = False
    for diagnosis in item.diagnoses:
        if diagnosis.kind == "symptom":
            if symptom_kept:
                continue
            symptom_kept = True
        kept.append(diagnosis)
    item.diagnoses = kept


def _is_unspecified(code: str) -> bool:
    return "unspecified" in icd10.descriptor(code).lower() if icd10.is_code(code) else True


def _keep_most_specific(codes: list[Diagnosis]) -> list[Diagnosis]:
    """Within a condition group, an unspecified code gives way to a specified one."""
    by_group: dict[str, list[Diagnosis]] = {}
    for diagnosis in codes:
        if diagnosis.group:
            by_group.setdefault(diagnosis.group, []).append(diagnosis)
    drop: set[int] = set()
    for members in by_group.values():
        specified = [d for d in members if not _is_unspecified(d.code)]
        if specified:
            drop.update(id(d) for d in members if _is_unspecified(d.code))
    return [d for d in codes if id(d) not in drop]


_DIABETES_GROUPS = {
    "diabetes_type2",
    "diabetes_type2_ckd",
    "diabetes_type2_neuropathy",
    "diabetes_type2_retinopathy",
    "diabetes_type2_gastroparesis",
    "diabetes_type2_pad",
    "diabetes_type2_foot_ulcer",
    "diabetes_type2_hyperglycemia",
}
_COMPLICATION_BY_GROUP = {
    "ckd": ".22",
    "diabetes_type2_ckd": ".22",
    "neuropathy": ".42",
    "diabetes_type2_neuropathy": ".42",
    "diabetes_type2_gastroparesis": ".43",
    "diabetes_type2_pad": ".51",
    "diabetes_type2_foot_ulcer": ".621",
    "diabetes_type2_hyperglycemia": ".65",
}
_A1C_GOAL = prefiltered(
    r"goal\W{0,3}(?:of\s+|is\s+)?(?:<|less than|below|under)\s*(\d{1,2}(?:\.\d)?)"
)
_A1C_IN_TEXT = prefiltered(r"\b(?:hb\s?a1c|a1c)\b[^0-9%\n]{0,12}?(\d{1,2}(?:\.\d)?)\s*%")


def _diabetes_combinations(
    note: ClinicalNote,
    findings: Findings,
    codes: list[Diagnosis],
    items: list[ItemDiagnoses],
    tips: list[str],
) -> list[Diagnosis]:
    """One diabetes code per complication the note links (or the 'with' convention presumes),
    hyperglycemia when documented or when the A1c is above the documented goal; E11.9 when
    nothing else applies. Then the drug-status partners (E11 'use additional code' note)."""
    diabetes = [d for d in codes if d.group in _DIABETES_GROUPS or d.group == "diabetes_type1"]
    if not diabetes:
        return codes
    type1 = any(d.group == "diabetes_type1" for d in diabetes)
    prefix = "E10" if type1 else "E11"
    anchor = diabetes[0]
    lower = note.lower
    suffixes: dict[str, str] = {}
    for diagnosis in codes:
        suffix = _COMPLICATION_BY_GROUP.get(diagnosis.group or "")
        if suffix:
            suffixes.setdefault(
                suffix, f"documented with {icd10.descriptor(diagnosis.code).lower()}"
            )
        if diagnosis.group == "diabetes_type2_retinopathy":
            suffixes.setdefault(diagnosis.code[3:], "diabetic retinopathy documented")
    for diagnosis in diabetes:
        item = items[diagnosis.item_index] if diagnosis.item_index is not None else None
        if item is None:
            continue
        if has_qualifier(lower, "with_hyperglycemia", item.span.start, item.span.end):
            suffixes.setdefault(".65", "documented as poorly controlled / with hyperglycemia")
        elif _a1c_above_goal(lower, item.span):
            suffixes.setdefault(".65", "A1c above the documented goal")
        if has_qualifier(lower, "with_hypoglycemia", item.heading.start, item.heading.end):
            suffixes.setdefault(".649", "documented with hypoglycemia")
    kept = [d for d in codes if d not in diabetes and d.group not in ("neuropathy",)]
    combined: list[Diagnosis] = []
    for suffix, why in suffixes.items():
        code = prefix + suffix
        if icd10.is_billable(code):
            combined.append(
                Diagnosis(
                    code,
                    "chronic",
                    "diabetes",
                    anchor.item_index,
                    anchor.evidence,
                    f"{anchor.justification}; {why}",
                    derived=suffix != anchor.code[3:],
                )
            )
    if not combined:
        combined.append(
            Diagnosis(
                f"{prefix}.9",
                "chronic",
                "diabetes",
                anchor.item_index,
                anchor.evidence,
                f"{anchor.justification}; no complication or hyperglycemia documented",
            )
        )
        if findings.a1c and findings.a1c.value >= 8.0:
            tips.append(
                f"A1c {findings.a1c.value:g}% with diabetes coded {prefix}.9: if the clinician "
                "judges it above goal, documenting 'with hyperglycemia' supports "
                f"{prefix}.65 (ICD-10-CM index: diabetes, poorly controlled)."
            )
    if not type1:
        combined.extend(_diabetes_drug_status(note, findings, anchor))
    return [*combined, *kept]


def _a1c_above_goal(lower: str, span: Span) -> bool:
    text = lower[span.start : span.end]
    goal = _A1C_GOAL.search(text)
    value = _A1C_IN_TEXT.search(text)
    return bool(goal and value and float(value.group(1)) > float(goal.group(1)))


def _diabetes_drug_status(
    note: ClinicalNote, findings: Findings, anchor: Diagnosis
) -> list[Diagnosis]:
    partners = {
        "insulin": ("Z79.4", "long-term insulin use"),
        "oral_hypoglycemic": ("Z79.84", "long-term oral hypoglycemic use"),
        "injectable_non_insulin": ("Z79.85", "long-term injectable non-insulin antidiabetic use"),
    }
    added: dict[str, Diagnosis] = {}
    for mention in findings.medications:
        partner = partners.get(mention.drug_class)
        if not partner or mention.discontinued or partner[0] in added:
            continue
        status = assertion(note.lower, mention.span.start, mention.span.end)
        if status in (Assertion.NEGATED, Assertion.FAMILY, Assertion.HISTORICAL):
            continue
        if note.lower[mention.span.end : mention.span.end + 12].strip().startswith("resistance"):
            continue
        code, label = partner
        added[code] = Diagnosis(
            code,
            "status",
            "drug_status",
            anchor.item_index,
            mention.span,
            f"{label}: {note.quote(mention.span.start, mention.span.end)} (E11 'use additional"
            f" code' note)",
            derived=True,
        )
    return list(added.values())


def _ckd_stage_partner(
    note: ClinicalNote, codes: list[Diagnosis], items: list[ItemDiagnoses]
) -> list[Diagnosis]:
    """Diabetic or hypertensive CKD needs its stage code (N18.1-N18.6, or N18.9)."""
    has_stage = any(d.code.startswith("N18") for d in codes)
    needs_stage = [
        d
        for d in codes
        if d.code[:5] in ("E11.2", "E10.2", "I12.9", "I12.0") or d.code.startswith(("I12", "I13"))
    ]
    if has_stage or not needs_stage:
        return codes
    ckd_entry = term_index().by_term["ckd"]
    anchor = needs_stage[0]
    code, rule = ckd_entry["code"], ""
    for statement in _ckd_statements(note, needs_stage, items):
        code, rule = _refine(ckd_entry, note.lower, statement)
        if rule:
            break
    return [
        *codes,
        Diagnosis(
            code,
            "chronic",
            "ckd",
            anchor.item_index,
            anchor.evidence,
            f"CKD stage for {anchor.code} ('use additional code' note)"
            + (f": {rule}" if rule else ""),
            derived=True,
        ),
    ]


_CKD_NAMED = prefiltered(r"\bckd\b|chronic kidney disease|chronic renal")


def _ckd_statements(
    note: ClinicalNote, needs_stage: list[Diagnosis], items: list[ItemDiagnoses]
) -> list[Span]:
    """Where the stage of a diabetic or hypertensive CKD may be written: the statements the
    conditions needing it came from, then any assessed statement that names CKD. A combination
    code may be taken from one item ("type 2 diabetes with CKD") while another item carries the
    stage ("diabetic CKD stage 3b with hypertension"); both describe the same kidneys."""
    statements = [d.evidence for d in needs_stage]
    statements += [
        item.heading
        for item in items
        if _CKD_NAMED.search(note.lower, item.heading.start, item.heading.end)
    ]
    return statements


def _family_history(note: ClinicalNote) -> list[Diagnosis]:
    """A relative's condition written in the assessment or plan is family history the
    clinician weighed today ("Mother had breast cancer at 44: genetic counselling"): its
    Z80-Z84 code (``family_history`` in the term table). In the history sections it is
    background only (eval README: conditions only listed in history are not coded)."""
    index = term_index()
    found: list[Diagnosis] = []
    for area in note.plan_like_spans():
        for match in note.find_terms_between(
            index.pattern, index.first_words, area.start, area.end
        ):
            entry = index.by_term.get(_normal(match.group()))
            code = entry.get("family_history") if entry else None
            if (
                not code
                or assertion(note.lower, match.start(), match.end()) is not Assertion.FAMILY
            ):
                continue
            sentence = note.sentence_at(match.start())
            why = f"family history weighed today: {note.quote(sentence.start, sentence.end, 120)!r}"
            found.append(
                Diagnosis(code, "status", "family_history", None, sentence, why, derived=True)
            )
    return found


def _hypertension_combinations(codes: list[Diagnosis]) -> list[Diagnosis]:
    """Hypertension with CKD and/or heart failure is presumed linked (I.C.9.a): I11/I12/I13.

    The heart and kidney parts may be stated in the hypertension's own wording ("hypertensive
    heart disease", "hypertensive heart and kidney disease") or as separate conditions; either
    way the combination category follows what is documented (I.C.9.a.1-3): heart involvement
    and CKD -> I13 (I13.0/I13.2 with heart failure, I13.10/I13.11 without), CKD alone -> I12,
    heart failure alone -> I11.0. Stage 5 CKD or ESRD takes the late-stage code.
    """
    hypertension = [d for d in codes if d.code == "I10" or d.code.startswith(("I11", "I12", "I13"))]
    if not hypertension:
        return codes
    heart_failure = any(d.code.startswith("I50") for d in codes)
    ckd = [d for d in codes if d.code.startswith("N18")]
    stated = {d.code[:3] for d in hypertension}
    heart = heart_failure or bool(stated & {"I11", "I13"})
    kidney = bool(ckd) or bool(stated & {"I12", "I13"})
    late_stage = any(d.code in ("N18.5", "N18.6") for d in ckd) or any(
        d.code in ("I12.0", "I13.11", "I13.2") for d in hypertension
    )
    anchor = hypertension[0]
    if heart and kidney:
        why = "hypertension with heart disease and CKD"
        if heart_failure:
            code = "I13.2" if late_stage else "I13.0"
        else:
            code = "I13.11" if late_stage else "I13.10"
    elif kidney:
        code, why = ("I12.0" if late_stage else "I12.9"), "hypertension with CKD"
    elif heart_failure:
        code, why = "I11.0", "hypertension with heart failure"
    else:
        return codes
    rest = [d for d in codes if d not in hypertension]
    combined = Diagnosis(
        code,
        "chronic",
        "hypertension",
        anchor.item_index,
        anchor.evidence,
        f"{anchor.justification}; {why} presumed linked (ICD-10-CM I.C.9.a)",
        derived=True,
    )
    return [combined, *rest]


@cache
def _use_additional_notes(code: str) -> tuple[str, ...]:
    """The 'use additional code' notes of the code and its category, block and chapter,
    lower-cased (the package does not let a code inherit its ancestors' notes)."""
    return tuple(
        (icd_package.get_use_additional_code(a) or "").lower() for a in _with_ancestors(code)
    )


@cache
def _with_ancestors(code: str) -> tuple[str, ...]:
    """The code, then its category, block and chapter: the package gives each its own notes,
    and a code inherits those of its ancestors. Empty for a code the package does not know."""
    try:
        return (code, *icd_package.get_ancestors(code))
    except ValueError:
        return ()


def _asks_for_tobacco_code(code: str) -> bool:
    """Does the code's category, block or chapter note ask for tobacco exposure/use codes?"""
    return any("tobacco" in note or "nicotine" in note for note in _use_additional_notes(code))


def _tobacco_partners(
    note: ClinicalNote, findings: Findings, codes: list[Diagnosis]
) -> list[Diagnosis]:
    if any(d.code.startswith(("F17", "Z87.891", "Z72.0")) for d in codes):
        return codes
    if findings.tobacco_status not in ("current", "former") or findings.tobacco_span is None:
        return codes
    asking = [d for d in codes if d.kind == "chronic" and _asks_for_tobacco_code(d.code)]
    if not asking:
        return codes
    span = findings.tobacco_span
    if findings.tobacco_status == "former":
        code, why = "Z87.891", "former tobacco use"
    else:
        sentence = note.sentence_at(span.start)
        cigarettes = (
            term_index().qualifiers["cigarettes"].search(note.lower, sentence.start, sentence.end)
        )
        code, why = ("F17.210" if cigarettes else "F17.200"), "current tobacco use"
    return [
        *codes,
        Diagnosis(
            code,
            "status",
            "tobacco",
            asking[0].item_index,
            sentence_or(note, span),
            f"{why} documented; {asking[0].code} asks for tobacco status ('use additional code')",
            derived=True,
        ),
    ]


_LONG_TERM = prefiltered(
    r"\blong[\s-]term\b|\bchronic(?:ally)?\b|\bindefinite(?:ly)?\b|\blifelong\b|\bongoing\b|"
    r"\bmaintenance\b"
)

_STOPPED = prefiltered(
    r"\b(?:discontinued|stopped|d/c'?d|no longer (?:on|taking)|came off|completed|finished)\b"
)


def _anticoagulant_status(
    note: ClinicalNote, findings: Findings, codes: list[Diagnosis]
) -> list[Diagnosis]:
    """Z79.01 when the patient takes an anticoagulant long term, beside the conditions coded
    today. A drug usually given for a short course (enoxaparin) needs the note to say
    long-term use (Official Guidelines I.C.21.c.3: Z79 is not for a brief course)."""
    conditions = [d for d in codes if d.kind != "status"]
    if not conditions or any(d.code == "Z79.01" for d in codes):
        return codes
    short_course = set(clinical_lexicon()["medications"]["anticoagulant_short_course"])
    for mention in findings.medications:
        if mention.drug_class != "anticoagulant" or mention.discontinued:
            continue
        if note.section_kind_at(mention.span.start) == "allergies":
            continue
        status = assertion(note.lower, mention.span.start, mention.span.end)
        if status is not Assertion.PRESENT:
            continue
        sentence = sentence_or(note, mention.span)
        if _STOPPED.search(note.lower, sentence.start, sentence.end):
            continue
        if mention.name.lower() in short_course and not _LONG_TERM.search(
            note.lower, sentence.start, sentence.end
        ):
            continue
        return [
            *codes,
            Diagnosis(
                "Z79.01",
                "status",
                "drug_status",
                conditions[0].item_index,
                mention.span,
                f"long-term anticoagulant use: {note.quote(mention.span.start, mention.span.end)}",
                derived=True,
            ),
        ]
    return codes


def sentence_or(note: ClinicalNote, span: Span) -> Span:
    sentence = note.sentence_at(span.start)
    return sentence if sentence.end > sentence.start else span


# N40.1 and N40.3 "use additional code for associated symptoms, when specified" (ICD-10-CM
# tabular list): the lower urinary tract symptoms the note states are coded beside them.
_BPH_SYMPTOMS = (
    (re.compile(r"\bnocturia\b"), "R35.1"),
    (re.compile(r"\burinary frequency\b|\bfrequent urination\b"), "R35.0"),
    (re.compile(r"\burinary urgency\b"), "R39.15"),
    (re.compile(r"\b(?:urinary )?hesitancy\b"), "R39.11"),
    (re.compile(r"\bweak (?:urinary )?stream\b"), "R39.12"),
    (re.compile(r"\bincomplete (?:bladder )?emptying\b"), "R39.14"),
    (re.compile(r"\bstraining (?:to|on|with) urinat"), "R39.16"),
)


def _bph_symptoms(note: ClinicalNote, codes: list[Diagnosis]) -> list[Diagnosis]:
    bph = next((d for d in codes if d.code in ("N40.1", "N40.3")), None)
    if bph is None:
        return codes
    lower, added = note.lower, []
    for pattern, code in _BPH_SYMPTOMS:
        for match in pattern.finditer(lower):
            sentence = sentence_or(note, Span(match.start(), match.end()))
            status = assertion(
                lower, match.start(), match.end(), floor=sentence.start, ceiling=sentence.end
            )
            if status is Assertion.PRESENT:
                why = f"{match.group()} with {bph.code} (tabular: use additional code for symptoms)"
                added.append(
                    Diagnosis(code, "symptom", None, bph.item_index, sentence, why, derived=True)
                )
                break
    return [*codes, *added]


@cache
def _agent_index() -> tuple[re.Pattern[str], dict[str, str]]:
    """The organism names of ``diagnosis_terms.json`` as one pattern, and name -> B95-B96 code."""
    by_name = {
        _normal(term): agent["code"]
        for agent in diagnosis_terms()["organisms"]["agents"]
        for term in agent["terms"]
    }
    return term_pattern(list(by_name)), by_name


def _asks_for_infectious_agent(code: str) -> bool:
    """Does the code's own, category, block or chapter note ask for B95-B97?"""
    return any(
        "b95" in note and ("infectious agent" in note or "organism" in note)
        for note in _use_additional_notes(code)
    )


def _infectious_agent_partners(
    note: ClinicalNote, codes: list[Diagnosis], items: list[ItemDiagnoses]
) -> list[Diagnosis]:
    """The organism a diagnostic statement names as the cause ("cystitis due to E. coli"),
    coded beside a condition whose tabular note says 'use additional code (B95-B97) to
    identify infectious agent'. Only the statement itself counts: a culture result the
    clinician does not tie to the diagnosis is not coded as its cause (I.C.1 and IV)."""
    pattern, by_name = _agent_index()
    lower, added = note.lower, []
    present = {d.code for d in codes}
    for diagnosis in codes:
        if diagnosis.derived or diagnosis.item_index is None:
            continue
        if not _asks_for_infectious_agent(diagnosis.code):
            continue
        item = items[diagnosis.item_index]
        heading = item.heading
        # A name that starts inside the statement may run past its end ("E. coli": the
        # statement splitter stops at the abbreviation's dot).
        for match in pattern.finditer(lower, heading.start, item.span.end):
            if match.start() >= heading.end:
                break
            status = assertion(
                lower, match.start(), match.end(), floor=heading.start, ceiling=item.span.end
            )
            code = by_name.get(_normal(match.group()))
            if status is not Assertion.PRESENT or code is None or code in present:
                continue
            present.add(code)
            why = f"{match.group()} named as the cause of {diagnosis.code} (use additional code)"
            added.append(
                Diagnosis(
                    code, "status", "organism", diagnosis.item_index, heading, why, derived=True
                )
            )
    return [*codes, *added]


def _bmi_partner(note: ClinicalNote, findings: Findings, codes: list[Diagnosis]) -> list[Diagnosis]:
    """Obesity and overweight codes ask for the BMI (E66 'use additional code' note)."""
    obesity = [d for d in codes if d.code.startswith("E66")]
    if not obesity or any(d.code.startswith("Z68") for d in codes):
        return codes
    if findings.age_years is not None and findings.age_years < 20:
        return _pediatric_bmi_partner(findings, codes, obesity[0])
    if findings.bmi is None:
        return codes
    bmi = findings.bmi.value
    if bmi < 20:
        code = "Z68.1"
    elif bmi < 40:
        code = f"Z68.{int(bmi)}"
    elif bmi < 45:
        code = "Z68.41"
    elif bmi < 50:
        code = "Z68.42"
    elif bmi < 60:
        code = "Z68.43"
    elif bmi < 70:
        code = "Z68.44"
    else:
        code = "Z68.45"
    return [
        *codes,
        Diagnosis(
            code,
            "status",
            "bmi",
            obesity[0].item_index,
            findings.bmi.span,
            f"BMI {bmi:g} documented with {obesity[0].code} (E66 'use additional code' note)",
            derived=True,
        ),
    ]


# Pediatric BMI-for-age (Z68.5-, ages 2-19): upper bound of each band -> code. At or above the
# 95th percentile the code depends on the percent of the 95th percentile (Z68.54-Z68.56),
# which a percentile alone does not give, so none is chosen there.
_PEDIATRIC_BMI_BANDS = ((5.0, "Z68.51"), (85.0, "Z68.52"), (95.0, "Z68.53"))


def _pediatric_bmi_partner(
    findings: Findings, codes: list[Diagnosis], obesity: Diagnosis
) -> list[Diagnosis]:
    """A child's overweight or obesity takes the BMI percentile code (Z68.5-), not an adult
    BMI value code (Z68.1-Z68.45 are for adults 20 and over)."""
    percentile = findings.bmi_percentile
    age = findings.age_years
    if percentile is None or age is None or age < 2:
        return codes
    code = next((c for top, c in _PEDIATRIC_BMI_BANDS if percentile.value < top), None)
    if code is None:
        return codes
    why = (
        f"BMI {percentile.value:g}th percentile for age documented with {obesity.code}"
        " (E66 'use additional code' note; pediatric Z68.5-)"
    )
    return [
        *codes,
        Diagnosis(code, "status", "bmi", obesity.item_index, percentile.span, why, derived=True),
    ]


def _valid_unique(codes: list[Diagnosis]) -> list[Diagnosis]:
    seen: set[str] = set()
    kept: list[Diagnosis] = []
    for diagnosis in codes:
        if diagnosis.code in seen or not icd10.is_billable(diagnosis.code):
            continue
        seen.add(diagnosis.code)
        kept.append(diagnosis)
    return kept
