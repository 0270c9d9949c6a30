"""Strict serializer fields for the extract request: the API reference's types, no coercion."""

import re
from enum import StrEnum
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from extraction.parameters import MAX_NOTE_CHARS, allowed_values, canonical


class StrictCharField(serializers.CharField):
    """A string and only a string: DRF's CharField would turn 42 into "42"."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


_SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_CODE = ProhibitSurrogateCharactersValidator.code


class ProhibitSurrogatesValidator(ProhibitSurrogateCharactersValidator):
    """DRF's check with one regex scan instead of a Python loop over every character: on a
    50,000-character note that loop alone cost several milliseconds per request."""

    def __call__(self, value: Any) -> None:
        found = _SURROGATE.search(str(value))
        if found is not None:
            code_point = ord(found.group())
            raise serializers.ValidationError(
                self.message.format(code_point=code_point), code=self.code
            )


@extend_schema_field(
    {"type": "string", "minLength": 1, "maxLength": MAX_NOTE_CHARS, "pattern": r"\S"}
)
class NoteField(StrictCharField):
    """A clinical note: a string with something in it besides white space.

    NUL characters carry nothing in clinical text and some databases refuse them, so they are
    dropped rather than failing the whole note.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=MAX_NOTE_CHARS, trim_whitespace=False, **kwargs)
        self.validators = [
            ProhibitSurrogatesValidator()
            if isinstance(validator, ProhibitSurrogateCharactersValidator)
            else validator
            for validator in self.validators
        ]

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, str):
            data = data.replace("\x00", "")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only: "yes", 1 and "true" are not booleans."""

    default_error_messages = {"invalid": "must be true or false"}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class ParameterChoiceField(serializers.ChoiceField):
    """One of a parameter's documented values or aliases, returned as the canonical value."""

    def __init__(self, parameter: str, **kwargs: Any) -> None:
        self.parameter = parameter
        super().__init__(choices=allowed_values(parameter), **kwargs)

    def to_internal_value(self, data: Any) -> StrEnum:
        value = canonical(self.parameter, data) if isinstance(data, str) else None
        if value is None:
            allowed = ", ".join(allowed_values(self.parameter))
            raise serializers.ValidationError(f"must be one of: {allowed}")
        return value

    def to_representation(self, value: StrEnum) -> str:
        return str(value)
