"""The activity measures the PAC report reads through the registry of `programs`:
SQL aggregates over a date range."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import services
from events.models import Event, Registration
from programs.measures import MeasureError, measure_get
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


def value(code: str, year: tuple[date, date], by: str | None = None, **params: str):
    return measure_get(code).value(start=year[0], end=year[1], by=by, **params)


def test_activities_held_by_kind(year: tuple[date, date]) -> None:
    assert value("events.activities_held", year, by="kind") == {"meeting": 1, "sport": 1}
    assert value("events.activities_held", year) == 2
    assert value("events.activities_held", year, kind="sport") == 1


def test_registrations_by_status(year: tuple[date, date]) -> None:
    assert value("events.registrations", year, by="status") == {"confirmed": 4}


def test_people_who_came_twice_are_counted_once(year: tuple[date, date]) -> None:
    assert value("events.attendees", year) == 2
    assert value("events.attendees", year, by="group") == {"newcomer": 1, "resident": 1}
    assert value("events.attendees", year, by="sex") == {"female": 1, "male": 1}
    assert value("events.attendees", year, by="age_band") == {"18-24": 1, "15-17": 1}
    assert value("events.attendees", year, kind="sport") == 1


def test_counts_are_unchanged_by_anonymisation(year: tuple[date, date]) -> None:
    before = value("events.attendees", year), value("events.attendees", year, by="group")
    services.registrations_anonymise(ended_before=timezone.now())
    after = value("events.attendees", year), value("events.attendees", year, by="group")
    assert after == before


def test_each_measure_is_one_query(year: tuple[date, date]) -> None:
    with CaptureQueriesContext(connection) as queries:
        value("events.attendees", year, by="age_band")
    assert len(queries) == 1


def test_a_breakdown_or_parameter_the_measure_lacks_is_refused(year: tuple[date, date]) -> None:
    with pytest.raises(MeasureError, match="cannot be broken down"):
        value("events.attendees", year, by="phone")
    with pytest.raises(MeasureError, match="not a choice"):
        value("events.attendees", year, kind="karaoke")
