"""System checks of our own configuration, run by `manage.py check --deploy`."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Caches that live inside one process: each web worker would have its own.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Production needs one cache for all workers: seats left and rate limits live there."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            f"The cache ({backend.rsplit('.', 1)[-1]}) is not shared between processes: "
            "with several web workers, each would show its own count of seats left and "
            "keep its own sign-up and login rate limits, and import previews would be "
            "lost between workers.",
            hint="Set REDIS_URL to a Redis that every web worker reaches (see README).",
            id="belfaa.E001",
        )
    ]
