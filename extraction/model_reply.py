"""Turn a model's tool call into an :class:`ExtractionResult`, or say precisely what is wrong.

The reason goes back to the model in the one repair turn, so it names the field at fault.
"""

from typing import Any

from extraction.engines.claude_schema import TOOL_NAME
from extraction.result import CODE_LISTS, CodeEntry, DenialRisk, ExtractionResult, RiskLevel


class ReplyInvalid(Exception):
    def __init__(self, reason: str, tool_use_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.tool_use_id = tool_use_id

    def repair_content(self) -> list[dict[str, Any]] | str:
        instruction = f"That answer was invalid: {self.reason}. Call {TOOL_NAME} again, corrected."
        if self.tool_use_id is None:
            return instruction
        return [
            {
                "type": "tool_result",
                "tool_use_id": self.tool_use_id,
                "is_error": True,
                "content": instruction,
            }
        ]


def _text(value: Any, where: str, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"{where} must be a{' non-empty' if required else ''} string")
    return value.strip()


def _code_entry(item: Any, where: str) -> CodeEntry:
    if not isinstance(item, dict):
        raise ValueError(f"{where} must be an object")
    rvu = item.get("estimated_rvu")
    if rvu is not None and (isinstance(rvu, bool) or not isinstance(rvu, int | float) or rvu < 0):
        raise ValueError(f"{where}.estimated_rvu must be a non-negative number or null")
    modifiers = item.get("modifiers") or []
    if not isinstance(modifiers, list) or not all(
        isinstance(m, str) and m.strip().isalnum() and len(m.strip()) == 2 for m in modifiers
    ):
        raise ValueError(f"{where}.modifiers must be a list of two-character modifiers")
    return CodeEntry(
        code=_text(item.get("code"), f"{where}.code", required=True).upper(),
        descriptor=_text(item.get("descriptor"), f"{where}.descriptor"),
        justification=_text(item.get("justification"), f"{where}.justification"),
        estimated_rvu=float(rvu) if rvu is not None else None,
        modifiers=[m.strip().upper() for m in modifiers],
        evidence=_text(item.get("evidence"), f"{where}.evidence"),
    )


def _denial_risk(item: Any, where: str) -> DenialRisk:
    if not isinstance(item, dict):
        raise ValueError(f"{where} must be an object")
    level = _text(item.get("risk_level"), f"{where}.risk_level", required=True).capitalize()
    if level not in RiskLevel.__members__.values():
        raise ValueError(f"{where}.risk_level must be Low, Medium or High")
    return DenialRisk(
        code=_text(item.get("code"), f"{where}.code"),
        risk_level=level,
        reason=_text(item.get("reason"), f"{where}.reason", required=True),
    )


def _list(payload: dict[str, Any], name: str) -> list[Any]:
    value = payload.get(name, [])
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list")
    return value


def result_from_payload(payload: Any) -> ExtractionResult:
    """Validate a tool input against the result's shape; raises ValueError naming the field."""
    if not isinstance(payload, dict):
        raise ValueError("the tool input must be an object")
    result = ExtractionResult()
    for name in CODE_LISTS:
        entries = [_code_entry(item, f"{name}[{i}]") for i, item in enumerate(_list(payload, name))]
        setattr(result, name, entries)
    result.optimization_tips = [
        _text(tip, f"optimization_tips[{i}]", required=True)
        for i, tip in enumerate(_list(payload, "optimization_tips"))
    ]
    result.denial_risks = [
        _denial_risk(item, f"denial_risks[{i}]")
        for i, item in enumerate(_list(payload, "denial_risks"))
    ]
    mdm = payload.get("mdm")
    if mdm is not None and not isinstance(mdm, dict):
        raise ValueError("mdm must be an object")
    result.mdm = mdm
    return result


def result_from_reply(message: Any) -> ExtractionResult:
    """The result carried by a Messages API reply's ``record_codes`` tool call."""
    tool_use = next(
        (
            block
            for block in message.content
            if getattr(block, "type", None) == "tool_use" and block.name == TOOL_NAME
        ),
        None,
    )
    if tool_use is None:
        raise ReplyInvalid(f"the reply did not call the {TOOL_NAME} tool")
    try:
        return result_from_payload(tool_use.input)
    except ValueError as error:
        raise ReplyInvalid(str(error), tool_use_id=tool_use.id) from error
