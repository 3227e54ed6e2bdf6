"""The seam through which the registry reaches what other apps hold on a person: sign-ups
to activities are registered by `events` and follow every registry rule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from belfaa.models import User
from events.models import Registration
from participants import services
from participants.holders import holders
from participants.models import Participant
from participants.rights.data import participant_export_data
from tests.factories import EventFactory, make_participant

pytestmark = pytest.mark.django_db


def signed_up(person: Participant, *, days_ago: int = 0) -> Registration:
    start = timezone.now() - timedelta(days=days_ago)
    return Registration.objects.create(
        event=EventFactory(starts_at=start, ends_at=start + timedelta(hours=2)),
        participant=person,
        name=person.full_name,
        phone=person.phone,
        sex=person.sex,
        group=person.group,
        language="fr",
        status=Registration.Status.CONFIRMED,
    )


def test_events_registered_its_sign_ups_as_a_holder() -> None:
    assert [holder.key for holder in holders()] == ["registrations"]


def test_a_merge_moves_the_sign_ups_and_counts_them_first(coordinator: User) -> None:
    keep, gone = make_participant(), make_participant(given_name="Awa", phone="")
    signup = signed_up(gone)
    assert services.held_counts([gone.pk])[gone.pk]["registrations"] == 1
    services.participant_merge(keep_id=keep.pk, merge_id=gone.pk, by=coordinator)
    signup.refresh_from_db()
    assert signup.participant == keep


def test_an_erasure_wipes_the_sign_ups() -> None:
    person = make_participant()
    signup = signed_up(person)
    services.participant_erase(participant_id=person.pk)
    signup.refresh_from_db()
    assert (signup.name, signup.phone, signup.anonymised_at is not None) == ("", "", True)


def test_a_recent_sign_up_keeps_an_old_record_alive() -> None:
    person = make_participant()
    long_ago = timezone.now() - timedelta(days=365 * 10)
    Participant.objects.filter(pk=person.pk).update(updated_at=long_ago)
    assert person.reference in services.retention_warn()
    Participant.objects.filter(pk=person.pk).update(retention_warned_at=None)
    signed_up(person, days_ago=3)
    assert person.reference not in services.retention_warn()


def test_the_export_carries_the_sign_ups_under_their_holders_key() -> None:
    person = make_participant()
    signed_up(person)
    [row] = participant_export_data(person)["registrations"]
    assert row["phone"] == person.phone and row["status"] == "confirmed"
