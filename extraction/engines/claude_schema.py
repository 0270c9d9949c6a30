"""The ``record_codes`` tool: its JSON schema is the shape of ``result`` in the API reference."""

from typing import Any

TOOL_NAME = "record_codes"

_CODE = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "The code alone, e.g. 99214 or E11.65"},
        "descriptor": {"type": "string"},
        "justification": {
            "type": "string",
            "description": "One sentence: why the note supports it",
        },
        "estimated_rvu": {"type": ["number", "null"], "description": "Work RVU (CMS PFS)"},
        "modifiers": {"type": "array", "items": {"type": "string"}},
        "evidence": {"type": "string", "description": "A short quote copied exactly from the note"},
    },
    "required": ["code", "justification", "evidence"],
}

_RISK = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "risk_level": {"type": "string", "enum": ["Low", "Medium", "High"]},
        "reason": {"type": "string"},
    },
    "required": ["code", "risk_level", "reason"],
}

_MDM = {
    "type": "object",
    "properties": {
        "problems": {"type": "string", "description": "minimal, low, moderate or high"},
        "data": {"type": "string", "description": "minimal, limited, moderate or extensive"},
        "risk": {"type": "string", "description": "minimal, low, moderate or high"},
        "time_minutes": {"type": ["integer", "null"]},
        "level": {"type": "string", "description": "straightforward, low, moderate or high"},
        "reasoning": {"type": "string"},
    },
}

RESULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "em_codes": {"type": "array", "items": _CODE},
        "icd10_codes": {"type": "array", "items": _CODE},
        "cpt_codes": {"type": "array", "items": _CODE},
        "hcpcs_codes": {"type": "array", "items": _CODE},
        "quality_codes": {"type": "array", "items": _CODE},
        "optimization_tips": {"type": "array", "items": {"type": "string"}},
        "denial_risks": {"type": "array", "items": _RISK},
        "mdm": _MDM,
    },
    "required": [
        "em_codes",
        "icd10_codes",
        "cpt_codes",
        "hcpcs_codes",
        "quality_codes",
        "optimization_tips",
        "denial_risks",
    ],
}


def record_codes_tool() -> dict[str, Any]:
    return {
        "name": TOOL_NAME,
        "description": "Record every code the note supports, with reasons, risks and tips.",
        "input_schema": RESULT_SCHEMA,
    }
