"""Stripe test doubles that speak HTTP on loopback, and builders for signed webhook events.

``FakeStripe`` answers the endpoints localstripe lacks (Checkout Sessions, Billing Portal) and
records every request exactly as stripe-python sent it, so tests assert the request shapes;
with ``upstream`` it forwards everything else to localstripe. Nothing leaves 127.0.0.1.
"""

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

WEBHOOK_SECRET = "whsec_claimlens_test_secret"
SECRET_KEY = "sk_test_claimlens_suite"
PRICE_PRO = "price_claimlens_pro"
PRICE_PRACTICE = "price_claimlens_practice"
WEBHOOK_URL = "/billing/stripe/webhook"

Answer = tuple[int, dict[str, Any]]


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeStripe:
    """A loopback HTTP server standing in for api.stripe.com."""

    upstream: str = ""
    routes: dict[tuple[str, str], Callable[[RecordedRequest], Answer]] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    url: str = ""

    def start(self) -> "FakeStripe":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                recorded = RecordedRequest(
                    method=self.command,
                    path=parts.path,
                    query=dict(parse_qsl(parts.query)),
                    form=dict(parse_qsl(body.decode(errors="replace"))),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                fake.requests.append(recorded)
                route = fake.routes.get((self.command, parts.path))
                if route is not None:
                    status, payload = route(recorded)
                    raw = json.dumps(payload).encode()
                elif fake.upstream:
                    status, raw = fake._forward(self.command, self.path, body, recorded.headers)
                else:
                    status, raw = 404, json.dumps({"error": {"message": "no route"}}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = do_DELETE = _handle

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _forward(self, method: str, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
        keep = {"authorization", "content-type", "idempotency-key", "stripe-version"}
        request = urllib.request.Request(  # noqa: S310 - loopback localstripe only
            self.upstream + path,
            data=body or None,
            method=method,
            headers={k: v for k, v in headers.items() if k in keep},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def made(self, method: str, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and r.path == path]


def stripe_event(
    event_type: str,
    obj: dict[str, Any],
    *,
    created: int | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """An event as Stripe sends it (snapshot payload)."""
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": created if created is not None else int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {"object": obj},
    }


def subscription_object(
    *,
    subscription_id: str = "sub_test_1",
    customer: str = "cus_test_1",
    status: str = "active",
    price: str = PRICE_PRO,
    period_end: int | None = None,
    cancel_at_period_end: bool = False,
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A subscription in the current API shape: the period lives on the item."""
    period_end = period_end or int(time.time()) + 30 * 86400
    return {
        "id": subscription_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "cancel_at_period_end": cancel_at_period_end,
        "cancel_at": period_end if cancel_at_period_end else None,
        "metadata": metadata or {},
        "items": {
            "object": "list",
            "data": [
                {
                    "id": "si_test_1",
                    "object": "subscription_item",
                    "price": {"id": price, "object": "price"},
                    "quantity": 1,
                    "current_period_start": period_end - 30 * 86400,
                    "current_period_end": period_end,
                }
            ],
        },
    }


def invoice_object(
    *,
    subscription_id: str = "sub_test_1",
    customer: str = "cus_test_1",
    status: str = "paid",
    period_end: int | None = None,
) -> dict[str, Any]:
    """An invoice in the current API shape: the subscription sits under ``parent``."""
    period_end = period_end or int(time.time()) + 30 * 86400
    return {
        "id": f"in_{uuid.uuid4().hex[:14]}",
        "object": "invoice",
        "customer": customer,
        "status": status,
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": subscription_id},
        },
        "lines": {
            "object": "list",
            "data": [{"period": {"start": period_end - 30 * 86400, "end": period_end}}],
        },
    }


def signed_header(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)


def post_event(client, event: dict[str, Any], **signing) -> Any:
    """Deliver an event to the webhook the way Stripe does: raw JSON body, signed header."""
    payload = json.dumps(event)
    return client.post(
        WEBHOOK_URL,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signed_header(payload, **signing),
    )
