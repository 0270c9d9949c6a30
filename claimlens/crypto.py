"""Encryption at rest for patient data: model fields and helpers over ``MultiFernet``.

Keys come from ``settings.FIELD_ENCRYPTION_KEYS`` (the ``FIELD_ENCRYPTION_KEYS`` variable,
comma-separated Fernet keys). The first key encrypts; every key decrypts, so a key is rotated by
putting the new one first and keeping the old one after it until every row has been re-saved
(:func:`rotate` re-encrypts one token under the first key).

Fernet is AES-128-CBC with an HMAC-SHA256 tag and a timestamp
(https://cryptography.io/en/latest/fernet/). A token is non-deterministic, so an encrypted
column cannot be filtered, sorted or uniquely constrained: keep what must be searched in a
separate, non-identifying column.

Usage::

    class Note(TimeStampedModel):
        text = EncryptedTextField()
        findings = EncryptedJSONField(default=dict)
"""

import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

__all__ = [
    "EncryptedJSONField",
    "EncryptedTextField",
    "InvalidToken",
    "decrypt",
    "encrypt",
    "rotate",
]


@lru_cache(maxsize=4)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _fernet() -> MultiFernet:
    # Keyed on the tuple of keys so a settings change (tests, rotation) takes effect at once.
    return _multi_fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    """Encrypt text under the first key; the token is URL-safe ASCII."""
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt a token made with any configured key; raises ``InvalidToken`` otherwise."""
    return _fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """Re-encrypt a token under the first key (for a key-rotation migration or command)."""
    return _fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python code only ever sees the plain text.

    ``None`` stays ``NULL``. Lookups other than ``isnull`` are meaningless on the ciphertext.
    """

    description = "Text encrypted at rest"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else encrypt(self.to_text(value))

    def from_db_value(self, value: str | None, expression, connection) -> Any:
        return None if value is None else self.from_text(decrypt(value))

    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    def to_python(self, value: Any) -> Any:
        return value


class EncryptedJSONField(EncryptedTextField):
    """Any JSON-serialisable value (dicts, lists, strings, numbers) encrypted at rest."""

    description = "JSON encrypted at rest"

    def to_text(self, value: Any) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"))

    def from_text(self, text: str) -> Any:
        return json.loads(text)

    def get_prep_value(self, value: Any) -> Any:
        # TextField.get_prep_value would turn a dict into its repr; serialise first.
        return None if value is None else encrypt(self.to_text(value))

    def value_to_string(self, obj: models.Model) -> str:
        return self.to_text(self.value_from_object(obj))


@checks.register(checks.Tags.security)
def check_field_encryption_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every configured key must be a valid Fernet key: found at startup, not at first save."""
    keys = getattr(settings, "FIELD_ENCRYPTION_KEYS", [])
    if not keys:
        return [
            checks.Error(
                "FIELD_ENCRYPTION_KEYS is empty: patient data cannot be encrypted.",
                id="claimlens.E001",
            )
        ]
    errors = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            errors.append(
                checks.Error(
                    f"FIELD_ENCRYPTION_KEYS key #{position} is not a Fernet key "
                    "(32 url-safe base64-encoded bytes; make one with "
                    "`python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'`).",
                    id="claimlens.E002",
                )
            )
    return errors
