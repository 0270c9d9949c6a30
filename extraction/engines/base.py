"""The one small interface every extraction engine implements."""

from dataclasses import dataclass
from typing import Protocol

from extraction.parameters import ExtractionParameters
from extraction.result import ExtractionResult


@dataclass(frozen=True)
class EngineAnswer:
    result: ExtractionResult
    engine: str  # "rules" or "claude"
    model: str  # what produced the answer, echoed in meta.model


class Engine(Protocol):
    name: str

    def extract(self, *, note: str, parameters: ExtractionParameters) -> EngineAnswer:
        """Code one (already scrubbed, when scrubbing is on) note. Raise ApplicationError for
        failures the API documents (``model_unavailable``, ``parse_error``)."""
        ...
