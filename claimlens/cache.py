"""The shared cache (Redis) behind rate limits, failing open when Redis is away.

Rate limits (``POST /api/v1/scrub`` per organization, allauth's failed-login limits) must count
across every gunicorn worker and machine, so production keeps them in Redis rather than in each
process's memory. They guard against abuse; they are not the product. So when Redis is
unreachable a cache call logs the error's type and answers as an empty cache would (a lock is
granted), and the request goes on, as extraction and sign-in do without Redis.
"""

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


def _fail_open(answer: Callable[..., Any]) -> Callable[[Callable], Callable]:
    """Wrap a client method: on a Redis outage, return ``answer(*args)`` instead."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def wrapper(self, *args: Any) -> Any:
            try:
                return method(self, *args)
            except REDIS_UNAVAILABLE as error:
                logger.warning("cache unavailable: %s in %s", type(error).__name__, method.__name__)
                return answer(*args)

        return wrapper

    return decorate


class FailOpenRedisCacheClient(RedisCacheClient):
    get = _fail_open(lambda key, default: default)(RedisCacheClient.get)
    get_many = _fail_open(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _fail_open(lambda key: False)(RedisCacheClient.has_key)
    add = _fail_open(lambda key, value, timeout: True)(RedisCacheClient.add)
    set = _fail_open(lambda key, value, timeout: None)(RedisCacheClient.set)
    set_many = _fail_open(lambda data, timeout: [])(RedisCacheClient.set_many)
    touch = _fail_open(lambda key, timeout: False)(RedisCacheClient.touch)
    delete = _fail_open(lambda key: False)(RedisCacheClient.delete)
    delete_many = _fail_open(lambda keys: None)(RedisCacheClient.delete_many)


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache with :class:`FailOpenRedisCacheClient`."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = FailOpenRedisCacheClient
