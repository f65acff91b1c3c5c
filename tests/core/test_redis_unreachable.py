"""With Redis unreachable the cache answers as empty instead of failing the page."""

from fuyang_portal.cache import ResilientRedisCache


def _dead_cache():
    # Port 1 on loopback refuses connections at once.
    return ResilientRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})


def test_reads_miss_and_writes_are_dropped_when_redis_is_down():
    cache = _dead_cache()
    assert cache.get("key", "fallback") == "fallback"
    assert cache.set("key", 1) is False
    assert cache.add("key", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.incr("counter") == 1
    assert cache.delete("key") is False
