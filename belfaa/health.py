"""Liveness and readiness endpoints, outside the language prefix."""

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from belfaa.celery import app as celery_app


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("unexpected answer")


def _check_cache() -> None:
    # Our Redis cache answers every call even when Redis is down (as a miss): ask it.
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()
    key, value = "healthz:probe", get_random_string(12)
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("value written was not read back")


def _check_broker() -> str:
    if celery_app.conf.task_always_eager:
        return "in-process"
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, cache and broker all answer; 503 naming each that doesn't."""
    checks: dict[str, str] = {}
    failing: list[str] = []
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("broker", _check_broker),
    ):
        try:
            checks[name] = check() or "ok"
        except Exception as error:  # any failure is the answer, not a 500
            checks[name] = f"error: {type(error).__name__}"
            failing.append(name)
    body = {"status": "fail" if failing else "ok", "checks": checks, "failing": failing}
    return JsonResponse(body, status=503 if failing else 200)


@require_GET
def livez(request: HttpRequest) -> HttpResponse:
    """A constant answer: the process serves requests (and the benchmark's baseline)."""
    return HttpResponse(b"ok", content_type="text/plain")
