"""API key authentication for DRF: ``Authorization: Bearer <key>`` or HTTP Basic.

HTTP Basic carries the key as the user name with an empty password, as the benefits-inquiry API
expects. Keys are read from headers only, never from query strings.
"""

import base64
import binascii
from dataclasses import dataclass

from django.conf import settings
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.api_keys import key_matches, parse_prefix
from accounts.models import ApiKey, Organization
from accounts.services import api_key_touch

INVALID_KEY_MESSAGE = "Invalid or revoked API key. Keys use the cl_live_ prefix."


@dataclass(frozen=True)
class ApiKeyPrincipal:
    """Who is calling: an organization, through one of its keys (DRF's ``request.user``)."""

    api_key: ApiKey

    is_authenticated = True
    is_anonymous = False
    is_active = True

    @property
    def organization(self) -> Organization:
        return self.api_key.organization

    def __str__(self) -> str:
        return f"api key {self.api_key.pk}"


def _key_from_header(header: str) -> str | None:
    scheme, _, credentials = header.strip().partition(" ")
    scheme = scheme.lower()
    credentials = credentials.strip()
    if scheme == "bearer":
        return credentials
    if scheme == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        username, _, _password = decoded.partition(":")
        return username
    return ""


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[ApiKeyPrincipal, ApiKey] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        key = _key_from_header(header)
        prefix = parse_prefix(key or "")
        if prefix is None:
            raise exceptions.AuthenticationFailed(INVALID_KEY_MESSAGE)
        api_key = ApiKey.objects.select_related("organization").filter(prefix=prefix).first()
        if api_key is None or not api_key.is_active or not key_matches(key, api_key.hashed_key):
            raise exceptions.AuthenticationFailed(INVALID_KEY_MESSAGE)
        api_key_touch(
            api_key=api_key, resolution_seconds=settings.API_KEY_LAST_USED_RESOLUTION_SECONDS
        )
        return ApiKeyPrincipal(api_key), api_key

    def authenticate_header(self, request: Request) -> str:
        # A non-empty value makes DRF answer 401, not 403, when no key is sent.
        return 'Bearer realm="api"'
