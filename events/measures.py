"""What activities achieved over a period, as SQL aggregates, registered with the
measures registry of `programs` (EventsConfig.ready) for the action plan's indicators.

Each measure counts activities that took place in a range of local dates (inclusive).
People are counted once per range through `person_key`, which survives the
anonymisation of names and contacts, so counts stay right."""

from datetime import date, datetime, time

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Registration
from programs.measures import Figure, Measure, Parameter, Unit, age_band

KIND = Parameter("kind", _("kind of activity"), Event.Kind.choices)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end, time.max, tzinfo=tz),
    )


def events_held(start: date, end: date, kind: str | None = None) -> QuerySet[Event]:
    """Activities that took place in the range (published or completed, not cancelled)."""
    low, high = _bounds(start, end)
    held = Event.objects.filter(
        status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED],
        starts_at__range=(low, high),
        ends_at__lte=timezone.now(),
    )
    return held.filter(kind=kind) if kind else held


def _counted(rows: QuerySet, by: str | None, count: Count) -> Figure:
    """The total, or one count per value of `by` (an annotation or a field)."""
    if by is None:
        return rows.aggregate(n=count)["n"]
    return {row[by]: row["n"] for row in rows.order_by().values(by).annotate(n=count)}


def activities_held(*, start: date, end: date, by: str | None, kind: str | None = None) -> Figure:
    return _counted(events_held(start, end, kind), by, Count("pk"))


def registrations(*, start: date, end: date, by: str | None, kind: str | None = None) -> Figure:
    """Registrations of held activities (walk-ins included), by final status."""
    rows = Registration.objects.filter(event__in=events_held(start, end, kind))
    return _counted(rows, by, Count("pk"))


def attendees(*, start: date, end: date, by: str | None, kind: str | None = None) -> Figure:
    """Distinct people who came, by group, sex or the age reached in the activity's year."""
    rows = Registration.objects.filter(
        event__in=events_held(start, end, kind), attended_at__isnull=False
    )
    if by == "age_band":
        rows = rows.annotate(age=ExtractYear("event__starts_at") - F("birth_year")).annotate(
            age_band=age_band(known=Q(birth_year__isnull=False))
        )
    return _counted(rows, by, Count("person_key", distinct=True))


MEASURES = (
    Measure(
        code="events.activities_held",
        label=_("activities held"),
        description=_("Published or completed activities that took place, not cancelled."),
        unit=Unit.ACTIVITIES,
        counter=activities_held,
        parameters=(KIND,),
        breakdowns=("kind",),
    ),
    Measure(
        code="events.registrations",
        label=_("registrations to activities held"),
        description=_("Sign-ups and walk-ins of the activities held, by their final status."),
        unit=Unit.REGISTRATIONS,
        counter=registrations,
        parameters=(KIND,),
        breakdowns=("status",),
    ),
    Measure(
        code="events.attendees",
        label=_("people who took part in activities"),
        description=_("Each person counted once, however many activities they came to."),
        unit=Unit.PEOPLE,
        counter=attendees,
        parameters=(KIND,),
        breakdowns=("group", "sex", "age_band"),
    ),
)
