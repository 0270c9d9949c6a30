"""Outbound HTTP for providers and callbacks: stdlib urllib, a timeout on every call, no redirects.

A redirect is returned as a response (3xx), not followed: a callback URL or an upstream must not
be able to send our request, with its credentials or signature, somewhere else.
"""

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from inquiries.public_http import BlockedAddress, public_handlers

MAX_BODY_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes


class TransportError(Exception):
    """No HTTP answer at all: ``reason`` is ``timeout``, ``connection`` or ``blocked``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)
_public_opener = urllib.request.build_opener(_NoRedirect, *public_handlers())


def http_request(
    method: str,
    url: str,
    *,
    timeout: float,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    public_only: bool = False,
) -> HttpResponse:
    """Send one request; any HTTP status comes back as a response, anything else raises.

    ``public_only`` is for addresses a customer chose: the connection is refused (reason
    ``blocked``) unless the host resolves to public internet addresses only (public_http).
    """
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError("only http and https URLs are allowed")
    request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)  # noqa: S310 - scheme checked above
    try:
        opener = _public_opener if public_only else _opener
        with opener.open(request, timeout=timeout) as response:
            return HttpResponse(response.status, response.read(MAX_BODY_BYTES))
    except urllib.error.HTTPError as exc:
        return HttpResponse(exc.code, exc.read(MAX_BODY_BYTES) if exc.fp else b"")
    except BlockedAddress as exc:
        raise TransportError("blocked") from exc
    except TimeoutError as exc:
        raise TransportError("timeout") from exc
    except urllib.error.URLError as exc:
        reason = "timeout" if isinstance(exc.reason, TimeoutError) else "connection"
        raise TransportError(reason) from exc
    except (ConnectionError, http.client.HTTPException) as exc:
        raise TransportError("connection") from exc
