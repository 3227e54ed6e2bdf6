"""The outbox: a message whose task could not be queued stays pending, the stored change
is not undone, and the sweep queues it again later; sending is exactly once."""

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from belfaa.celery import app as celery_app
from events import outbox, services, tasks
from events.models import Event, Notification, Registration
from tests.conftest import need
from tests.factories import EventFactory
from tests.private_redis import free_port

pytestmark = pytest.mark.django_db(transaction=True)

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


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)


@pytest.fixture
def broker_refuses(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tasks go to a broker on a port nobody listens on (kombu really tries)."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", f"redis://127.0.0.1:{free_port()}/0")
    # Celery keeps its connection pools once made: start from none, and leave none.
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    yield
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def signup(event: Event, n: int = 1) -> Registration:
    return services.registration_create(
        event_id=event.pk,
        name=f"Person {n}",
        phone=f"+2126123456{n:02d}",
        email=f"person{n}@example.test",
        birth_year=2000,
        sex="female",
        group="newcomer",
        language="fr",
    ).registration


def age(notification: Notification, minutes: int) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_a_signup_whose_message_cannot_be_queued_is_stored_and_answered(
    broker_refuses: None, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    event = EventFactory()
    response = client.post(f"/fr/events/{event.slug}/", SIGNUP)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert [n.status for n in registration.notifications.all()] == ["pending"]
    assert "stays pending for the outbox sweep" in caplog.text


def test_a_cancellation_whose_message_cannot_be_queued_is_kept(
    eager: None, monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    from events.links import cancel_url

    event = EventFactory(capacity=1)
    first, second = signup(event, 1), signup(event, 2)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    try:
        assert client.post(cancel_url(first)).status_code == 302
    finally:
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
    second.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED
    assert second.notifications.get(kind="promoted").status == "pending"


def test_the_sweep_sends_what_is_pending_for_a_few_minutes_once(eager: None) -> None:
    event = EventFactory()
    registration = signup(event)
    notification = registration.notifications.get()
    # As if the enqueue had failed: written, never sent.
    Notification.objects.filter(pk=notification.pk).update(status="pending", sent_at=None)
    mail.outbox.clear()
    assert tasks.outbox_sweep() == 0  # too recent: its own task may still be on its way
    age(notification, 10)
    assert tasks.outbox_sweep() == 1
    assert [m.to for m in mail.outbox] == [["person1@example.test"]]
    assert tasks.outbox_sweep() == 0
    assert tasks.notification_send(notification.pk) == "sent"
    assert len(mail.outbox) == 1


def test_the_sweep_gives_up_on_messages_days_old(eager: None) -> None:
    registration = signup(EventFactory())
    notification = registration.notifications.get()
    Notification.objects.filter(pk=notification.pk).update(status="pending")
    age(notification, 3 * 24 * 60)
    mail.outbox.clear()
    assert tasks.outbox_sweep() == 0
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert mail.outbox == []


def test_the_sweep_is_in_the_beat_schedule() -> None:
    entry = celery_app.conf.beat_schedule["outbox-sweep"]
    assert entry["task"] == "events.tasks.outbox_sweep"
    assert entry["task"] in celery_app.tasks


def _postgresql() -> None:
    need(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL: no row locks")


def test_concurrent_sends_of_one_message_send_it_once(eager: None) -> None:
    _postgresql()
    registration = signup(EventFactory())
    notification = registration.notifications.get()
    Notification.objects.filter(pk=notification.pk).update(status="pending")
    mail.outbox.clear()
    start = threading.Barrier(6)
    results: list[str] = []

    def send() -> None:
        try:
            start.wait()
            results.append(tasks.notification_send(notification.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["sent"] * 6
    assert len(mail.outbox) == 1


def test_the_sweep_leaves_out_a_message_being_sent(eager: None) -> None:
    _postgresql()
    registration = signup(EventFactory())
    notification = registration.notifications.get()
    Notification.objects.filter(pk=notification.pk).update(status="pending")
    age(notification, 10)
    locked, release = threading.Event(), threading.Event()

    def sending() -> None:
        # What notification_send holds while it sends.
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=notification.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=sending)
    thread.start()
    assert locked.wait(10)
    now = timezone.now()
    due = outbox.notifications_due(
        written_before=now - timedelta(minutes=5), given_up_before=now - timedelta(days=2)
    )
    release.set()
    thread.join()
    assert due == []
    assert outbox.notifications_due(
        written_before=now - timedelta(minutes=5), given_up_before=now - timedelta(days=2)
    ) == [notification.pk]
