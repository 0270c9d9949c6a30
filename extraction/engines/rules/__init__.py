"""The offline rule engine (issue 5): ``RulesEngine`` codes a note without a model."""

from extraction.engines.rules.engine import RulesEngine

__all__ = ["RulesEngine"]
