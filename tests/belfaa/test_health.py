"""/healthz names the part that fails; /livez answers at once."""

import os

import pytest
from django.test import Client, override_settings

from belfaa.celery import app as celery_app
from tests.conftest import need

pytestmark = pytest.mark.django_db
CLOSED_PORT = "redis://127.0.0.1:1/0"


def test_health_is_200_when_everything_answers(client: Client) -> None:
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    expected_broker = "ok" if os.environ.get("REDIS_URL") else "in-process"
    assert body["checks"]["broker"] == expected_broker
    assert body["failing"] == []
    assert response.headers["Content-Type"] == "application/json"
    assert "no-cache" in response.headers["Cache-Control"]


def test_health_is_503_naming_an_unreachable_broker(client: Client, monkeypatch) -> None:
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", CLOSED_PORT)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]
    assert response.json()["checks"]["broker"].startswith("error:")


def test_health_is_503_naming_an_unreachable_cache(client: Client) -> None:
    cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED_PORT}
    with override_settings(CACHES={"default": cache}):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert "cache" in response.json()["failing"]
    assert response.json()["checks"]["database"] == "ok"


def test_health_needs_no_language_prefix(client: Client) -> None:
    assert client.get("/ar/healthz").status_code == 404
    assert client.get("/livez").content == b"ok"


def test_health_reports_a_real_broker_when_configured(client: Client) -> None:
    need(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set: no broker to check")
    assert client.get("/healthz").json()["checks"]["broker"] == "ok"
