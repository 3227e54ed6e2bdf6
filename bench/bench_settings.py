"""The production settings (belfaa/settings.py, DEBUG off) with only what keeps a
bench run to itself: its own Celery queue and cache key prefix on a shared Redis, so
two runs (or a run and a real site) never read each other's keys or tasks; and, for
the server that measures the database cost of a page, no cache at all (BENCH_CACHE=off)."""

import os

from belfaa.settings import *  # noqa: F403
from belfaa.settings import CACHES

_RUN = os.environ["BENCH_RUN"]
CELERY_TASK_DEFAULT_QUEUE = f"belfaa-bench-{_RUN}"
if os.environ.get("BENCH_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES["default"]["KEY_PREFIX"] = f"belfaa-bench-{_RUN}"
