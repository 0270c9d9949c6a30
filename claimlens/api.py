"""The one place where errors become the documented JSON body ``{"error", "message"}``.

Services raise :class:`ApplicationError`; DRF raises its own exceptions for parsing, content
types, methods and authentication. Every one of them leaves here as JSON with the status and
code the API reference documents. A database that cannot be reached (PostgreSQL restarting,
a failover, a full pool) is a 503 ``service_unavailable`` with Retry-After, so clients retry;
anything else unexpected is a 500 ``internal_error``, never an HTML page, whatever ``DEBUG``
says.
"""

import logging
import traceback
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response

logger = logging.getLogger(__name__)


class ApplicationError(Exception):
    """An error with a documented code, a message safe to show, and an HTTP status."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int = HTTPStatus.BAD_REQUEST,
        *,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = int(status)
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.extra}


# The database is unreachable or the connection died: a state that passes, not a bug.
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
DATABASE_RETRY_AFTER_SECONDS = 5


def database_unavailable(exc: Exception, *, where: str) -> ApplicationError:
    """The 503 for a database error, logged by type only: a driver's message can quote SQL
    parameters, and so patient data."""
    logger.warning("database unavailable: %s in %s", type(exc).__name__, where)
    return ApplicationError(
        "service_unavailable",
        "The service is briefly unavailable. Retry after the Retry-After delay.",
        HTTPStatus.SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


def _validation_message(detail: Any) -> str:
    """Flatten a DRF validation error into one readable sentence naming each field."""
    if isinstance(detail, dict):
        parts = []
        for field, errors in detail.items():
            text = _validation_message(errors)
            parts.append(text if field == "non_field_errors" else f"{field}: {text}")
        return "; ".join(parts)
    if isinstance(detail, list):
        return " ".join(_validation_message(item) for item in detail)
    return str(detail)


def _from_drf(exc: exceptions.APIException) -> ApplicationError:
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        message = (
            str(exc.detail)
            if isinstance(exc, exceptions.AuthenticationFailed)
            else "Missing API key. Send 'Authorization: Bearer cl_live_...'."
        )
        return ApplicationError("invalid_api_key", message, HTTPStatus.UNAUTHORIZED)
    if isinstance(exc, exceptions.ParseError):
        return ApplicationError("invalid_json", "The request body is not valid JSON.")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return ApplicationError(
            "unsupported_media_type",
            "Send the request body as JSON with 'Content-Type: application/json'.",
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
        )
    if isinstance(exc, exceptions.MethodNotAllowed):
        return ApplicationError(
            "method_not_allowed", str(exc.detail), HTTPStatus.METHOD_NOT_ALLOWED
        )
    if isinstance(exc, exceptions.NotFound):
        return ApplicationError("not_found", "Not found.", HTTPStatus.NOT_FOUND)
    if isinstance(exc, exceptions.PermissionDenied):
        return ApplicationError("forbidden", str(exc.detail), HTTPStatus.FORBIDDEN)
    if isinstance(exc, exceptions.Throttled):
        error = ApplicationError(
            "rate_limit_exceeded", "Too many requests. Slow down.", HTTPStatus.TOO_MANY_REQUESTS
        )
        if exc.wait is not None:
            error.headers["Retry-After"] = str(int(exc.wait) + 1)
        return error
    if isinstance(exc, exceptions.ValidationError):
        return ApplicationError("invalid_parameter", _validation_message(exc.detail))
    return ApplicationError("error", str(exc.detail), exc.status_code)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF exception handler: every error leaves as ``{"error": ..., "message": ...}``."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    view = context.get("view")
    if isinstance(exc, ApplicationError):
        error = exc
    elif isinstance(exc, DATABASE_UNAVAILABLE_ERRORS):
        error = database_unavailable(exc, where=type(view).__name__ if view else "?")
    elif isinstance(exc, exceptions.APIException):
        error = _from_drf(exc)
    else:
        # Log where it failed, never the exception's message: it may quote patient data.
        logger.error(
            "unhandled %s in %s\n%s",
            type(exc).__name__,
            type(view).__name__ if view else "?",
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        error = ApplicationError(
            "internal_error",
            "An unexpected server error occurred. If persistent, contact support@claimlens.app.",
            HTTPStatus.INTERNAL_SERVER_ERROR,
        )

    response = Response(error.body(), status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    if error.status == HTTPStatus.UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def schema_without_trailing_slashes(endpoints: list[tuple], **kwargs: Any) -> list[tuple]:
    """drf-spectacular hook: ``^extract/?$`` is documented once, as ``/api/v1/extract``."""
    return [(path.rstrip("/"), *rest) for path, *rest in endpoints]


# The error body as a serializer, for operations that document a status of their own.
ERROR_BODY = inline_serializer(
    name="Error", fields={"error": serializers.CharField(), "message": serializers.CharField()}
)

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "example": "missing_note"},
        "message": {"type": "string", "example": "The 'note' field is required"},
        "reset_at": {"type": "string", "format": "date-time"},
    },
    "required": ["error", "message"],
}
# Statuses every authenticated API operation can answer, whatever its input.
COMMON_ERROR_STATUSES = {
    "401": "Missing or invalid API key",
    "403": "API access requires a Pro or Practice plan",
    "405": "Method not allowed",
    "429": "Rate limit reached",
    "500": "Unexpected server error",
    "503": "Briefly unavailable (database or upstream); retry after Retry-After",
}
# Statuses of operations that take a JSON body.
BODY_ERROR_STATUSES = {
    "400": "Invalid request body or parameter",
    "415": "The body is not JSON",
}


def schema_with_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular hook: document the ``{"error", "message"}`` body on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            statuses = dict(COMMON_ERROR_STATUSES)
            if method in {"post", "put", "patch"}:
                statuses |= BODY_ERROR_STATUSES
            if "{" in path or method == "get":
                statuses["404"] = "Not found (or another organization's)"
                statuses["400"] = "Invalid query parameter"
            for status, description in statuses.items():
                operation["responses"].setdefault(
                    status, {"description": description, "content": reference}
                )
    return result
