"""Billing fixtures: localstripe in a subprocess on loopback, a fake Stripe, Stripe settings."""

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import stripe
from django.test import Client

from billing.tests.stripe_fakes import (
    PRICE_PRACTICE,
    PRICE_PRO,
    SECRET_KEY,
    WEBHOOK_SECRET,
    FakeStripe,
)

# localstripe's own CLI binds every interface; started from Python it binds loopback only.
LOCALSTRIPE_SERVER = (
    "import sys; from aiohttp import web; from localstripe.server import app; "
    "web.run_app(app, host='127.0.0.1', port=int(sys.argv[1]), print=None)"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _http(method: str, url: str, timeout: float = 2) -> int:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url, method=method, headers={"Authorization": f"Bearer {SECRET_KEY}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="session")
def localstripe_server(tmp_path_factory):
    """localstripe 1.15 (PyPI), started once for the session on 127.0.0.1 and stopped after."""
    if importlib.util.find_spec("localstripe") is None:
        pytest.skip("localstripe is not installed: pip install -e '.[test]' provides it")
    port = _free_port()
    state_dir = tmp_path_factory.mktemp("localstripe")  # it pickles its store into TMPDIR
    log = (state_dir / "server.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, "-c", LOCALSTRIPE_SERVER, str(port)],
        env={**os.environ, "TMPDIR": str(state_dir)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            pytest.fail(f"localstripe exited with {process.returncode}: see {log.name}")
        try:
            if _http("GET", f"{url}/v1/customers") == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"localstripe did not answer on {url} within 30 s")
        time.sleep(0.1)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


@pytest.fixture
def localstripe(localstripe_server) -> str:
    """localstripe emptied for this test (``DELETE /_config/data``), with our two plans.

    localstripe has no Prices: its Plans (same ids, ``items[0][plan]``) stand in for them.
    """
    assert _http("DELETE", f"{localstripe_server}/_config/data") == 200
    client = stripe.StripeClient(SECRET_KEY, base_addresses={"api": localstripe_server})
    product = client.v1.products.create(params={"name": "ClaimLens"})
    for price_id, cents in ((PRICE_PRO, 4_900), (PRICE_PRACTICE, 19_900)):
        client.v1.plans.create(
            params={
                "id": price_id,
                "product": product.id,
                "amount": cents,
                "currency": "usd",
                "interval": "month",
            }
        )
    return localstripe_server


@pytest.fixture
def localstripe_client(localstripe) -> stripe.StripeClient:
    """Direct access to localstripe, to act as Stripe's side (Checkout, the portal, renewals)."""
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": localstripe})


@pytest.fixture
def stripe_webhooks(settings):
    """Webhooks on, no secret key: events apply, nothing calls Stripe."""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_PRICE_PRO = PRICE_PRO
    settings.STRIPE_PRICE_PRACTICE = PRICE_PRACTICE
    settings.STRIPE_SECRET_KEY = ""
    return settings


def _configure(settings, api_base: str) -> None:
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_PRICE_PRO = PRICE_PRO
    settings.STRIPE_PRICE_PRACTICE = PRICE_PRACTICE
    settings.STRIPE_API_BASE = api_base
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_TIMEOUT_SECONDS = 5
    settings.SITE_URL = "https://claimlens.test"


@pytest.fixture
def fake_stripe():
    fake = FakeStripe().start()
    yield fake
    fake.stop()


@pytest.fixture
def stripe_on_fake(settings, fake_stripe) -> FakeStripe:
    """Billing configured against the fake Stripe alone."""
    _configure(settings, fake_stripe.url)
    return fake_stripe


@pytest.fixture
def stripe_on_localstripe(settings, localstripe) -> str:
    """Billing configured against localstripe alone (no Checkout or Portal there: 404)."""
    _configure(settings, localstripe)
    return localstripe


@pytest.fixture
def stripe_on_both(settings, localstripe, fake_stripe) -> FakeStripe:
    """The fake answers Checkout and Portal and forwards everything else to localstripe."""
    fake_stripe.upstream = localstripe
    _configure(settings, fake_stripe.url)
    return fake_stripe


@pytest.fixture
def webhook_client() -> Client:
    """A client that enforces CSRF, as a browser would: the webhook must not need a token."""
    return Client(enforce_csrf_checks=True)
