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
A key that a write or delete did not reach is removed once Redis answers again: after
a network cut Redis may still hold its old value (a seat count, say).
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
STALE_MAX = 10_000


class DegradingRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("retry_after", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._skip_until = 0.0
        self._warned_at = -WARN_EVERY
        self._missed = 0
        self._down = False
        # Keys a delete or set did not reach: Redis may still hold an old value for them
        # (a network cut, not a restart), removed as soon as it answers again.
        self._stale: set[str] = set()
        self._stale_overflow = False

    def _guard(self, call: Callable[[], T], fallback: T) -> T:
        if time.monotonic() < self._skip_until:
            self._missed += 1
            return fallback
        if self._down:
            # Forget what changed meanwhile before anything is read again.
            self._recovered()
            if self._down:
                return fallback
        try:
            return call()
        except UNANSWERED as error:
            self._failed(error)
            return fallback

    def _recovered(self) -> None:
        stale, overflow = list(self._stale), self._stale_overflow
        try:
            if overflow:
                self._cache.clear()
            elif stale:
                self._cache.delete_many(stale)
            else:
                self.ping()
        except UNANSWERED as error:
            self._failed(error)
            return
        self._down = False
        self._stale, self._stale_overflow = set(), False
        logger.warning(
            "The Redis cache answers again (%d cache calls missed; %s).",
            self._missed,
            "cleared, too many changes were missed"
            if overflow
            else f"{len(stale)} keys changed meanwhile removed",
        )
        self._missed = 0

    def _missed_writes(self, keys: Iterable[str]) -> None:
        self._stale.update(keys)
        if len(self._stale) > STALE_MAX:
            self._stale, self._stale_overflow = set(), True

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

    def _answered(self, call: Callable[[], object]) -> bool:
        """Run a write; False when Redis did not answer it."""

        def run() -> bool:
            call()
            return True

        return self._guard(run, False)

    def set(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        if not self._answered(
            lambda: super(DegradingRedisCache, self).set(key, value, timeout, version)
        ):
            self._missed_writes([self.make_and_validate_key(key, version=version)])

    def touch(
        self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._guard(
            lambda: super(DegradingRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: str, version: int | None = None) -> bool:
        made = self.make_and_validate_key(key, version=version)
        deleted: bool | None = self._guard(lambda: self._cache.delete(made), None)
        if deleted is None:
            self._missed_writes([made])
        return bool(deleted)

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
        if self._answered(
            lambda: super(DegradingRedisCache, self).set_many(data, timeout, version)
        ):
            return []
        self._missed_writes(self.make_and_validate_key(key, version=version) for key in data)
        return list(data)

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        keys = list(keys)
        if not self._answered(lambda: super(DegradingRedisCache, self).delete_many(keys, version)):
            self._missed_writes(self.make_and_validate_key(key, version=version) for key in keys)

    def clear(self) -> None:
        if not self._answered(lambda: super(DegradingRedisCache, self).clear()):
            self._stale, self._stale_overflow = set(), True


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
