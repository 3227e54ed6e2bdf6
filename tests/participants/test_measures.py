"""The registry's measures, read through the registry of `programs` as the PAC report
will: people entered, people accompanied, support requests."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from belfaa.models import User
from participants import services
from participants.models import Consent, Participant, SupportRequest
from programs.measures import measure_get
from tests.factories import make_participant

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = (TODAY - timedelta(days=30), TODAY)


def value(code: str, by: str | None = None, **params: str):
    return measure_get(code).value(start=YEAR[0], end=YEAR[1], by=by, **params)


def request(person: Participant, kind: str, *, days_ago: int = 3, outcome: str = "") -> None:
    SupportRequest.objects.create(
        participant=person, kind=kind, opened_on=TODAY - timedelta(days=days_ago), outcome=outcome
    )


@pytest.fixture
def people() -> list[Participant]:
    fanta = make_participant(given_name="Fanta", birth_year=TODAY.year - 20)
    omar = make_participant(
        given_name="Omar", sex="male", group="local_youth", birth_year=TODAY.year - 16, phone=""
    )
    sara = make_participant(given_name="Sara", group="mre", birth_year=None, phone="")
    request(fanta, "health", outcome="met")
    request(fanta, "legal")
    request(omar, "health", days_ago=90)  # before the period
    request(sara, "school", outcome="met")
    return [fanta, omar, sara]


def test_people_entered_by_group_sex_and_age_band(people: list[Participant]) -> None:
    assert value("participants.registered") == 3
    assert value("participants.registered", by="group") == {
        "newcomer": 1,
        "local_youth": 1,
        "mre": 1,
    }
    assert value("participants.registered", by="sex") == {"female": 2, "male": 1}
    assert value("participants.registered", by="age_band") == {
        "18-24": 1,
        "15-17": 1,
        "unknown": 1,
    }


def test_people_accompanied_are_counted_once_whatever_their_requests(
    people: list[Participant],
) -> None:
    assert value("participants.accompanied") == 2
    assert value("participants.accompanied", kind="health") == 1
    assert value("participants.accompanied", by="group") == {"newcomer": 1, "mre": 1}


def test_support_requests_by_kind_and_outcome(people: list[Participant]) -> None:
    assert value("participants.support_requests", by="kind") == {
        "health": 1,
        "legal": 1,
        "school": 1,
    }
    assert value("participants.support_requests", outcome="met") == 2


def test_an_erased_person_still_counts(people: list[Participant]) -> None:
    services.participant_erase(participant_id=people[0].pk)
    assert value("participants.registered", by="group")["newcomer"] == 1
    assert value("participants.accompanied") == 2


def test_a_person_who_withdrew_consent_to_statistics_is_left_out(
    people: list[Participant], coordinator: User
) -> None:
    consent = Consent.objects.create(
        participant=people[0],
        purpose="statistics",
        given_at=date(2025, 1, 1),
        method="written",
        recorded_by=coordinator,
    )
    assert value("participants.registered") == 3
    services.consent_withdraw(consent_id=consent.pk)
    assert value("participants.registered") == 2
    assert value("participants.support_requests") == 1
    Consent.objects.create(
        participant=people[0],
        purpose="statistics",
        given_at=TODAY,
        method="oral",
        recorded_by=coordinator,
    )
    assert value("participants.registered") == 3


def test_two_records_merged_into_one_count_once(
    people: list[Participant], coordinator: User
) -> None:
    services.participant_merge(keep_id=people[0].pk, merge_id=people[2].pk, by=coordinator)
    assert value("participants.registered") == 2
    assert value("participants.accompanied") == 1
    assert value("participants.support_requests", by="kind") == {
        "health": 1,
        "legal": 1,
        "school": 1,
    }


def test_a_year_is_the_local_calendar_year() -> None:
    """Entered at 00:30 on 1 January in Belfaa (23:30 on 31 December in UTC): next
    year's; at the last instant of 31 December: this year's."""
    belfaa = ZoneInfo("Africa/Casablanca")
    for name, at in (
        ("New year", datetime(2025, 1, 1, 0, 30, tzinfo=belfaa)),
        ("Old year", datetime(2024, 12, 31, 23, 59, 59, 999_999, tzinfo=belfaa)),
    ):
        person = make_participant(given_name=name)
        Participant.objects.filter(pk=person.pk).update(created_at=at)
    registered = measure_get("participants.registered")
    for year, name in ((2024, "Old year"), (2025, "New year")):
        assert registered.value(start=date(year, 1, 1), end=date(year, 12, 31), by="group") == {
            "newcomer": 1
        }, name
