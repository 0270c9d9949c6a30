"""Field rules shared by the API and the web form, as Django validators (DRF runs them too).

Messages name the rule, never echo a patient identifier.
"""

import re

from django.core.exceptions import ValidationError

from inquiries.models import Line

# CPT: five digits, or Category II/III (four digits + F/T). HCPCS Level II: a letter and four
# digits, which also covers CDT (D + four digits).
_CPT = re.compile(r"^\d{4}[0-9FT]$")
_HCPCS = re.compile(r"^[A-Z]\d{4}$")
_NPI = re.compile(r"^\d{10}$")
_TAX_ID = re.compile(r"^\d{9}$")

# Health Harbor's benefits_query values per line (integrations.md §6.4). The quickstart sends
# MAXIMUMS, which is not in its own enum: accepted as DEDUCTIBLES_AND_MAXIMUMS.
BENEFITS_QUERIES: dict[str, frozenset[str]] = {
    Line.MENTAL_HEALTH: frozenset(
        {
            "DEDUCTIBLES_AND_MAXIMUMS",
            "MAXIMUMS",
            "PLAN_INFO",
            "NETWORK_STATUS",
            "CODE_LOOKUP_PRIOR_AUTH",
            "CODE_LOOKUP_BENEFITS",
            "OFFICE_VISIT_NEW_PATIENT",
            "OFFICE_VISIT_RETURNING_PATIENT",
            "PSYCHOTHERAPY",
            "FAMILY_PSYCHOTHERAPY",
            "GROUP_PSYCHOTHERAPY",
            "UNKNOWN",
        }
    ),
    Line.MEDICAL: frozenset(
        {
            "DEDUCTIBLES_AND_MAXIMUMS",
            "MAXIMUMS",
            "PLAN_INFO",
            "NETWORK_STATUS",
            "CODE_LOOKUP_PRIOR_AUTH",
            "CODE_LOOKUP_BENEFITS",
            "PULMONARY_REHAB_COVERAGE",
            "PRIOR_AUTH_PHYSICAL_THERAPY",
            "WEIGHT_MANAGEMENT",
            "UNKNOWN",
        }
    ),
    Line.DENTAL: frozenset(
        {
            "STANDARD",
            "CODE_LOOKUP_BENEFITS",
            "CODE_LOOKUP_FREQUENCIES",
            "TREATMENT_HISTORY",
            "DEDUCTIBLES_AND_MAXIMUMS",
            "MAXIMUMS",
            "UNKNOWN",
        }
    ),
}
# Queries that look codes up, and so need benefits_codes.
CODE_LOOKUP_QUERIES = frozenset(
    {"CODE_LOOKUP_BENEFITS", "CODE_LOOKUP_PRIOR_AUTH", "CODE_LOOKUP_FREQUENCIES"}
)

# Health Harbor's documented insurance values (mental health); medical and dental have lists of
# their own that are not published, so the API accepts any upper-case token and the web form
# offers these.
INSURANCES = ("AETNA", "CIGNA", "HUMANA", "OPTUM", "OXFORD", "UNITED_HEALTHCARE", "UNKNOWN")
_INSURANCE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")


def npi_check_digit_ok(npi: str) -> bool:
    """Luhn over ``80840`` + the first nine digits (CMS NPI check-digit rule)."""
    total = 0
    for position, char in enumerate(reversed("80840" + npi[:9])):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return (10 - total % 10) % 10 == int(npi[9])


def validate_npi(value: str) -> None:
    if not _NPI.match(value or ""):
        raise ValidationError("An NPI is 10 digits.", code="invalid_npi")
    if not npi_check_digit_ok(value):
        raise ValidationError("This NPI fails its check digit.", code="invalid_npi")


def validate_tax_id(value: str) -> None:
    if value and not _TAX_ID.match(value):
        raise ValidationError("A tax id (EIN) is 9 digits, without a dash.", code="invalid")


def validate_insurance(value: str) -> None:
    if not _INSURANCE.match(value):
        raise ValidationError(
            f"Use an upper-case payer name such as {', '.join(INSURANCES[:-1])}.", code="invalid"
        )


def is_procedure_code(code: str) -> bool:
    return bool(_CPT.match(code) or _HCPCS.match(code))


def clean_procedure_codes(codes: list[str]) -> list[str]:
    """Normalised procedure codes, or a ValidationError naming every malformed one."""
    codes = normalize_codes(codes)
    bad = [code for code in codes if not is_procedure_code(code)]
    if bad:
        raise ValidationError(
            f"Not a CPT (5 digits), HCPCS (letter + 4 digits) or CDT (D + 4 digits) code: "
            f"{', '.join(bad)}.",
            code="invalid_procedure_code",
        )
    return codes


def clean_diagnosis_codes(codes: list[str]) -> list[str]:
    """ICD-10-CM codes with their dot (``F411`` → ``F41.1``), or a ValidationError naming
    every code that is not in the code set."""
    if not codes:
        return []
    # Imported here: loading the ICD-10-CM code set takes about 3 s and 190 MB, paid only by a
    # process that actually checks a diagnosis code.
    from extraction import icd10

    codes = [icd10.normalize(code) for code in normalize_codes(codes)]
    bad = [code for code in codes if not icd10.is_code(code)]
    if bad:
        raise ValidationError(
            f"Not an ICD-10-CM code: {', '.join(bad)}.", code="invalid_diagnosis_code"
        )
    return codes


def validate_benefits_query(*, line: str, queries: list[str], codes: list[str]) -> None:
    if not queries:
        raise ValidationError("Give at least one benefits_query.", code="required")
    allowed = BENEFITS_QUERIES[line]
    unknown = [query for query in queries if query not in allowed]
    if unknown:
        raise ValidationError(
            f"Unknown benefits_query for {line}: {', '.join(unknown)}. "
            f"Use one of {', '.join(sorted(allowed))}.",
            code="invalid_benefits_query",
        )
    if CODE_LOOKUP_QUERIES.intersection(queries) and not codes:
        raise ValidationError(
            "benefits_codes is required with CODE_LOOKUP_BENEFITS or CODE_LOOKUP_PRIOR_AUTH.",
            code="required",
        )


def normalize_codes(codes: list[str]) -> list[str]:
    """Upper-case, trimmed, duplicates dropped, order kept."""
    seen: dict[str, None] = {}
    for code in codes:
        code = code.strip().upper()
        if code:
            seen.setdefault(code, None)
    return list(seen)
