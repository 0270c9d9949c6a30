"""The API key format: ``cl_live_`` + an 8-character prefix + a 43-character secret.

The secret is 32 random bytes (256 bits) from :mod:`secrets`. The prefix is stored in the clear
and indexed so a key is found with one query; the whole key is stored only as a SHA-256 and
compared in constant time. A fast hash is right here: the key is random, not a password.
"""

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass

KEY_MARKER = "cl_live_"
PREFIX_LENGTH = 8
SECRET_BYTES = 32
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
_SECRET_LENGTH = len(secrets.token_urlsafe(SECRET_BYTES))
KEY_LENGTH = len(KEY_MARKER) + PREFIX_LENGTH + _SECRET_LENGTH


@dataclass(frozen=True)
class GeneratedKey:
    key: str
    prefix: str
    hashed_key: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def generate_key() -> GeneratedKey:
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    key = f"{KEY_MARKER}{prefix}{secrets.token_urlsafe(SECRET_BYTES)}"
    return GeneratedKey(key=key, prefix=prefix, hashed_key=hash_key(key))


def parse_prefix(key: str) -> str | None:
    """The stored prefix of a well-formed key, or None when the key cannot be one of ours."""
    if len(key) != KEY_LENGTH or not key.startswith(KEY_MARKER):
        return None
    return key[len(KEY_MARKER) : len(KEY_MARKER) + PREFIX_LENGTH]


def key_matches(key: str, hashed_key: str) -> bool:
    return hmac.compare_digest(hash_key(key), hashed_key)
