"""Field encryption helpers: round trips, rotation, the startup check.

The model fields at rest are tested where a model uses them (inquiries/tests/test_models.py).
"""

import pytest
from cryptography.fernet import Fernet

from claimlens import crypto

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def test_round_trip(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    token = crypto.encrypt("Alex Martin")
    assert token != "Alex Martin"
    assert "Alex" not in token
    assert crypto.decrypt(token) == "Alex Martin"


def test_tokens_differ_each_time(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert crypto.encrypt("same") != crypto.encrypt("same")


def test_rotation_keeps_old_tokens_readable(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    old_token = crypto.encrypt("123456789")

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert crypto.decrypt(old_token) == "123456789"
    rotated = crypto.rotate(old_token)

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert crypto.decrypt(rotated) == "123456789"
    with pytest.raises(crypto.InvalidToken):
        crypto.decrypt(old_token)


def test_system_check_names_a_bad_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, "not-a-key"]
    errors = crypto.check_field_encryption_keys()
    assert [error.id for error in errors] == ["claimlens.E002"]
    assert "#2" in errors[0].msg
    settings.FIELD_ENCRYPTION_KEYS = []
    assert [error.id for error in crypto.check_field_encryption_keys()] == ["claimlens.E001"]
