"""With Redis stopped the site keeps working from the database: pages, sign-up, cancel,
the door page, the admin and login; /healthz says 503 naming the cache; the import
preview refuses with a message. The cache and the broker are separate databases."""

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from belfaa.celery import app as celery_app
from belfaa.models import User
from belfaa.settings import cache_url
from events.links import cancel_url
from events.models import Registration
from events.selectors import confirmed_key
from events.tasks import notification_send
from tests.factories import PASSWORD, EventFactory
from tests.private_redis import PrivateRedis, private_redis  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Aminata Diallo",
    "phone": "06 12 34 56 78",
    "email": "aminata@example.test",
    "birth_year": "2001",
    "sex": "female",
    "group": "newcomer",
    "language": "fr",
    "consent_processing": "on",
}


def production_cache(server: PrivateRedis, **options: Any) -> dict[str, Any]:
    """The cache as settings build it for gunicorn, on the private server."""
    return {
        "default": {
            "BACKEND": "belfaa.cache.DegradingRedisCache",
            "LOCATION": cache_url(server.url(0), ""),
            "KEY_PREFIX": "belfaa",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0, **options},
        }
    }


@pytest.fixture(autouse=True)
def _tasks_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # Messages are sent in-process here; the broker's part is tested in test_outbox.py.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)


@pytest.fixture
def redis_down(private_redis: PrivateRedis) -> Iterator[PrivateRedis]:  # noqa: F811
    with override_settings(CACHES=production_cache(private_redis, retry_after=0)):
        private_redis.stop()
        yield private_redis


def test_public_pages_signup_and_cancel_answer_with_redis_down(
    redis_down: PrivateRedis, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    event = EventFactory(capacity=1, title_fr="Atelier cuisine")
    caplog.set_level(logging.WARNING, logger="belfaa.cache")
    for path in (
        "/ar/",
        "/fr/",
        "/fr/events/",
        f"/fr/events/{event.slug}/",
        f"/en/events/{event.slug}/",
    ):
        assert client.get(path).status_code == 200, path
    home = client.get("/fr/").content.decode()
    assert "Atelier cuisine" in home

    response = client.post(f"/fr/events/{event.slug}/", SIGNUP)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert "votre place est confirmée" in client.get(response["Location"]).content.decode()
    # The seat count is not cached anywhere: the page counts it from the database.
    assert "0 place restante" in client.get(f"/fr/events/{event.slug}/").content.decode()

    cancel = cancel_url(registration)
    assert client.get(cancel).status_code == 200
    assert client.post(cancel).status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED

    # Dozens of cache calls failed; the log says so once, not once per call.
    warnings = [r for r in caplog.records if r.name == "belfaa.cache"]
    assert len(warnings) == 1
    assert "does not answer" in warnings[0].getMessage()


def test_the_cache_is_used_again_once_redis_is_back(
    redis_down: PrivateRedis, client: Client
) -> None:
    event = EventFactory()
    assert client.get(f"/fr/events/{event.slug}/").status_code == 200
    redis_down.start()
    assert client.get(f"/fr/events/{event.slug}/").status_code == 200
    assert cache.get(f"events:public:{event.slug}") == event
    keys = redis_down.client(1).keys("belfaa:*")
    assert keys, "the page wrote nothing to the cache's database"


def test_staff_sign_in_and_use_the_admin_and_the_door_page_with_redis_down(
    redis_down: PrivateRedis, client: Client, officer: User
) -> None:
    event = EventFactory()
    response = client.post(
        "/fr/accounts/login/",
        {"login": officer.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    assert client.get("/fr/admin/").status_code == 200
    assert client.get("/fr/admin/events/event/").status_code == 200
    assert client.get(f"/fr/admin/events/event/{event.pk}/change/").status_code == 200
    assert client.get(f"/fr/staff/events/{event.pk}/attendance/").status_code == 200


def test_a_wrong_password_is_still_refused_with_redis_down(
    redis_down: PrivateRedis, client: Client, officer: User
) -> None:
    # Login rate limits live in the cache and fail open; the password check does not.
    response = client.post("/en/accounts/login/", {"login": officer.email, "password": "wrong"})
    assert response.status_code == 200
    assert "are not correct" in response.content.decode()
    assert client.get("/en/admin/").status_code == 302


def test_health_is_503_naming_the_cache_when_redis_is_down(
    redis_down: PrivateRedis, client: Client
) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"]
    assert body["checks"]["cache"] == "error: ConnectionError"


def test_health_is_200_when_the_private_redis_answers(
    private_redis: PrivateRedis,  # noqa: F811
    client: Client,
) -> None:
    with override_settings(CACHES=production_cache(private_redis)):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "ok"


def test_an_import_preview_is_refused_with_a_message_when_the_cache_is_down(
    redis_down: PrivateRedis, client_for: Any, coordinator: User
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from participants.models import Participant

    client = client_for(coordinator)
    content = "given_name,family_name,sex,birth_year,group\nAwa,Ndiaye,female,1999,newcomer\n"
    response = client.post(
        "/fr/staff/participants/import/",
        {"file": SimpleUploadedFile("people.csv", content.encode())},
    )
    assert response.status_code == 503
    assert "le cache du serveur ne répond pas" in response.content.decode()
    assert not Participant.objects.exists()
    # A preview link followed while the cache is down says the same, not "expired".
    page = client.get("/fr/staff/participants/import/some-token/", follow=True)
    assert "le cache du serveur ne répond pas" in page.content.decode()


def test_a_cache_clear_leaves_queued_tasks_in_place(
    private_redis: PrivateRedis,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    broker = private_redis.url(0)
    with override_settings(CACHES=production_cache(private_redis)):
        cache.set("something", "cached")
        with celery_app.connection_for_write(broker) as connection:
            notification_send.apply_async(args=[1], queue="waiting", connection=connection)
        assert private_redis.client(0).llen("waiting") == 1
        cache.clear()
        assert cache.get("something") is None
    assert private_redis.client(0).llen("waiting") == 1


@pytest.mark.django_db(transaction=True)  # the count is forgotten after a real commit
def test_a_seat_count_forgotten_while_redis_was_cut_off_is_not_shown_after(
    private_redis: PrivateRedis,  # noqa: F811
    client: Client,
) -> None:
    # A network cut, not a restart: Redis comes back with what it held before.
    event = EventFactory(capacity=5)
    with override_settings(CACHES=production_cache(private_redis, retry_after=0)):
        page = client.get(f"/fr/events/{event.slug}/").content.decode()
        assert "5 places restantes" in page
        assert cache.get(confirmed_key(event.slug)) == 0
        private_redis.client(1).save()
        private_redis.stop()
        response = client.post(f"/fr/events/{event.slug}/", SIGNUP)
        assert response.status_code == 302
        private_redis.start()
        assert private_redis.client(1).keys(b"*confirmed*"), "the old count came back"
        page = client.get(f"/fr/events/{event.slug}/").content.decode()
    assert "4 places restantes" in page
