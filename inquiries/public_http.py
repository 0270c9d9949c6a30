"""Outbound requests to addresses our customers choose (completion callbacks): public only.

A callback URL is typed in by a customer, so without a guard it could make our workers call
into our own network: the database, Redis, a cloud metadata service on 169.254.169.254. Each
connection resolves the host itself, refuses it when any address it resolves to is not
globally routable (loopback, private, link-local, shared, reserved, multicast), and then
connects to the address it checked, so a DNS answer that changes between the check and the
connection (rebinding) cannot slip through. No proxy is used: a proxy would make the check
apply to the proxy, not to the destination. TLS still verifies the certificate against the
host name.
"""

import http.client
import ipaddress
import socket
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError


class BlockedAddress(Exception):
    """The host is, or resolves to, an address that is not on the public internet."""


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def public_addresses(host: str, port: int) -> list[tuple]:
    """``getaddrinfo`` for ``host``, refused as a whole if any answer is not public."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve {host!r}") from exc
    if not answers or not all(_is_public(sockaddr[0]) for *_, sockaddr in answers):
        raise BlockedAddress(host)
    return answers


def url_is_public(url: str) -> bool:
    """Whether ``url``'s host resolves to public addresses only (for validating a form)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        public_addresses(parts.hostname, port)
    except (BlockedAddress, OSError):
        return False
    return True


def validate_public_callback_url(url: str) -> None:
    """Refuse a callback URL into a private network where callbacks are public only
    (``INQUIRY_CALLBACKS_PUBLIC_ONLY``, on in production). Delivery checks again."""
    if url and settings.INQUIRY_CALLBACKS_PUBLIC_ONLY and not url_is_public(url):
        raise ValidationError(
            "Use an address on the public internet: this host is local or private, "
            "or it cannot be resolved.",
            code="private_address",
        )


def _connect_public(address: tuple[str, int], *args) -> socket.socket:
    """``socket.create_connection``, given the checked addresses instead of the host name."""
    host, port = address
    last_error: OSError | None = None
    for *_, sockaddr in public_addresses(host, port):
        try:
            return socket.create_connection(sockaddr[:2], *args)
        except OSError as exc:
            last_error = exc
    raise last_error or OSError(f"cannot connect to {host!r}")


class _PublicHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_public


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)


def public_handlers() -> list[urllib.request.BaseHandler]:
    """Handlers for ``urllib.request.build_opener``: no proxy, public addresses only."""
    return [urllib.request.ProxyHandler({}), _PublicHTTPHandler(), _PublicHTTPSHandler()]
