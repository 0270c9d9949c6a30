"""Procedure codes: our own short labels and the X12 service type codes that cover them.

CPT descriptors are AMA-copyrighted (coding-rules.md), so these labels are ClaimLens's own
words. Service types: ASC X12 element 1365 (stedi.com/edi/x12-005010/element/1365); payers
mostly ignore CPT codes in a 270 and answer by service type (integrations.md §7.1).
"""

SHORT_LABELS = {
    "90791": "Psychiatric diagnostic evaluation",
    "90792": "Psychiatric diagnostic evaluation with medical services",
    "90832": "Psychotherapy, 30 minutes",
    "90834": "Psychotherapy, 45 minutes",
    "90837": "Psychotherapy, 60 minutes",
    "90833": "Psychotherapy add-on, 30 minutes",
    "90836": "Psychotherapy add-on, 45 minutes",
    "90838": "Psychotherapy add-on, 60 minutes",
    "90839": "Psychotherapy for crisis, first hour",
    "90846": "Family psychotherapy without the patient",
    "90847": "Family psychotherapy with the patient",
    "90853": "Group psychotherapy",
    "99202": "Office visit, new patient, straightforward",
    "99203": "Office visit, new patient, low complexity",
    "99204": "Office visit, new patient, moderate complexity",
    "99205": "Office visit, new patient, high complexity",
    "99212": "Office visit, established patient, straightforward",
    "99213": "Office visit, established patient, low complexity",
    "99214": "Office visit, established patient, moderate complexity",
    "99215": "Office visit, established patient, high complexity",
    "G2211": "Visit complexity add-on",
    "D0120": "Periodic oral evaluation",
    "D0150": "Comprehensive oral evaluation",
    "D1110": "Prophylaxis, adult",
}

PSYCHOTHERAPY = frozenset(
    {"90832", "90833", "90834", "90836", "90837", "90838", "90839", "90840", "90845"}
)
FAMILY_OR_GROUP = frozenset({"90846", "90847", "90849", "90853"})


def short_label(code: str) -> str:
    return SHORT_LABELS.get(code, "")


def service_types(code: str) -> tuple[str, ...]:
    """Service type codes to look for, most specific first; ``30`` (plan coverage) last."""
    if code in PSYCHOTHERAPY or code in FAMILY_OR_GROUP:
        return ("A6", "MH", "30")
    if code in {"90791", "90792"}:
        return ("A4", "MH", "30")
    if code.startswith("992") or code == "G2211":
        return ("98", "30")
    if code.startswith("D"):
        return ("35", "30")
    return ("30",)
