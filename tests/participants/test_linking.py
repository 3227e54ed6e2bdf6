"""A public registration is linked to a registry record: suggested by phone or email,
confirmed by staff; attendance then counts for that person."""

from datetime import timedelta

import pytest
from django.utils import timezone

from belfaa.models import User
from events import services
from events.models import Registration
from programs.measures import measure_get
from tests.factories import EventFactory, make_participant

pytestmark = pytest.mark.django_db


def registration(phone: str, email: str = "", **fields: object) -> Registration:
    return Registration.objects.create(
        event=EventFactory(),
        name="Aminata",
        phone=phone,
        email=email,
        sex="female",
        group="newcomer",
        language="fr",
        status="confirmed",
        **fields,
    )


def test_a_registration_with_the_same_phone_is_suggested_and_linked_by_staff(
    client_for, officer: User
) -> None:
    person = make_participant()
    signup = registration("+212612000111")
    other = registration("+212699999999")
    change = client_for(officer).get(f"/en/admin/events/registration/{signup.pk}/change/")
    assert person.reference in change.content.decode()
    client_for(officer).post(
        "/en/admin/events/registration/",
        {"action": "link_to_registry", "_selected_action": [signup.pk, other.pk]},
    )
    signup.refresh_from_db()
    other.refresh_from_db()
    assert signup.participant == person
    assert other.participant is None


def test_a_person_linked_through_two_activities_is_counted_once() -> None:
    person = make_participant(email="awa@example.test")
    first = registration("+212612000111", attended_at=timezone.now())
    second = registration("", email="AWA@example.test", attended_at=timezone.now())
    for item in (first, second):
        Registration.objects.filter(pk=item.pk).update(
            event=EventFactory(
                starts_at=timezone.now() - timedelta(days=3),
                ends_at=timezone.now() - timedelta(days=2),
            )
        )
    assert services.registration_link(registration_id=first.pk) == person
    assert services.registration_link(registration_id=second.pk) == person
    today = timezone.localdate()
    attendees = measure_get("events.attendees")
    assert attendees.value(start=today - timedelta(days=10), end=today) == 1


def test_linked_registrations_are_wiped_with_the_record_not_by_the_event_rule() -> None:
    from participants.services import participant_erase

    person = make_participant()
    signup = registration("+212612000111")
    services.registration_link(registration_id=signup.pk)
    assert services.registrations_anonymise(ended_before=timezone.now() + timedelta(days=30)) == 0
    participant_erase(participant_id=person.pk)
    signup.refresh_from_db()
    assert (signup.name, signup.phone) == ("", "")
