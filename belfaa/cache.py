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
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

T = TypeVar("T")
UNANSWERED = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY = 60.0
STALE_MAX = 10_000


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis object around its pool for every cache
    call (about a third of a call's CPU); one for writes and one for reads does the
    same work. The object holds no connection of its own (the pool does), so sharing
    it is safe. With read replicas, a process reads from the one its first read chose."""

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[bool, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        client = self._clients.get(write)
        if client is None:
            client = self._clients[write] = super().get_client(key, write=write)
        return client


class DegradingRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("retry_after", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient
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


def shared_page_allowed(request: HttpRequest, queries: Iterable[str] = ("",)) -> bool:
    """Whether this request may get a page that is the same for every visitor: a GET
    (not HEAD, not a form post) with a canonical query string (the language links repeat
    it), from a browser that has neither a session (a signed-in user, a pending message
    kept in the session) nor a message cookie. Such a visitor is anonymous and has no
    message to see, and nothing about the session needs reading."""
    return (
        request.method == "GET"
        and request.META.get("QUERY_STRING", "") in queries
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def shared_page(
    seconds: int, *, queries: Callable[[], Iterable[str]] = lambda: ("",)
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Cache a view's whole answer for `seconds`, per path and language, for the requests
    `shared_page_allowed` lets through; `queries` names the query strings the view
    distinguishes (any other is rendered, never cached). The answer is stored before the
    middleware adds its headers (CSP, security, cookies), so those are computed afresh;
    nothing is stored that sets a cookie, needs a CSRF token or touched the session.
    Every answer varies on Cookie: a signed-in visitor's page differs."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not shared_page_allowed(request, queries()):
                response = view(request, *args, **kwargs)
                patch_vary_headers(response, ("Cookie",))
                return response
            key = f"page:{get_language()}:{request.get_full_path()}"
            stored = cache.get(key)
            if stored is not None:
                content, content_type = stored
                response = HttpResponse(content, content_type=content_type)
            else:
                response = view(request, *args, **kwargs)
                session = getattr(request, "session", None)
                if (
                    response.status_code == 200
                    and not response.streaming
                    and not response.cookies
                    and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                    and not (session is not None and session.modified)
                ):
                    cache.set(key, (response.content, response["Content-Type"]), seconds)
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapped

    return decorate
