"""A task goes through Redis to a real worker process, started here."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from belfaa.celery import app as celery_app
from belfaa.tasks import HEARTBEAT_CACHE_KEY, heartbeat
from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker_queue() -> Iterator[str]:
    need(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set: no broker for a real worker")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "belfaa",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--hostname",
            f"{queue}@%h",
            "--loglevel=warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield queue
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


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
