"""A Redis cache that degrades to "no cache" when Redis is unreachable, so pages keep working.

Reads answer as misses, writes are dropped, counters count from zero; each failure is logged.
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError)


class ResilientRedisCache(RedisCache):
    def _guard(self, operation, fallback, *args, **kwargs):
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except UNREACHABLE as error:
            logger.warning("cache unavailable during %s: %s", operation, error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._guard("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, keys, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", None, keys, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            logger.warning("cache unavailable during incr: %s", error)
            return delta

    def clear(self):
        return self._guard("clear", False)
