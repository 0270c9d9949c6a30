"""The offline rule engine: a coder's rules applied to one note, no model, no database."""

import re
from dataclasses import dataclass
from typing import Any

from extraction import icd10
from extraction.engines.base import EngineAnswer
from extraction.engines.rules import codebook, em_level, payer_rules, procedures
from extraction.engines.rules.diagnoses import (
    Diagnosis,
    DiagnosisResult,
    ItemDiagnoses,
    code_diagnoses,
)
from extraction.engines.rules.em_level import LEVEL_NAMES, MDMResult, ProblemAssessment
from extraction.engines.rules.findings import Findings, extract_findings
from extraction.engines.rules.prefilter import prefiltered
from extraction.engines.rules.procedures import ServiceFinding
from extraction.engines.rules.reimbursement import FACILITY_FAMILIES, estimate, work_rvu
from extraction.engines.rules.risks import assess_risks
from extraction.engines.rules.sections import ClinicalNote, Span
from extraction.parameters import ExtractionParameters, PatientType, Payer, Specialty, VisitType
from extraction.result import BillingTier, CodeEntry, ExtractionResult

MODEL_NAME = "claimlens-rules-1"


def _service_reason(code: str, term: str, evidence: Span, why: str) -> Diagnosis:
    """A status code that names the reason for a service with no condition of its own."""
    return Diagnosis(code, "status", term, None, evidence, why, derived=True)


def _is_vaccine_product(code: str) -> bool:
    """A vaccine product code (procedure_codes.json family 'vaccine'): it takes Z23."""
    entry = codebook.lookup(code)
    return entry is not None and entry.family == "vaccine"


