"""What activities achieved over a period, as SQL aggregates, for the PAC report.

Each function takes a date range (inclusive, local dates) and counts activities
that took place in it. People are counted once per range through `person_key`,
which survives the anonymisation of names and contacts, so counts stay right.
"""

from datetime import date, datetime, time

from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from events.models import Event, Registration

# (label, lowest age, highest age); the age is the one reached in the activity's year.
AGE_BANDS = (
    ("0-14", 0, 14),
    ("15-17", 15, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35-59", 35, 59),
    ("60+", 60, 200),
)
UNKNOWN = "unknown"


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end, time.max, tzinfo=tz),
    )


def events_held(start: date, end: date) -> QuerySet[Event]:
    """Activities that took place in the range (published or completed, not cancelled)."""
    low, high = _bounds(start, end)
    return Event.objects.filter(
        status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED],
        starts_at__range=(low, high),
        ends_at__lte=timezone.now(),
    )


def activities_by_kind(start: date, end: date) -> dict[str, int]:
    rows = events_held(start, end).order_by().values("kind").annotate(n=Count("pk"))
    return {row["kind"]: row["n"] for row in rows}


def _registrations(start: date, end: date) -> QuerySet[Registration]:
    return Registration.objects.filter(event__in=events_held(start, end))


def registrations(start: date, end: date) -> dict[str, int]:
    """Registrations of held activities, by final status (walk-ins included)."""
    rows = _registrations(start, end).order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def _attendees(start: date, end: date) -> QuerySet[Registration]:
    return _registrations(start, end).filter(attended_at__isnull=False)


def distinct_attendees(start: date, end: date) -> int:
    return _attendees(start, end).aggregate(n=Count("person_key", distinct=True))["n"]


def attendees_by(field: str, start: date, end: date) -> dict[str, int]:
    """Distinct people who attended, by `group` or `sex`."""
    if field not in {"group", "sex"}:
        raise ValueError(f"cannot count attendees by {field!r}")
    rows = (
        _attendees(start, end)
        .order_by()
        .values(field)
        .annotate(n=Count("person_key", distinct=True))
    )
    return {row[field]: row["n"] for row in rows}


def attendees_by_age_band(start: date, end: date) -> dict[str, int]:
    age = ExtractYear("event__starts_at") - F("birth_year")
    band = Case(
        *[
            When(Q(birth_year__isnull=False) & Q(age__gte=low, age__lte=high), then=Value(label))
            for label, low, high in AGE_BANDS
        ],
        default=Value(UNKNOWN),
    )
    rows = (
        _attendees(start, end)
        .annotate(age=age)
        .annotate(band=band)
        .order_by()
        .values("band")
        .annotate(n=Count("person_key", distinct=True))
    )
    return {row["band"]: row["n"] for row in rows}
