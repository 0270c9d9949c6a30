"""The request parameters of ``POST /api/v1/extract`` with their documented values and aliases.

Values and defaults are the API reference's. Aliases are accepted on input and normalised to
one canonical value, which is what ``meta`` echoes.
"""

from dataclasses import dataclass
from enum import StrEnum


class Payer(StrEnum):
    MEDICARE = "medicare"
    MEDICAID = "medicaid"
    COMMERCIAL = "commercial"
    SELFPAY = "selfpay"


class PatientType(StrEnum):
    ESTABLISHED = "established"
    NEW = "new"


class VisitType(StrEnum):
    OFFICE = "office"
    TELEHEALTH = "telehealth"
    AWV = "awv"
    WELL_CHILD = "well_child"
    BEHAVIORAL = "behavioral"
    NURSING_FACILITY = "nursing_facility"
    EMERGENCY_DEPT = "emergency_dept"
    TELEHEALTH_BH = "telehealth_bh"
    HOME = "home"


class Specialty(StrEnum):
    FAMILY_MEDICINE = "family_medicine"
    INTERNAL_MEDICINE = "internal_medicine"
    PEDIATRICS = "pediatrics"
    BEHAVIORAL_HEALTH = "behavioral_health"


ALIASES: dict[str, dict[str, str]] = {
    "payer": {"self_pay": Payer.SELFPAY},
    "visit_type": {"bh": VisitType.BEHAVIORAL, "ed": VisitType.EMERGENCY_DEPT},
}

DEFAULTS = {
    "payer": Payer.MEDICARE,
    "patient_type": PatientType.ESTABLISHED,
    "visit_type": VisitType.OFFICE,
    "specialty": Specialty.FAMILY_MEDICINE,
}

CHOICES: dict[str, type[StrEnum]] = {
    "payer": Payer,
    "patient_type": PatientType,
    "visit_type": VisitType,
    "specialty": Specialty,
}

MAX_NOTE_CHARS = 50_000


@dataclass(frozen=True)
class ExtractionParameters:
    """What an engine is told about the visit besides the note. Always canonical values."""

    payer: Payer = Payer.MEDICARE
    patient_type: PatientType = PatientType.ESTABLISHED
    visit_type: VisitType = VisitType.OFFICE
    specialty: Specialty = Specialty.FAMILY_MEDICINE

    def as_dict(self) -> dict[str, str]:
        return {
            "payer": str(self.payer),
            "patient_type": str(self.patient_type),
            "visit_type": str(self.visit_type),
            "specialty": str(self.specialty),
        }


def allowed_values(field: str) -> list[str]:
    """Every value the API accepts for ``field``, aliases included, in documented order."""
    return [member.value for member in CHOICES[field]] + list(ALIASES.get(field, {}))


def canonical(field: str, value: str) -> StrEnum | None:
    """The canonical member for a value or alias (case-insensitive), or None when unknown."""
    key = value.strip().lower()
    key = ALIASES.get(field, {}).get(key, key)
    try:
        return CHOICES[field](key)
    except ValueError:
        return None
