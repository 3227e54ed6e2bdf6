"""The rules of seats, the waiting list, messages, reminders and anonymisation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from belfaa.celery import app as celery_app
from events import selectors, services, tasks
from events.models import Event, Notification, Registration
from tests.factories import EventFactory

# Real commits: messages leave through transaction.on_commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _tasks_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # These tests are about what is sent; the road through Redis to a worker is
    # tested in tests/belfaa/test_celery.py.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)


def signup(event: Event, n: int, **extra: object) -> Registration:
    fields = {
        "name": f"Person {n}",
        "phone": f"+2126123456{n:02d}",
        "email": f"person{n}@example.test",
        "birth_year": 2000,
        "sex": "female",
        "group": "newcomer",
        "language": "fr",
        **extra,
    }
    return services.registration_create(event_id=event.pk, **fields).registration


def statuses(event: Event) -> list[str]:
    return list(event.registrations.order_by("pk").values_list("status", flat=True))


def test_capacity_then_a_first_come_waiting_list() -> None:
    event = EventFactory(capacity=2)
    people = [signup(event, n) for n in range(5)]
    assert statuses(event) == ["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]
    assert [selectors.waitlist_position(p) for p in people] == [None, None, 1, 2, 3]


def test_a_cancellation_promotes_the_first_waiting_person_and_tells_them() -> None:
    event = EventFactory(capacity=1)
    first, second, _third = (signup(event, n) for n in range(3))
    mail.outbox.clear()
    assert services.registration_cancel(registration_id=first.pk) is True
    assert statuses(event) == ["cancelled", "confirmed", "waitlisted"]
    assert Notification.objects.filter(registration=second, kind="promoted").count() == 1
    assert [m.to for m in mail.outbox] == [["person1@example.test"]]
    assert "Une place est libre pour vous" in mail.outbox[0].subject


def test_cancelling_twice_changes_nothing_the_second_time() -> None:
    event = EventFactory(capacity=1)
    first, _second, _third = (signup(event, n) for n in range(3))
    services.registration_cancel(registration_id=first.pk)
    assert services.registration_cancel(registration_id=first.pk) is False
    assert statuses(event) == ["cancelled", "confirmed", "waitlisted"]


def test_raising_the_capacity_promotes_in_order() -> None:
    event = EventFactory(capacity=1)
    for n in range(4):
        signup(event, n)
    Event.objects.filter(pk=event.pk).update(capacity=3)
    promoted = services.waitlist_promote(event_id=event.pk)
    assert [r.name for r in promoted] == ["Person 1", "Person 2"]
    assert statuses(event) == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_a_cancelled_person_signing_up_again_rejoins_at_the_end() -> None:
    event = EventFactory(capacity=1)
    first = signup(event, 0)
    signup(event, 1)
    services.registration_cancel(registration_id=first.pk)
    again = services.registration_create(
        event_id=event.pk,
        name="Person 0",
        phone=first.phone,
        email="",
        birth_year=2000,
        sex="female",
        group="newcomer",
        language="fr",
    )
    assert again.created
    assert again.registration.pk == first.pk
    assert again.registration.status == "waitlisted"
    assert Registration.objects.count() == 2


def test_the_same_email_twice_resends_the_details_to_the_first_contact() -> None:
    event = EventFactory()
    signup(event, 0)
    mail.outbox.clear()
    result = services.registration_create(
        event_id=event.pk,
        name="Somebody else",
        phone="",
        email="person0@example.test",
        birth_year=1990,
        sex="male",
        group="resident",
        language="en",
    )
    assert not result.created
    assert result.registration.name == "Person 0"
    assert [m.to for m in mail.outbox] == [["person0@example.test"]]


def test_messages_go_out_in_the_registrants_language_with_the_calendar() -> None:
    event = EventFactory(title_ar="لقاء مفتوح", title_fr="Rencontre ouverte")
    signup(event, 0, language="ar")
    message = mail.outbox[-1]
    assert message.subject == "تم تأكيد مقعدك: لقاء مفتوح"
    assert "/ar/events/r/" in message.body and "/cancel/" in message.body
    assert message.attachments[0][0] == "activity.ics"
    assert "BEGIN:VEVENT" in message.attachments[0][1]


def test_a_person_with_only_a_phone_gets_no_email() -> None:
    event = EventFactory()
    signup(event, 0, email="")
    assert mail.outbox == []
    assert Notification.objects.get().status == Notification.Status.SKIPPED


def test_sending_a_message_twice_sends_it_once() -> None:
    event = EventFactory()
    signup(event, 0)
    notification = Notification.objects.get()
    assert notification.status == Notification.Status.SENT
    assert tasks.notification_send(notification.pk) == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_cancelling_an_activity_tells_everyone_registered_once() -> None:
    event = EventFactory(capacity=1)
    signup(event, 0)
    signup(event, 1)
    cancelled = signup(event, 2)
    services.registration_cancel(registration_id=cancelled.pk)
    mail.outbox.clear()
    assert services.event_cancel(event_id=event.pk) == 2
    assert services.event_cancel(event_id=event.pk) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["person0@example.test", "person1@example.test"]
    assert all("Activité annulée" in m.subject for m in mail.outbox)


def test_one_reminder_per_person_the_day_before() -> None:
    soon = EventFactory(starts_at=timezone.now() + timedelta(hours=20))
    later = EventFactory(starts_at=timezone.now() + timedelta(days=5))
    signup(soon, 0)
    signup(soon, 1)
    signup(later, 2)
    mail.outbox.clear()
    assert tasks.reminders_send() == 2
    assert tasks.reminders_send() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["person0@example.test", "person1@example.test"]
    assert Notification.objects.filter(kind="reminder").count() == 2


def test_waiting_people_get_no_reminder() -> None:
    event = EventFactory(capacity=1, starts_at=timezone.now() + timedelta(hours=20))
    signup(event, 0)
    signup(event, 1)
    assert tasks.reminders_send() == 1


def test_anonymisation_wipes_names_and_contacts_and_keeps_counts(settings) -> None:
    settings.EVENTS_ANONYMISE_AFTER_DAYS = 30
    old = EventFactory()
    recent = EventFactory()
    for n in range(3):
        signup(old, n)
    signup(recent, 9)
    Event.objects.filter(pk=old.pk).update(
        starts_at=timezone.now() - timedelta(days=40), ends_at=timezone.now() - timedelta(days=40)
    )
    assert tasks.registrations_anonymise() == 3
    wiped = Registration.objects.filter(event=old)
    assert list(wiped.order_by().values_list("name", "phone", "email").distinct()) == [("", "", "")]
    assert wiped.filter(group="newcomer", sex="female", birth_year=2000).count() == 3
    assert Registration.objects.get(event=recent).name == "Person 9"
    assert tasks.registrations_anonymise() == 0


def test_duplicating_an_activity_makes_a_draft_a_week_later() -> None:
    event = EventFactory(slug="football")
    copy = services.event_duplicate(event_id=event.pk)
    assert copy.pk != event.pk
    assert copy.status == Event.Status.DRAFT
    assert copy.slug == "football-copy"
    assert copy.starts_at == event.starts_at + timedelta(days=7)
    assert services.event_duplicate(event_id=event.pk).slug == "football-copy-2"


def test_walk_ins_are_present_and_do_not_take_sign_up_seats() -> None:
    event = EventFactory(capacity=1)
    walk_in = services.walk_in_add(
        event_id=event.pk,
        name="Moussa",
        sex="male",
        group="newcomer",
        birth_year=1999,
        language="fr",
    )
    assert walk_in.attended and walk_in.walk_in
    assert signup(event, 0).status == "confirmed"


# --- What a change to an activity means (event_update) ---------------------------


def test_a_capacity_below_the_confirmed_seats_is_refused_and_nothing_is_saved() -> None:
    event = EventFactory(capacity=3, title_en="Football")
    signup(event, 0)
    signup(event, 1)
    with pytest.raises(ValidationError) as refusal:
        services.event_update(event_id=event.pk, changes={"capacity": 1, "title_en": "Changed"})
    [error] = refusal.value.error_dict["capacity"]
    assert error.code == "below_confirmed" and error.params == {"confirmed": 2}
    with translation.override("en"):
        assert "2 people already have a confirmed seat" in error.messages[0]
    event.refresh_from_db()
    assert (event.capacity, event.title_en) == (3, "Football")


def test_a_capacity_lowered_to_the_confirmed_seats_is_accepted() -> None:
    event = EventFactory(capacity=3)
    signup(event, 0)
    signup(event, 1)
    result = services.event_update(event_id=event.pk, changes={"capacity": 2})
    event.refresh_from_db()
    assert event.capacity == 2
    assert (result.cancelled, result.told, result.promoted) == (False, 0, [])


def test_walk_ins_do_not_count_against_a_lower_capacity() -> None:
    event = EventFactory(capacity=2)
    signup(event, 0)
    services.walk_in_add(
        event_id=event.pk,
        name="Moussa",
        sex="male",
        group="newcomer",
        birth_year=1999,
        language="fr",
    )
    services.event_update(event_id=event.pk, changes={"capacity": 1})
    event.refresh_from_db()
    assert event.capacity == 1


def test_an_update_that_cancels_saves_the_other_changes_and_tells_everyone() -> None:
    event = EventFactory(capacity=1)
    signup(event, 0)
    signup(event, 1)  # waiting
    result = services.event_update(
        event_id=event.pk, changes={"status": Event.Status.CANCELLED, "summary_en": "Rain"}
    )
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED and event.summary_en == "Rain"
    assert result.cancelled and result.told == 2
    assert Notification.objects.filter(kind=Notification.Kind.EVENT_CANCELLED).count() == 2


def test_an_update_raising_the_capacity_promotes_and_a_new_time_is_announced() -> None:
    event = EventFactory(capacity=1)
    signup(event, 0)
    waiting = signup(event, 1)
    later = event.starts_at + timedelta(hours=1)
    result = services.event_update(
        event_id=event.pk,
        changes={"capacity": 2, "starts_at": later, "ends_at": event.ends_at + timedelta(hours=1)},
    )
    assert [r.pk for r in result.promoted] == [waiting.pk]
    assert result.told == 2
    kinds = Notification.objects.filter(registration=waiting).values_list("kind", flat=True)
    assert set(kinds) >= {Notification.Kind.PROMOTED, Notification.Kind.EVENT_CHANGED}


def test_an_unchanged_value_is_not_announced() -> None:
    event = EventFactory()
    signup(event, 0)
    result = services.event_update(event_id=event.pk, changes={"venue_fr": event.venue_fr})
    assert result.told == 0
    assert not Notification.objects.filter(kind=Notification.Kind.EVENT_CHANGED).exists()


# --- The door (attendance_mark) ---------------------------------------------------


def test_a_cancelled_person_is_not_marked_present() -> None:
    event = EventFactory()
    registration = signup(event, 0)
    services.registration_cancel(registration_id=registration.pk)
    for admit in (False, True):
        with pytest.raises(ValidationError) as refusal:
            services.attendance_mark(
                registration_id=registration.pk, present=True, admit_waitlisted=admit
            )
        assert refusal.value.code == "no_seat"
    registration.refresh_from_db()
    assert registration.attended_at is None


def test_a_waiting_person_is_marked_present_only_as_a_door_admission() -> None:
    event = EventFactory(capacity=0)
    waiting = signup(event, 0)
    with pytest.raises(ValidationError) as refusal:
        services.attendance_mark(registration_id=waiting.pk, present=True)
    assert refusal.value.code == "no_seat"
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attended_at) == (Registration.Status.WAITLISTED, None)
    result = services.attendance_mark(
        registration_id=waiting.pk, present=True, admit_waitlisted=True
    )
    assert result.admitted
    assert result.registration.status == Registration.Status.CONFIRMED
    assert result.registration.walk_in and result.registration.attended


def test_a_confirmed_person_is_marked_present_and_undone() -> None:
    event = EventFactory()
    registration = signup(event, 0)
    marked = services.attendance_mark(registration_id=registration.pk, present=True)
    assert marked.registration.attended and not marked.admitted
    undone = services.attendance_mark(registration_id=registration.pk, present=False)
    assert not undone.registration.attended
