from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path: Path) -> None:
    # Uploaded documents go to a throwaway directory, not the checkout's var/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _in_english() -> None:
    # Messages are asserted in English; the catalogs test checks the other languages.
    from django.utils import translation

    translation.activate("en")


@pytest.fixture(autouse=True)
def _tasks_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # These tests are about what is sent; the road through Redis to a worker is
    # tested in tests/belfaa/test_celery.py.
    from belfaa.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)
