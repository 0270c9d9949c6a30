"""An inquiry as the contract document shows it (``shared/seeds/benefits-inquiry-api.txt``).

Retrieve, list and cancel, under /api/v1 and the /api/v0 compatibility paths, all answer with
this one shape, and the Health Harbor provider sends :func:`request_document` upstream. Written
once on purpose (rather than one serializer per endpoint): the contract *is* one shape, and a
copy that drifts would break drop-in clients.
"""

from typing import Any

from inquiries.models import Inquiry, Status
from inquiries.results import format_creation_ts, format_date


def request_document(inquiry: Inquiry) -> dict[str, Any]:
    """The ``request`` object: what was asked, dates as ``MM-DD-YYYY``, blanks as ``null``."""
    return {
        "type": inquiry.type,
        "desired_completion_date": format_date(inquiry.desired_completion_date),
        "patient_name": inquiry.patient_name,
        "dob": format_date(inquiry.date_of_birth),
        "member_id": inquiry.member_id,
        "group_id": inquiry.group_id or None,
        "insurance_in_network": inquiry.insurance_in_network,
        "npi": inquiry.npi,
        "tax_id": inquiry.tax_id or None,
        "external_id": inquiry.external_id or None,
        "diagnosis_codes": list(inquiry.diagnosis_codes or []),
        "claims_date_of_service": format_date(inquiry.claims_date_of_service),
        "claim_number": inquiry.claim_number or None,
        "insurance": inquiry.insurance,
        "is_specialist": inquiry.is_specialist,
        "place_of_service": inquiry.place_of_service or None,
        "benefits_query": inquiry.benefits_query,
        "benefits_codes": list(inquiry.benefits_codes or []),
    }


def inquiry_document(inquiry: Inquiry) -> dict[str, Any]:
    """The retrieve response: ``results`` is ``null`` until the inquiry succeeds."""
    return {
        "id": str(inquiry.pk),
        "status": inquiry.status,
        "creation_ts": format_creation_ts(inquiry.created_at),
        "summary": inquiry.summary,
        "results": inquiry.results if inquiry.status == Status.SUCCESS else None,
        "request": request_document(inquiry),
    }


# The retrieve shape as OpenAPI, for the schema (drf-spectacular) and the API fuzz tests.
INQUIRY_DOCUMENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "status": {"type": "string", "enum": [status.value for status in Status]},
        "creation_ts": {"type": "string"},
        "summary": {"type": "string", "nullable": True},
        "results": {
            "type": "object",
            "nullable": True,
            "properties": {
                "call_details": {},
                "plan_information": {"type": "object", "nullable": True},
                "maximums": {"type": "object", "nullable": True},
                "procedure_classes": {},
                "procedure_codes": {"type": "array"},
            },
        },
        "request": {"type": "object"},
    },
    "required": ["id", "status", "creation_ts", "summary", "results", "request"],
}
