"""What activities achieved over a period, as SQL aggregates, registered with the
measures registry of `programs` (EventsConfig.ready) for the action plan's indicators.

Each measure counts activities that took place in a range of local dates (inclusive).
People are counted once per range through `person_key`, which survives the
anonymisation of names and contacts, so counts stay right."""

from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, MeetingOutcome, Registration
from programs.measures import Figure, Measure, Parameter, Unit, age_band, local_days

KIND = Parameter("kind", _("kind of activity"), Event.Kind.choices)


def events_held(
    start: date, end: date, kind: str | None = None, organisation: int | None = None
) -> QuerySet[Event]:
    """Activities that took place in the range (published or completed, not cancelled),
    only those the partner `organisation` co-organised when it is given."""
    held = Event.objects.filter(
        status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED],
        starts_at__range=local_days(start, end),
        ends_at__lte=timezone.now(),
    )
    if organisation is not None:
        held = held.filter(partners=organisation)
    return held.filter(kind=kind) if kind else held


def _counted(rows: QuerySet, by: str | None, count: Count) -> Figure:
    """The total, or one count per value of `by` (an annotation or a field)."""
    if by is None:
        return rows.aggregate(n=count)["n"]
    return {row[by]: row["n"] for row in rows.order_by().values(by).annotate(n=count)}


def activities_held(
    *,
    start: date,
    end: date,
    by: str | None,
    kind: str | None = None,
    organisation: int | None = None,
) -> Figure:
    return _counted(events_held(start, end, kind, organisation), by, Count("pk"))


def registrations(
    *,
    start: date,
    end: date,
    by: str | None,
    kind: str | None = None,
    organisation: int | None = None,
) -> Figure:
    """Registrations of held activities (walk-ins included), by final status."""
    rows = Registration.objects.filter(event__in=events_held(start, end, kind, organisation))
    return _counted(rows, by, Count("pk"))


def attendees(
    *,
    start: date,
    end: date,
    by: str | None,
    kind: str | None = None,
    organisation: int | None = None,
) -> Figure:
    """Distinct people who came, by group, sex, the age reached in the activity's year
    or the kind of activity (a person who came to two kinds counts in each)."""
    rows = Registration.objects.filter(
        event__in=events_held(start, end, kind, organisation), attended_at__isnull=False
    )
    if by == "kind":
        rows = rows.annotate(kind=F("event__kind"))
    if by == "age_band":
        rows = rows.annotate(age=ExtractYear("event__starts_at") - F("birth_year")).annotate(
            age_band=age_band(known=Q(birth_year__isnull=False))
        )
    return _counted(rows, by, Count("person_key", distinct=True))


def joint_activities(
    *,
    start: date,
    end: date,
    by: str | None,
    kind: str | None = None,
    organisation: int | None = None,
) -> Figure:
    """Held activities where local youth (residents of the commune) and newcomers both
    came: the commune's own objective of bringing the two together."""
    came = Registration.objects.filter(event=OuterRef("pk"), attended_at__isnull=False)
    rows = events_held(start, end, kind, organisation).filter(
        Exists(came.filter(group=Registration.Group.RESIDENT)),
        Exists(came.filter(group=Registration.Group.NEWCOMER)),
    )
    return _counted(rows, by, Count("pk"))


GROUP_LABELS = (("group", Registration.Group.choices), ("status", Registration.Status.choices))

MEASURES = (
    Measure(
        code="events.activities_held",
        label=_("activities held"),
        description=_("Published or completed activities that took place, not cancelled."),
        unit=Unit.ACTIVITIES,
        counter=activities_held,
        parameters=(KIND,),
        breakdowns=("kind",),
        by_organisation=True,
    ),
    Measure(
        code="events.registrations",
        label=_("registrations to activities held"),
        description=_("Sign-ups and walk-ins of the activities held, by their final status."),
        unit=Unit.REGISTRATIONS,
        counter=registrations,
        parameters=(KIND,),
        breakdowns=("status",),
        labels=GROUP_LABELS,
        by_organisation=True,
    ),
    Measure(
        code="events.attendees",
        label=_("people who took part in activities"),
        description=_("Each person counted once, however many activities they came to."),
        unit=Unit.PEOPLE,
        counter=attendees,
        parameters=(KIND,),
        breakdowns=("group", "sex", "age_band", "kind"),
        labels=GROUP_LABELS,
        by_organisation=True,
    ),
    Measure(
        code="events.joint_activities",
        label=_("joint activities of local youth and newcomers"),
        description=_(
            "Activities held where both residents of the commune and newcomers took part."
        ),
        unit=Unit.ACTIVITIES,
        counter=joint_activities,
        parameters=(KIND,),
        breakdowns=("kind",),
        by_organisation=True,
    ),
)


OUTCOME_KIND = Parameter("kind", _("concern or proposal"), MeetingOutcome.Kind.choices)
ANSWERED = Parameter("answered", _("answered by a programme"), (("yes", _("yes")), ("no", _("no"))))


def meeting_outcomes(
    *,
    start: date,
    end: date,
    by: str | None,
    kind: str | None = None,
    answered: str | None = None,
    organisation: int | None = None,
) -> Figure:
    """Concerns and proposals recorded for the meetings held in the range."""
    rows = MeetingOutcome.objects.filter(
        event__in=events_held(start, end, Event.Kind.MEETING, organisation)
    )
    if kind:
        rows = rows.filter(kind=kind)
    if answered:
        rows = rows.filter(programme__isnull=answered == "no")
    if by == "group":
        rows = rows.annotate(group=F("raised_by"))
    return _counted(rows, by, Count("pk"))


OUTCOMES = Measure(
    code="events.meeting_outcomes",
    label=_("concerns and proposals heard in meetings"),
    description=_("What people said in the meetings / dialogues held, by theme."),
    unit=Unit.STATEMENTS,
    counter=meeting_outcomes,
    parameters=(OUTCOME_KIND, ANSWERED),
    breakdowns=("theme", "group"),
    labels=(("theme", MeetingOutcome.Theme.choices), GROUP_LABELS[0]),
    by_organisation=True,
)
MEASURES = (*MEASURES, OUTCOMES)  # type: ignore[assignment]
