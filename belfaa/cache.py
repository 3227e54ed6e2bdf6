"""A Redis cache that degrades instead of failing.

The cache only ever saves work: seat counts, page fragments and rate limits can all be
rebuilt from the database. So when Redis does not answer, every read is a miss, every
write is dropped, and the page is built from the database; a warning is logged at most
once a minute per process, and once more when Redis answers again. After a failure the
process leaves Redis alone for `retry_after` seconds (an OPTIONS entry), so a Redis that
hangs costs one socket timeout per process in that time, not one per cache call.

What each call answers while Redis is down is what it answers on an empty cache: `get`
the default, `add` True (the key was absent: allauth's rate-limit lock and ours go on,
so login and sign-up fail open), `incr` ValueError (no such key), `delete` False.
Code that must know whether something was really kept (the import preview) writes and
then asks `has_key`; `/healthz` calls `ping`, which raises.
"""

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

T = TypeVar("T")
UNANSWERED = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY = 60.0


class DegradingRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("retry_after", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._skip_until = 0.0
        self._warned_at = -WARN_EVERY
        self._missed = 0
        self._down = False

    def _guard(self, call: Callable[[], T], fallback: T) -> T:
        if time.monotonic() < self._skip_until:
            self._missed += 1
            return fallback
        try:
            result = call()
        except UNANSWERED as error:
            self._failed(error)
            return fallback
        if self._down:
            self._down = False
            logger.warning("The Redis cache answers again (%d cache calls missed).", self._missed)
            self._missed = 0
        return result

    def _failed(self, error: Exception) -> None:
        now = time.monotonic()
        self._down = True
        self._missed += 1
        self._skip_until = now + self.retry_after
        if now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            logger.warning(
                "The Redis cache does not answer (%s: %s); pages are built from the "
                "database until it does (%d cache calls missed so far).",
                type(error).__name__,
                error,
                self._missed,
            )

    def ping(self) -> None:
        """Raise the client's own error when Redis does not answer (for /healthz)."""
        self._cache.get_client(write=True).ping()

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return self._guard(
            lambda: super(DegradingRedisCache, self).add(key, value, timeout, version), True
        )

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._guard(
            lambda: super(DegradingRedisCache, self).get(key, default, version), default
        )

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        self._guard(
            lambda: super(DegradingRedisCache, self).set(key, value, timeout, version), None
        )

    def touch(
        self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._guard(
            lambda: super(DegradingRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._guard(lambda: super(DegradingRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        return self._guard(lambda: super(DegradingRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._guard(lambda: super(DegradingRedisCache, self).has_key(key, version), False)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        value: int | None = self._guard(
            lambda: super(DegradingRedisCache, self).incr(key, delta, version), None
        )
        if value is None:
            raise ValueError(f"Key '{key}' not found (the cache does not answer).")
        return value

    def set_many(
        self,
        data: dict[str, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[str]:
        return self._guard(
            lambda: super(DegradingRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        self._guard(lambda: super(DegradingRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._guard(lambda: super(DegradingRedisCache, self).clear(), None)


def cache_answers() -> bool:
    """Whether the default cache answers now (always, for a cache without `ping`)."""
    ping = getattr(cache, "ping", None)
    if ping is None:
        return True
    try:
        ping()
    except UNANSWERED:
        return False
    return True