_DIAGNOSTIC_EVALUATION = prefiltered(
    r"diagnostic evaluation|psychiatric evaluation|\bintake\b|initial (?:psychiatric"
    r" )?(?:evaluation|assessment)|"
    r"diagnostic assessment"
)
_CRISIS = prefiltered(
    r"psychotherapy for crisis|crisis"
    r" (?:session|intervention|psychotherapy|visit|assessment)|\bin (?:acute )?crisis\b"
)
_EM_COMPONENT = prefiltered(
    r"\be/m\b|medication management|med management|\bpharmacologic management"
)
_PREVENTIVE_TITLE = prefiltered(
    r"annual (?:physical|wellness|preventive)|preventive"
    r" (?:visit|exam)|well[\s-](?:child|visit|woman|adolescent)"
)
# A behavioral visit that says in its opening it was held by video or phone is telehealth
# whatever visit type was chosen (modifier 95/93, eval README).
_TELEHEALTH_OPENING = prefiltered(
    r"\btele(?:health|medicine|psychiatry|therapy)\b|\bvideo visit\b|\baudio[\s-]video\b|"
    r"\baudio[\s-]only\b|\btelephone visit\b"
)
_OPENING = 400
# Clinicians who cannot prescribe: their diagnostic evaluation is 90791, never 90792 (CPT:
# 90792 adds medical services by a physician or other prescriber).
_NON_PRESCRIBER = prefiltered(
    r"\b(?:clinician|provider|therapist|seen by|rendering provider)\s*:[^\n]{0,60}?"
    r"\b(?:psycholog\w*|lcsw|lmsw|lpc|lmft|lmhc|psyd|licensed (?:clinical |professional |"
    r"independent )?(?:social worker|counselor|marriage))\b"
)
_PROBLEM_VISIT_MARK = prefiltered(r"separate problem|problem[\s-]oriented|separately identifiable")
# A sentence that says a problem's care stood apart from the procedure (modifier 25 wording).
_SET_APART = re.compile(r"\bseparate(?:ly)?\b|\bdistinct\b|\bunrelated\b|\bindependent of\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


# Words of a diagnostic statement that do not name its condition.
_NOT_CONDITION_WORDS = frozenset(
    {"left", "right", "bilateral", "both", "with", "without", "acute", "chronic", "stable"}
    | {"controlled", "uncontrolled", "above", "below", "goal", "today", "improving"}
    | {"worsening", "simple", "single", "multiple", "small", "large", "mild", "moderate"}
    | {"severe", "status", "from", "after"}
)
_STATEMENT_WORD = re.compile(r"[a-z]{4,}")


def _condition_words(note: ClinicalNote, item: ItemDiagnoses) -> set[str]:
    text = note.lower[item.heading.start : item.heading.end]
    return {w for w in _STATEMENT_WORD.findall(text) if w not in _NOT_CONDITION_WORDS}


@dataclass
class Visit:
    family: str  # office_new, office_est, ed, nf_initial, nf_subsequent, home_new, home_est
    preventive: bool
    awv: bool
    behavioral: bool
    telehealth: bool
    office_setting: bool  # procedures, drugs and in-office tests belong to this claim


def _visit(parameters: ExtractionParameters, note: ClinicalNote) -> Visit:
    new = parameters.patient_type == PatientType.NEW
    visit_type = parameters.visit_type
    office = "office_new" if new else "office_est"
    family = {
        VisitType.EMERGENCY_DEPT: "ed",
        VisitType.NURSING_FACILITY: "nf_initial" if new else "nf_subsequent",
        VisitType.HOME: "home_new" if new else "home_est",
    }.get(visit_type, office)
    preventive = visit_type in (VisitType.AWV, VisitType.WELL_CHILD)
    if visit_type == VisitType.OFFICE and _PREVENTIVE_TITLE.search(note.lower[:300]):
        preventive = True
    behavioral = visit_type in (VisitType.BEHAVIORAL, VisitType.TELEHEALTH_BH) or (
        parameters.specialty == Specialty.BEHAVIORAL_HEALTH and "psychotherapy" in note.lower
    )
    telehealth = visit_type in (VisitType.TELEHEALTH, VisitType.TELEHEALTH_BH) or (
        behavioral and _TELEHEALTH_OPENING.search(note.lower[:_OPENING]) is not None
    )
    awv = visit_type == VisitType.AWV and parameters.payer == Payer.MEDICARE
    office_setting = family.startswith(("office", "home")) and not telehealth
    return Visit(family, preventive, awv, behavioral, telehealth, office_setting)


class RulesEngine:
    """Codes a note with deterministic rules. Pure Python; fast enough to run inline."""

    name = "rules"

    def extract(self, *, note: str, parameters: ExtractionParameters) -> EngineAnswer:
        return EngineAnswer(result=code_note(note, parameters), engine=self.name, model=MODEL_NAME)


def code_note(text: str, parameters: ExtractionParameters) -> ExtractionResult:
    note = ClinicalNote(text)
    visit = _visit(parameters, note)
    findings = extract_findings(note, visit_is_ed=visit.family == "ed")
    diagnoses = code_diagnoses(note, findings)
    builder = _ResultBuilder(note, parameters, visit, findings, diagnoses)
    return builder.build()


class _ResultBuilder:
    def __init__(
        self,
        note: ClinicalNote,
        parameters: ExtractionParameters,
        visit: Visit,
        findings: Findings,
        diagnoses: DiagnosisResult,
    ) -> None:
        self.note = note
        self.parameters = parameters
        self.visit = visit
        self.findings = findings
        self.diagnoses = diagnoses
        self.result = ExtractionResult()
        self.mdm: dict[str, Any] = {}
        self.em_basis: str | None = None
        self.medicare = parameters.payer == Payer.MEDICARE
        self.continuity = payer_rules.continuity_evidence(note)

    # -- entries ---------------------------------------------------------------------------

    def _entry(
        self,
        code: str,
        evidence: Span,
        justification: str,
        *,
        units: int = 1,
        modifiers: list[str] | None = None,
    ) -> CodeEntry:
        info = codebook.lookup(code)
        descriptor = info.descriptor if info else code
        tier = BillingTier.BILLABLE
        if info and self.medicare and info.status in ("N", "I"):
            tier = BillingTier.NON_BILLABLE
        return CodeEntry(
            code=code,
            descriptor=descriptor,
            justification=justification,
            billing_tier=tier,
            estimated_rvu=work_rvu(code, units),
            modifiers=list(modifiers or []),
            evidence=self.note.quote(evidence.start, evidence.end),
            units=units,
        )

    def _add_service(self, service: ServiceFinding) -> None:
        info = codebook.lookup(service.code)
        if info is None:
            return
        target = getattr(self.result, info.list_name)
        if any(e.code == service.code for e in target):
            return
        target.append(
            self._entry(
                service.code,
                service.evidence,
                service.justification,
                units=service.units,
                modifiers=service.modifiers,
            )
        )

    def _add_diagnosis(self, diagnosis: Diagnosis) -> None:
        if any(e.code == diagnosis.code for e in self.result.icd10_codes):
            return
        self.result.icd10_codes.append(
            CodeEntry(
                code=diagnosis.code,
                descriptor=icd10.descriptor(diagnosis.code),
                justification=diagnosis.justification,
                billing_tier=BillingTier.BILLABLE
                if icd10.is_billable(diagnosis.code)
                else BillingTier.NON_BILLABLE,
                evidence=self.note.quote(diagnosis.evidence.start, diagnosis.evidence.end),
            )
        )

    # -- the visit -------------------------------------------------------------------------

    def build(self) -> ExtractionResult:
        visit = self.visit
        services = procedures.detect_procedures(
            self.note, office_setting=visit.office_setting, payer=str(self.parameters.payer)
        )
        age = self.findings.age_years
        awv_code: tuple[str, str] | None = (
            payer_rules.wellness_code(self.note) if visit.awv else None
        )
        if visit.preventive or visit.office_setting:
            services += procedures.detect_screenings(
                self.note,
                preventive=visit.preventive,
                behavioral=visit.behavioral,
                medicare=self.medicare,
                awv_initial=bool(awv_code and awv_code[0] == "G0438"),
                age_years=age,
            )
        if visit.office_setting:
            services += procedures.detect_vaccines(self.note, medicare=self.medicare, age_years=age)
        services += procedures.detect_counselling(self.note, self.findings, awv=visit.awv)
        if awv_code and awv_code[0] == "G0402":
            services = procedures.within_ippe(services)
        procedure_items = self._items_treated_by_procedures(services)
        if visit.behavioral:
            self._behavioral(services)
        elif visit.preventive:
            self._preventive(services, awv_code, procedure_items)
        else:
            self._problem_visit(services, procedure_items)
        for service in services:
            self._add_service(service)
        self._diagnosis_codes(services)
        self._quality_codes()
        self._finish()
        return self.result

    def _items_treated_by_procedures(self, services: list[ServiceFinding]) -> set[int]:
        global_services = [
            s
            for s in services
            if (info := codebook.lookup(s.code)) and info.global_period in ("000", "010")
        ]
        linked: set[int] = set()
        contexts = [self._procedure_context(s.evidence) for s in global_services]
        for item in self.diagnoses.items:
            text = self.note.lower[item.span.start : item.span.end]
            if any(word in text for s in global_services for word in s.indication_words):
                linked.add(item.index)
            elif item.diagnoses and any(
                word in context
                for word in _condition_words(self.note, item)
                for context in contexts
            ):
                # The procedure names the condition ("I&D of the abscess"): deciding on and
                # doing a minor procedure is part of its global package (CMS global surgery
                # booklet), so that problem does not support a separate E/M.
                linked.add(item.index)
        return linked

    def _procedure_context(self, evidence: Span) -> str:
        """The procedure's sentence and the note's procedure sections, less any sentence that
        sets a problem apart from the procedure ("the COPD care was separate from the I&D"):
        naming a problem there makes it separately identifiable, not part of the package."""
        lower = self.note.lower
        parts = [lower[evidence.start : evidence.end]]
        for section in self.note.sections_of("procedure"):
            parts += [
                sentence
                for sentence in _SENTENCE_END.split(lower[section.body_start : section.end])
                if not _SET_APART.search(sentence)
            ]
        return "\n".join(parts)

    def _problems(self, exclude: set[int]) -> list[ProblemAssessment]:
        problems: list[ProblemAssessment] = []
        for item in self.diagnoses.items:
            if item.preventive or item.index in exclude:
                continue
            problem = em_level.classify_problem(self.note, item, self.findings.medications)
            if problem:
                problems.append(problem)
        return problems

    def _mdm(
        self, exclude: set[int], services: list[ServiceFinding], *, use_historian: bool = True
    ) -> MDMResult:
        billed = {s.billed_test for s in services if s.billed_test}
        if any(s.code in ("93000", "G0403") for s in services):
            billed.add("independent interpretation")
        included = [
            item.span
            for item in self.diagnoses.items
            if item.index not in exclude and not item.preventive
        ]
        plan_spans = [Span(s.body_start, s.end) for s in self.note.sections_of("plan", "course")]
        plan_spans += [Span(i.start, i.end) for i in self.note.items if i.is_plan_line]
        problems = self._problems(exclude)
        return em_level.medical_decision_making(
            self.note,
            self.findings,
            problems,
            billed_tests=billed,
            included_spans=included,
            plan_spans=plan_spans,
            use_historian=use_historian,
        )

    def _em_entry(
        self, family: str, mdm: MDMResult, *, allow_time: bool, modifiers: list[str]
    ) -> CodeEntry | None:
        minutes = (
            self.findings.total_time.value if (allow_time and self.findings.total_time) else None
        )
        by_time = em_level.time_level(family, minutes) if family != "ed" else 0
        level = max(mdm.level, by_time)
        code = em_level.em_code(family, level)
        if code is None:
            return None
        self.em_basis = "time" if by_time > mdm.level else "mdm"
        self.mdm = mdm.as_dict()
        self.mdm["family"] = family
        self.mdm["time"] = {
            "minutes": minutes,
            "level": LEVEL_NAMES.get(by_time) if by_time else None,
            "rule": "total time on the date, CPT 2024 thresholds (not used for ED)",
        }
        self.mdm["basis"] = self.em_basis
        if self.em_basis == "time":
            why = (
                f"Total time {minutes:g} min supports {LEVEL_NAMES[by_time]} "
                f"(MDM alone {LEVEL_NAMES[mdm.level]})"
            )
            evidence = self.findings.total_time.span
        else:
            why = (
                f"MDM {LEVEL_NAMES[mdm.level]}: problems {LEVEL_NAMES[mdm.problems_level]}, "
                f"data {em_level.DATA_NAMES[mdm.data_level]}, risk"
                f" {em_level.RISK_NAMES[mdm.risk_level]}"
            )
            evidence = self._mdm_evidence(mdm)
        entry = self._entry(code, evidence, why, modifiers=modifiers)
        self.result.em_codes.append(entry)
        prolonged = payer_rules.prolonged_service(
            payer=self.parameters.payer, family=family, level=level, minutes=minutes
        )
        if prolonged and self.findings.total_time:
            extra, units, threshold = prolonged
            self._add_service(
                ServiceFinding(
                    extra,
                    self.findings.total_time.span,
                    f"Total time {minutes:g} min passes {threshold} min for prolonged service",
                    units=units,
                )
            )
        return entry

    def _mdm_evidence(self, mdm: MDMResult) -> Span:
        if mdm.problems:
            item = self.diagnoses.items[mdm.problems[0].item_index]
            return item.heading
        sections = self.note.sections_of("assessment", "plan")
        if sections:
            return Span(sections[0].body_start, sections[0].end)
        return Span(0, min(len(self.note.text), 200))

    def _telehealth_modifiers(self) -> list[str]:
        return [payer_rules.telehealth_modifier(self.findings)] if self.visit.telehealth else []

    def _problem_visit(self, services: list[ServiceFinding], procedure_items: set[int]) -> None:
        family = self.visit.family
        mdm = self._mdm(procedure_items, services)
        has_global_procedure = any(
            (info := codebook.lookup(s.code)) and info.global_period in ("000", "010")
            for s in services
        )
        if (
            not mdm.problems
            and self.findings.total_time is None
            and (has_global_procedure or mdm.risk_level < 3)
        ):
            # The decision to do a minor procedure is part of the procedure; and a note with
            # no problem addressed, no time and no management supports no E/M level.
            self.result.optimization_tips.append(
                "No problem assessed today was found: document the assessment to support an E/M."
            )
            return
        modifiers = self._telehealth_modifiers()
        if any((info := codebook.lookup(s.code)) and info.mod25_with_em for s in services):
            modifiers.append("25")
        therapy = self.findings.psychotherapy_time
        entry = self._em_entry(family, mdm, allow_time=not therapy, modifiers=modifiers)
        if entry and therapy and therapy.value >= 16 and "psychotherapy" in self.note.lower:
            self._psychotherapy_addon(therapy.value, therapy.span, self._telehealth_modifiers())
        if entry:
            self._g2211(entry, with_preventive=False)

    def _g2211(self, entry: CodeEntry, *, with_preventive: bool) -> None:
        family = self.mdm.get("family", "")
        if self.continuity and payer_rules.g2211_allowed(
            payer=self.parameters.payer,
            family=family,
            em_modifiers=entry.modifiers,
            with_preventive=with_preventive,
        ):
            self._add_service(
                ServiceFinding(
                    "G2211",
                    self.continuity,
                    "Medicare office/outpatient E/M with documented longitudinal care",
                )
            )

    def _preventive(
        self,
        services: list[ServiceFinding],
        awv_code: tuple[str, str] | None,
        procedure_items: set[int],
    ) -> None:
        age = self.findings.age_years
        evidence = Span(
            0,
            min(len(self.note.text), self.note.text.find("\n") if "\n" in self.note.text else 120),
        )
        if awv_code:
            self._add_service(ServiceFinding(awv_code[0], evidence, awv_code[1]))
        else:
            code = em_level.preventive_code(
                new_patient=self.parameters.patient_type == PatientType.NEW, age_years=age
            )
            if code:
                span = self.findings.age_span or evidence
                self.result.em_codes.append(
                    self._entry(
                        code,
                        span,
                        f"Preventive visit, age {age:g}, {self.parameters.patient_type} patient",
                    )
                )
            else:
                self.result.optimization_tips.append(
                    "Preventive visit without a stated age: document the age to select the"
                    " preventive code band."
                )
        mdm = self._mdm(procedure_items, services, use_historian=False)
        separate = _PROBLEM_VISIT_MARK.search(self.note.lower) is not None
        if mdm.problems and (mdm.level >= 2 or separate):
            family = (
                "office_new" if self.parameters.patient_type == PatientType.NEW else "office_est"
            )
            entry = self._em_entry(family, mdm, allow_time=False, modifiers=["25"])
            if entry:
                self._g2211(entry, with_preventive=True)
        elif mdm.problems:
            self.mdm = mdm.as_dict()
            self.mdm["note"] = (
                "Problems handled within the preventive service (no significant separate work):"
                " no separate E/M."
            )

    def _behavioral(self, services: list[ServiceFinding]) -> None:
        lower = self.note.lower
        modifiers = self._telehealth_modifiers()
        therapy = self.findings.psychotherapy_time
        crisis = _CRISIS.search(lower)
        crisis_time = self.findings.crisis_time or therapy or self.findings.total_time
        if crisis and crisis_time and crisis_time.value >= 30:
            self._add_service(
                ServiceFinding(
                    "90839",
                    crisis_time.span,
                    f"Psychotherapy for crisis, {crisis_time.value:g} min",
                    modifiers=modifiers,
                )
            )
            if crisis_time.value >= 75:
                units = 1 + int((crisis_time.value - 75) // 30)
                self._add_service(
                    ServiceFinding(
                        "90840",
                        crisis_time.span,
                        "Crisis psychotherapy, each further 30 min",
                        units=units,
                        modifiers=modifiers,
                    )
                )
            return
        prescribing = not _NON_PRESCRIBER.search(lower) and any(
            m.managed
            and m.drug_class != "otc"
            and self.note.section_kind_at(m.span.start) in ("assessment", "plan")
            for m in self.findings.medications
        )
        complexity = procedures.interactive_complexity(self.note)
        if _DIAGNOSTIC_EVALUATION.search(lower[:400]) or (
            _DIAGNOSTIC_EVALUATION.search(lower) and not therapy
        ):
            code = "90792" if prescribing else "90791"
            why = "Psychiatric diagnostic evaluation" + (
                " with medical services (prescribing)" if prescribing else ""
            )
            match = _DIAGNOSTIC_EVALUATION.search(lower)
            self._add_service(
                ServiceFinding(code, Span(match.start(), match.end()), why, modifiers=modifiers)
            )
        elif prescribing or _EM_COMPONENT.search(lower):
            mdm = self._mdm(set(), services)
            family = (
                "office_new" if self.parameters.patient_type == PatientType.NEW else "office_est"
            )
            entry = self._em_entry(family, mdm, allow_time=not therapy, modifiers=modifiers)
            if entry and therapy and therapy.value >= 16:
                self._psychotherapy_addon(therapy.value, therapy.span, modifiers)
            if entry:
                self._g2211(entry, with_preventive=False)
        else:
            minutes = therapy or self.findings.total_time
            if minutes and minutes.value >= 16:
                for info in codebook.family_codes("psychotherapy"):
                    low, high = info.minutes or (0, 0)
                    if low <= minutes.value <= high:
                        self._add_service(
                            ServiceFinding(
                                info.code,
                                minutes.span,
                                f"Psychotherapy {minutes.value:g} min ({low}-{high} min band)",
                                modifiers=modifiers,
                            )
                        )
            elif minutes is None:
                self.result.optimization_tips.append(
                    "Psychotherapy without documented minutes: state psychotherapy time or"
                    " start/stop times."
                )
        if complexity:
            self._add_service(
                ServiceFinding(
                    "90785", complexity, "Interactive complexity documented", modifiers=modifiers
                )
            )

    def _psychotherapy_addon(self, minutes: float, span: Span, modifiers: list[str]) -> None:
        for info in codebook.family_codes("psychotherapy_addon"):
            low, high = info.minutes or (0, 0)
            if low <= minutes <= high:
                self._add_service(
                    ServiceFinding(
                        info.code,
                        span,
                        f"Psychotherapy with an E/M, {minutes:g} min ({low}-{high} min band),"
                        f" time separate from the E/M",
                        modifiers=modifiers,
                    )
                )

    # -- diagnoses, quality, totals --------------------------------------------------------

    def _diagnosis_codes(self, services: list[ServiceFinding]) -> None:
        codes = list(self.diagnoses.codes)
        if self.visit.preventive:
            codes = [self._preventive_diagnosis(codes), *codes]
        if any(e.code == "G0444" for e in self.result.hcpcs_codes):
            span = next(e for e in services if e.code == "G0444").evidence
            why = "Encounter for depression screening supports G0444"
            codes.append(_service_reason("Z13.31", "screening", span, why))
        acp = next((s for s in services if s.code == "99497"), None)
        if acp and any(e.code == "99497" for e in self.result.cpt_codes):
            # Advance care planning is counselling with no condition of its own to code:
            # Z71.89 "Other specified counseling" names the reason for the service.
            why = "Advance care planning counselling (99497) documented"
            codes.append(_service_reason("Z71.89", "counselling", acp.evidence, why))
        vaccines = [s for s in services if _is_vaccine_product(s.code)]
        if vaccines:
            why = "Encounter for immunization"
            codes.append(_service_reason("Z23", "immunization", vaccines[0].evidence, why))
        varnish = next((s for s in services if s.code == "99188"), None)
        if varnish:
            # The reason for the varnish: Z29.3 "Encounter for prophylactic fluoride
            # administration" (ICD-10-CM Z29, prophylactic measures).
            why = "Prophylactic fluoride varnish (99188) applied"
            codes.append(_service_reason("Z29.3", "prophylaxis", varnish.evidence, why))
        for diagnosis in codes:
            self._add_diagnosis(diagnosis)

    def _preventive_diagnosis(self, codes: list[Diagnosis]) -> Diagnosis:
        """Routine exam codes: Z00.12x under 18, Z00.0x adults; 'with abnormal findings' when a
        problem is found and addressed at the exam."""
        abnormal = any(d.kind not in ("status",) for d in codes)
        age = self.findings.age_years
        child = age is not None and age < 18
        code = (
            ("Z00.121" if abnormal else "Z00.129")
            if child
            else ("Z00.01" if abnormal else "Z00.00")
        )
        evidence = self.findings.age_span or Span(0, min(60, len(self.note.text)))
        why = (
            "Routine "
            + ("child health" if child else "adult")
            + " examination"
            + (" with abnormal findings addressed" if abnormal else " without abnormal findings")
        )
        return Diagnosis(code, "status", "preventive", None, evidence, why, derived=True)

    def _quality_codes(self) -> None:
        if self.visit.behavioral or self.visit.family in ("ed", "nf_initial", "nf_subsequent"):
            return
        has_diabetes = any(
            e.code.startswith(("E10", "E11", "E13")) for e in self.result.icd10_codes
        )
        age = self.findings.age_years
        for service in procedures.quality_codes(
            self.findings,
            has_diabetes=has_diabetes,
            adult=age is None or age >= 18,
            in_person=not self.visit.telehealth,
        ):
            self._add_service(service)

    def _finish(self) -> None:
        result = self.result
        medicare_office = self.medicare and self.visit.family in payer_rules.OFFICE_FAMILIES
        risks, tips = assess_risks(
            result,
            self.findings,
            em_basis=self.em_basis,
            preventive=self.visit.preventive,
            medicare_office=medicare_office,
            continuity_documented=self.continuity is not None,
        )
        result.denial_risks.extend(risks)
        result.optimization_tips.extend(self.diagnoses.tips)
        result.optimization_tips.extend(tips)
        result.mdm = self.mdm or None
        priced = result.em_codes + result.cpt_codes + result.hcpcs_codes
        result.reimbursement = estimate(
            priced, payer=self.parameters.payer, facility=self.visit.family in FACILITY_FAMILIES
        )
