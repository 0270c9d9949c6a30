"""The built-in offline engine (first version: office E/M from documented total time only).

The full rule engine replaces this module; the interface stays.
"""

import re

from extraction.engines.base import EngineAnswer
from extraction.parameters import ExtractionParameters, PatientType
from extraction.result import CodeEntry, ExtractionResult

_TOTAL_TIME = re.compile(
    r"\b(?:spent|total time[^0-9]{0,40})\s*(\d{1,3})\s*(?:min|minutes)\b", re.I
)
# AMA 2021 office E/M total-time thresholds (minutes), highest first.
_NEW = [(60, "99205"), (45, "99204"), (30, "99203"), (15, "99202")]
_ESTABLISHED = [(40, "99215"), (30, "99214"), (20, "99213"), (10, "99212")]


class RulesEngine:
    name = "rules"
    model = "claimlens-rules-0"

    def extract(self, *, note: str, parameters: ExtractionParameters) -> EngineAnswer:
        result = ExtractionResult()
        match = _TOTAL_TIME.search(note)
        if match:
            minutes = int(match.group(1))
            table = _NEW if parameters.patient_type == PatientType.NEW else _ESTABLISHED
            code = next((code for floor, code in table if minutes >= floor), None)
            if code:
                result.em_codes.append(
                    CodeEntry(
                        code=code,
                        descriptor="Office or outpatient visit",
                        justification=f"Total time {minutes} minutes on the date of service",
                        evidence=match.group(0),
                    )
                )
        return EngineAnswer(result=result, engine=self.name, model=self.model)
