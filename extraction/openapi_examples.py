"""OpenAPI docs of the extract endpoint: its response schema and the reference's examples."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from claimlens.api import ERROR_BODY

# From the API reference (shared/seeds/claimlens-api-reference.txt).
EXTRACT_REQUEST = {
    "note": "CC: Follow-up HTN and DM type 2. BP 142/88...",
    "payer": "medicare",
    "patient_type": "established",
    "visit_type": "office",
    "specialty": "family_medicine",
    "phi_scrub": True,
}

EXTRACT_RESPONSE = {
    "result": {
        "em_codes": [
            {
                "code": "99214",
                "descriptor": "Office visit, est, mod complexity",
                "justification": "Moderate MDM with Rx changes",
                "estimated_rvu": 1.92,
                "billing_tier": "billable",
            }
        ],
        "icd10_codes": [
            {
                "code": "E11.65",
                "descriptor": "T2DM with hyperglycemia",
                "justification": "A1C 8.3%",
                "billing_tier": "billable",
            },
            {"code": "I10", "descriptor": "Essential hypertension", "billing_tier": "billable"},
        ],
        "cpt_codes": [],
        "hcpcs_codes": [
            {
                "code": "G2211",
                "descriptor": "Complexity add-on",
                "estimated_rvu": 0.33,
                "billing_tier": "billable",
            }
        ],
        "quality_codes": [],
        "optimization_tips": ["Consider adding tobacco cessation code 99407"],
        "denial_risks": [
            {
                "code": "G2211",
                "risk_level": "Medium",
                "reason": "Requires longitudinal relationship documentation",
            }
        ],
    },
    "meta": {
        "model": "claude-sonnet-4-6",
        "payer": "medicare",
        "patient_type": "established",
        "visit_type": "office",
        "specialty": "family_medicine",
        "phi_scrubbed": True,
    },
}


def _code(name: str, *, with_rvu: bool) -> serializers.Serializer:
    fields = {
        "code": serializers.CharField(),
        "descriptor": serializers.CharField(),
        "justification": serializers.CharField(),
        "billing_tier": serializers.ChoiceField(choices=["billable", "non_billable"]),
        "modifiers": serializers.ListField(child=serializers.CharField()),
        "evidence": serializers.CharField(),
    }
    if with_rvu:
        fields["estimated_rvu"] = serializers.FloatField(allow_null=True)
        fields["units"] = serializers.IntegerField(min_value=1)
    return inline_serializer(name=name, fields=fields, many=True)


EXTRACT_RESPONSE_SCHEMA = inline_serializer(
    name="ExtractResponse",
    fields={
        "result": inline_serializer(
            name="ExtractResult",
            fields={
                "em_codes": _code("EmCode", with_rvu=True),
                "icd10_codes": _code("Icd10Code", with_rvu=False),
                "cpt_codes": _code("CptCode", with_rvu=True),
                "hcpcs_codes": _code("HcpcsCode", with_rvu=True),
                "quality_codes": _code("QualityCode", with_rvu=False),
                "optimization_tips": serializers.ListField(child=serializers.CharField()),
                "denial_risks": inline_serializer(
                    name="DenialRisk",
                    many=True,
                    fields={
                        "code": serializers.CharField(),
                        "risk_level": serializers.ChoiceField(choices=["Low", "Medium", "High"]),
                        "reason": serializers.CharField(),
                    },
                ),
                "mdm": serializers.JSONField(required=False),
                "reimbursement": serializers.JSONField(required=False),
            },
        ),
        "meta": inline_serializer(
            name="ExtractMeta",
            fields={
                "model": serializers.CharField(),
                "payer": serializers.CharField(),
                "patient_type": serializers.CharField(),
                "visit_type": serializers.CharField(),
                "specialty": serializers.CharField(),
                "phi_scrubbed": serializers.BooleanField(),
                "engine": serializers.CharField(),
                "request_id": serializers.UUIDField(),
                "usage": serializers.JSONField(),
            },
        ),
    },
)


def error(description: str) -> OpenApiResponse:
    """A documented error status; its body is the shared ``Error`` schema."""
    return OpenApiResponse(response=ERROR_BODY, description=description)
