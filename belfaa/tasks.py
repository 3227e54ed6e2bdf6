"""Project-wide tasks: a heartbeat that proves the worker and beat are alive."""

import socket

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_CACHE_KEY = "celery:heartbeat"


@shared_task
def heartbeat() -> dict[str, str]:
    """Record when a worker last ran a task, and on which host. Idempotent."""
    beat = {"at": timezone.now().isoformat(), "host": socket.gethostname()}
    cache.set(HEARTBEAT_CACHE_KEY, beat, timeout=None)
    return beat
