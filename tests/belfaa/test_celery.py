"""A task goes through Redis to a real worker process, started here."""

import os
from collections.abc import Iterator

import pytest

from belfaa.celery import app as celery_app
from belfaa.tasks import HEARTBEAT_CACHE_KEY, heartbeat
from tests.celery_worker import celery_worker
from tests.conftest import need


@pytest.fixture
def worker_queue() -> Iterator[str]:
    need(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set: no broker for a real worker")
    with celery_worker(os.environ) as queue:
        yield queue


def test_the_configuration_is_json_only_with_time_limits() -> None:
    conf = celery_app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_time_limit > conf.task_soft_time_limit > 0
    assert "heartbeat" in conf.beat_schedule


def test_a_real_worker_runs_a_task_sent_through_redis(worker_queue: str) -> None:
    from django.core.cache import cache

    assert not celery_app.conf.task_always_eager
    result = heartbeat.apply_async(queue=worker_queue)
    beat = result.get(timeout=60)
    assert result.successful()
    assert set(beat) == {"at", "host"}
    # The worker wrote to the shared Redis cache: the two processes see the same state.
    assert cache.get(HEARTBEAT_CACHE_KEY) == beat
