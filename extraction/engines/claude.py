"""The Claude engine: the production extractor, through the official ``anthropic`` SDK.

Structured output comes from a forced tool call whose input schema is the result's shape. The
long static instructions are sent as a cached system block (prompt caching), the note last.
Timeouts and retries are bounded on the request path; once they are spent, an unavailable model
is a 503 ``model_unavailable``. A reply that fails validation gets one repair turn, then 502
``parse_error``. Neither the note nor the reply is ever logged.
"""

import logging
from functools import cached_property
from http import HTTPStatus
from pathlib import Path
from typing import Any

import anthropic
from django.conf import settings

from claimlens.api import ApplicationError
from extraction.engines.base import EngineAnswer
from extraction.engines.claude_schema import TOOL_NAME, record_codes_tool
from extraction.model_reply import ReplyInvalid, result_from_reply
from extraction.parameters import ExtractionParameters

logger = logging.getLogger(__name__)

SYSTEM_PROMPT = (Path(__file__).resolve().parent.parent / "prompts" / "system.md").read_text()

# Failures of the model service itself (after the SDK's bounded retries): 503, retry later.
UNAVAILABLE = (
    anthropic.APIConnectionError,  # includes APITimeoutError
    anthropic.InternalServerError,  # 5xx, including 529 overloaded
    anthropic.RateLimitError,
    anthropic.RequestTimeoutError,
)
DEFAULT_RETRY_AFTER_SECONDS = 30


def _user_message(note: str, parameters: ExtractionParameters) -> str:
    visit = ", ".join(f"{name}: {value}" for name, value in parameters.as_dict().items())
    return f"Visit parameters: {visit}.\n\n<note>\n{note}\n</note>"


def _retry_after(error: Exception) -> str:
    response = getattr(error, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    return value if value and value.isdigit() else str(DEFAULT_RETRY_AFTER_SECONDS)


class ClaudeEngine:
    name = "claude"

    def __init__(self, *, client: anthropic.Anthropic | None = None, model: str | None = None):
        self._client = client
        self.model = model or settings.ANTHROPIC_MODEL

    @cached_property
    def client(self) -> anthropic.Anthropic:
        return self._client or anthropic.Anthropic(
            api_key=settings.ANTHROPIC_API_KEY,
            base_url=settings.ANTHROPIC_BASE_URL or None,
            timeout=settings.ANTHROPIC_TIMEOUT_SECONDS,
            max_retries=settings.ANTHROPIC_MAX_RETRIES,
        )

    def _create(self, messages: list[dict[str, Any]]) -> anthropic.types.Message:
        try:
            return self.client.messages.create(
                model=self.model,
                max_tokens=settings.ANTHROPIC_MAX_TOKENS,
                system=[
                    {"type": "text", "text": SYSTEM_PROMPT, "cache_control": {"type": "ephemeral"}}
                ],
                tools=[record_codes_tool()],
                tool_choice={"type": "tool", "name": TOOL_NAME},
                messages=messages,
            )
        except UNAVAILABLE as error:
            logger.warning("claude unavailable: %s", type(error).__name__)
            raise ApplicationError(
                "model_unavailable",
                "The coding model is unavailable right now. Retry the request shortly.",
                HTTPStatus.SERVICE_UNAVAILABLE,
                headers={"Retry-After": _retry_after(error)},
            ) from error

    def extract(self, *, note: str, parameters: ExtractionParameters) -> EngineAnswer:
        messages: list[dict[str, Any]] = [
            {"role": "user", "content": _user_message(note, parameters)}
        ]
        reply = self._create(messages)
        try:
            result = result_from_reply(reply)
        except ReplyInvalid as first_error:
            logger.info("claude reply invalid (%s); asking for one repair", first_error.reason)
            messages += [
                {
                    "role": "assistant",
                    "content": [block.model_dump(warnings=False) for block in reply.content],
                },
                {"role": "user", "content": first_error.repair_content()},
            ]
            reply = self._create(messages)
            try:
                result = result_from_reply(reply)
            except ReplyInvalid as second_error:
                logger.warning("claude reply invalid after repair (%s)", second_error.reason)
                raise ApplicationError(
                    "parse_error",
                    "The AI model returned a response that could not be parsed. Retry the request.",
                    HTTPStatus.BAD_GATEWAY,
                ) from second_error
        return EngineAnswer(result=result, engine=self.name, model=reply.model or self.model)
