"""Callback URLs reach the public internet only (inquiries.public_http), where that is on."""

import socket

import pytest
from django.urls import reverse

from inquiries import public_http
from inquiries.models import CallbackDelivery, InquirySettings
from inquiries.services import inquiry_settings_update_callback

pytestmark = pytest.mark.django_db

NOT_PUBLIC = [
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.9",
    "192.168.1.20",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",  # noqa: S104 - an address we must refuse, not one we bind
    "224.0.0.251",
    "::1",
    "fe80::1%eth0",
    "fd00::5",
    "::ffff:127.0.0.1",
]
PUBLIC = ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_private_local_and_special_addresses_are_not_public(address):
    assert not public_http._is_public(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_internet_addresses_are_public(address):
    assert public_http._is_public(address)


@pytest.fixture
def public_only(settings):
    settings.INQUIRY_CALLBACKS_PUBLIC_ONLY = True


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "http://localhost/hook",
        "https://10.0.0.5/hook",
        "http://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://no-such-host.invalid/hook",
    ],
)
def test_settings_page_refuses_private_callback_urls(public_only, owner_client, url):
    response = owner_client.post(
        reverse("inquiries:settings"), {"action": "save", "callback_url": url}
    )
    assert response.status_code == 200
    assert "public internet" in response.content.decode()
    assert not InquirySettings.objects.exclude(callback_url="").exists()


def test_settings_page_accepts_a_public_address(public_only, owner_client):
    url = "https://8.8.8.8/hook"  # an address literal: no DNS needed here
    owner_client.post(reverse("inquiries:settings"), {"action": "save", "callback_url": url})
    assert InquirySettings.objects.get().callback_url == url


def test_local_urls_are_allowed_when_the_guard_is_off(settings, owner_client):
    settings.INQUIRY_CALLBACKS_PUBLIC_ONLY = False
    url = "http://127.0.0.1:8001/hook"
    owner_client.post(reverse("inquiries:settings"), {"action": "save", "callback_url": url})
    assert InquirySettings.objects.get().callback_url == url


def test_delivery_to_a_private_address_is_blocked_and_logged(
    fake_server, make_inquiry, pro_organization, settings
):
    """A URL saved before the guard was on (or by a host whose DNS changed) is checked again
    when the callback is sent: nothing reaches the local receiver."""
    inquiry_settings_update_callback(
        organization=pro_organization, callback_url=fake_server.url + "/hooks", actor=None
    )
    settings.INQUIRY_CALLBACKS_PUBLIC_ONLY = True
    settings.INQUIRY_CALLBACK_MAX_ATTEMPTS = 1
    make_inquiry(run_tasks=True)

    assert fake_server.requests == []
    delivery = CallbackDelivery.objects.get()
    assert (delivery.status_code, delivery.error) == (None, "blocked")


def _resolving(monkeypatch, host: str, address: str) -> None:
    real = socket.getaddrinfo

    def getaddrinfo(name, port, *args, **kwargs):
        return real(address if name == host else name, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_name_that_resolves_to_a_private_address_is_blocked_at_delivery(
    fake_server, make_inquiry, pro_organization, settings, monkeypatch
):
    """DNS rebinding: the name looked public when saved, and points inside when used."""
    port = fake_server.server.server_address[1]
    settings.INQUIRY_CALLBACKS_PUBLIC_ONLY = True
    settings.INQUIRY_CALLBACK_MAX_ATTEMPTS = 1
    InquirySettings.objects.create(
        organization=pro_organization,
        callback_url=f"http://hooks.example.test:{port}/hooks",
        callback_secret="whsec_test",
    )
    _resolving(monkeypatch, "hooks.example.test", "127.0.0.1")
    make_inquiry(run_tasks=True)

    assert fake_server.requests == []
    assert CallbackDelivery.objects.get().error == "blocked"


def test_delivery_connects_to_the_address_it_checked_and_keeps_the_host_name(
    fake_server, make_inquiry, pro_organization, settings, monkeypatch
):
    """The checked answer is the one connected to; the request still names the host."""
    port = fake_server.server.server_address[1]
    fake_server.respond(204)
    settings.INQUIRY_CALLBACKS_PUBLIC_ONLY = True
    InquirySettings.objects.create(
        organization=pro_organization,
        callback_url=f"http://hooks.example.test:{port}/hooks",
        callback_secret="whsec_test",
    )
    _resolving(monkeypatch, "hooks.example.test", "127.0.0.1")
    monkeypatch.setattr(public_http, "_is_public", lambda address: address == "127.0.0.1")
    make_inquiry(run_tasks=True)

    [request] = fake_server.requests
    assert request.headers["Host"] == f"hooks.example.test:{port}"
    assert CallbackDelivery.objects.get().status_code == 204
