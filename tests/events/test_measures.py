"""The activity measures the PAC report reads: SQL aggregates over a date range."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import measures, services
from events.models import Event, Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def held(kind: str = Event.Kind.MEETING, days_ago: int = 10) -> Event:
    start = timezone.now() - timedelta(days=days_ago)
    return EventFactory(kind=kind, starts_at=start, ends_at=start + timedelta(hours=2))


def person(event: Event, phone: str, *, group: str, sex: str, birth_year: int, came: bool) -> None:
    Registration.objects.create(
        event=event,
        person_key=services._person_key(phone, ""),
        name="X",
        phone=phone,
        birth_year=birth_year,
        sex=sex,
        group=group,
        language="ar",
        status="confirmed",
        attended_at=timezone.now() if came else None,
    )


@pytest.fixture
def year() -> tuple[date, date]:
    meeting, match = held(), held(Event.Kind.SPORT, days_ago=5)
    held(Event.Kind.SPORT, days_ago=400)  # last year: outside the range
    EventFactory(status=Event.Status.CANCELLED, starts_at=timezone.now() - timedelta(days=3))
    EventFactory()  # upcoming: not held yet
    person(
        meeting, "+212600000001", group="newcomer", sex="female", birth_year=YEAR - 20, came=True
    )
    person(match, "+212600000001", group="newcomer", sex="female", birth_year=YEAR - 20, came=True)
    person(meeting, "+212600000002", group="resident", sex="male", birth_year=YEAR - 16, came=True)
    person(match, "+212600000003", group="mre", sex="male", birth_year=YEAR - 40, came=False)
    today = timezone.localdate()
    return today - timedelta(days=30), today


def test_activities_held_by_kind(year: tuple[date, date]) -> None:
    assert measures.activities_by_kind(*year) == {"meeting": 1, "sport": 1}


def test_registrations_by_status(year: tuple[date, date]) -> None:
    assert measures.registrations(*year) == {"confirmed": 4}


def test_people_who_came_twice_are_counted_once(year: tuple[date, date]) -> None:
    assert measures.distinct_attendees(*year) == 2
    assert measures.attendees_by("group", *year) == {"newcomer": 1, "resident": 1}
    assert measures.attendees_by("sex", *year) == {"female": 1, "male": 1}
    assert measures.attendees_by_age_band(*year) == {"18-24": 1, "15-17": 1}


def test_counts_are_unchanged_by_anonymisation(year: tuple[date, date]) -> None:
    before = measures.distinct_attendees(*year), measures.attendees_by("group", *year)
    services.registrations_anonymise(ended_before=timezone.now())
    assert (measures.distinct_attendees(*year), measures.attendees_by("group", *year)) == before


def test_each_measure_is_one_query(year: tuple[date, date]) -> None:
    with CaptureQueriesContext(connection) as queries:
        measures.attendees_by_age_band(*year)
    assert len(queries) == 1


def test_only_group_and_sex_can_be_counted_by() -> None:
    with pytest.raises(ValueError, match="cannot count"):
        measures.attendees_by("phone", date(2026, 1, 1), date(2026, 12, 31))
