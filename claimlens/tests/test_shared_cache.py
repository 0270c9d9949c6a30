"""Rate limits counted in Redis, shared by every process, and lifted (not failing) without it.

Runs against the Redis on 127.0.0.1:6379 (database 15), as production would use it.
"""

import logging
import socket
import time
import uuid
from http import HTTPStatus

import pytest
import redis
from rest_framework.throttling import SimpleRateThrottle

from claimlens.cache import FailOpenRedisCache

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_answers() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not _redis_answers(), reason="needs Redis on 127.0.0.1:6379"),
]


def _cache_settings(location: str, prefix: str) -> dict:
    return {
        "default": {
            "BACKEND": "claimlens.cache.FailOpenRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def scrub_limit_of_three():
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**original, "scrub": "3/min"}
    yield
    SimpleRateThrottle.THROTTLE_RATES = original


@pytest.fixture
def redis_cache(settings):
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = _cache_settings(REDIS_URL, prefix)
    yield prefix
    raw = redis.Redis.from_url(REDIS_URL)
    for key in raw.scan_iter(f"{prefix}:*"):
        raw.delete(key)


def _scrub(client) -> int:
    return client.post("/api/v1/scrub", {"note": "x"}, format="json").status_code


def test_scrub_limit_counts_what_other_processes_counted(
    bearer_client, pro_organization, redis_cache, scrub_limit_of_three
):
    """Another worker's cache client (its own connection) records three requests; this
    process then refuses the fourth."""
    other_worker = FailOpenRedisCache(REDIS_URL, {"KEY_PREFIX": redis_cache})
    key = f"throttle_scrub_{pro_organization.pk}"
    other_worker.set(key, [time.time()] * 3, 60)

    assert _scrub(bearer_client) == HTTPStatus.TOO_MANY_REQUESTS


def test_scrub_requests_are_counted_in_redis(
    bearer_client, pro_organization, redis_cache, scrub_limit_of_three
):
    assert [_scrub(bearer_client) for _ in range(4)] == [200, 200, 200, 429]
    other_worker = FailOpenRedisCache(REDIS_URL, {"KEY_PREFIX": redis_cache})
    assert len(other_worker.get(f"throttle_scrub_{pro_organization.pk}")) == 3


def test_without_redis_limits_lift_and_requests_succeed(
    bearer_client, client, user, settings, scrub_limit_of_three, caplog
):
    settings.CACHES = _cache_settings("redis://127.0.0.1:1/0", "down")  # nothing listens there
    caplog.set_level(logging.WARNING)

    assert [_scrub(bearer_client) for _ in range(4)] == [200] * 4
    login = client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    assert login.status_code == HTTPStatus.OK  # the form again, with its error; not a 500
    assert "cache unavailable: ConnectionError" in caplog.text


def test_a_lock_is_granted_while_redis_is_away():
    """allauth waits for a cache lock before counting a failed login: no Redis, no wait."""
    cache = FailOpenRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_timeout": 0.5}})
    assert cache.add("lock", True) is True
    assert cache.get("missing", "fallback") == "fallback"
