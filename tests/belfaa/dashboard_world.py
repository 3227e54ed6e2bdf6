"""Data for the dashboard's tests: for each panel, rows just inside and just outside
each of its boundaries, and the counts the panel must then show."""

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from events.models import Event, Registration
from participants.models import Participant, SupportRequest
from partners.models import Agreement, Organisation, ProgressReport
from programs.models import Evaluation, Indicator, PlanPeriod
from programs.services import result_approve, result_enter
from tests.factories import EventFactory, OrganisationFactory, make_participant
from tests.partners.helpers import agreement
from tests.programs.plan_builders import indicator, plan, programme, target


def sign_ups(event: Event, **counts: int) -> None:
    """`counts` by kind: confirmed, walk_in (confirmed at the door), waitlisted, cancelled."""
    statuses = {
        "confirmed": (Registration.Status.CONFIRMED, False),
        "walk_in": (Registration.Status.CONFIRMED, True),
        "waitlisted": (Registration.Status.WAITLISTED, False),
        "cancelled": (Registration.Status.CANCELLED, False),
    }
    Registration.objects.bulk_create(
        Registration(
            event=event,
            person_key=uuid.uuid4(),
            name=f"Person {kind} {i}",
            sex=Registration.Sex.FEMALE,
            group=Registration.Group.NEWCOMER,
            language="fr",
            consent_processing=True,
            status=statuses[kind][0],
            walk_in=statuses[kind][1],
        )
        for kind, count in counts.items()
        for i in range(count)
    )


def _request(person: Participant, days_ago: int, **fields: Any) -> SupportRequest:
    return SupportRequest.objects.create(
        participant=person,
        kind=SupportRequest.Kind.LEGAL,
        opened_on=timezone.localdate() - timedelta(days=days_ago),
        **fields,
    )


def _report(made: Agreement, status: str, period_end: int, due: int) -> ProgressReport:
    """A report whose period ends and which falls due `period_end` and `due` days from today."""
    today = timezone.localdate()
    end = today + timedelta(days=period_end)
    return ProgressReport.objects.create(
        agreement=made,
        organisation=made.parties.get().organisation,
        period_start=end - timedelta(days=90),
        period_end=end,
        due_on=today + timedelta(days=due),
        status=status,
    )


def boundaries(*, entered_by: Any, approved_by: Any) -> dict[str, Any]:
    """Every panel's data, inside and outside its limits; returns what it must count."""
    now, today = timezone.now(), timezone.localdate()
    S = SupportRequest.Status

    soon = EventFactory(title_fr="Tournoi", starts_at=now + timedelta(days=1))
    sign_ups(soon, confirmed=2, walk_in=1, waitlisted=1, cancelled=1)
    EventFactory(starts_at=now - timedelta(hours=3), ends_at=now + timedelta(hours=1))  # on now
    EventFactory(starts_at=now - timedelta(hours=3), ends_at=now - timedelta(minutes=5))  # over
    EventFactory(status=Event.Status.DRAFT, starts_at=now + timedelta(days=2))

    person = make_participant()
    partner = Organisation.objects.get(pk=OrganisationFactory(name="Partenaire A").pk)
    for days in (6, 7, 29, 30):
        _request(person, days)
    _request(person, 3, status=S.REFERRED, referred_to=partner)
    _request(person, 9, status=S.REFERRED, referred_to=partner, partner_outcome="done")
    _request(person, 40, status=S.IN_PROGRESS)
    _request(person, 2, status=S.RESOLVED)

    A = Agreement.Status
    for number, (status, ends) in enumerate(
        ((A.ACTIVE, 0), (A.SIGNED, 90), (A.ACTIVE, 91), (A.ACTIVE, -1), (A.SUSPENDED, 30)),
        start=1,
    ):
        agreement(
            reference=f"AGR-B-{number}",
            status=status,
            signed_on=today - timedelta(days=400),
            starts_on=today - timedelta(days=400),
            ends_on=today + timedelta(days=ends),
        )
    agreement(reference="AGR-B-6", ends_on=today + timedelta(days=10))  # a draft

    R = ProgressReport.Status
    for number, (stage, period_end, due) in enumerate(
        (
            (R.DRAFT, -1, 0),  # due today
            (R.DRAFT, -1, -1),  # overdue since yesterday
            (R.SENT_BACK, -10, -5),  # sent back, overdue
            (R.DRAFT, 0, 30),  # its period ends today: not due yet
            (R.SUBMITTED, -20, -10),
            (R.RESUBMITTED, -20, -10),
            (R.ACCEPTED, -20, -10),
        ),
        start=1,
    ):
        _report(
            agreement(
                reference=f"AGR-R-{number}",
                status=A.ACTIVE,
                signed_on=today - timedelta(days=400),
                starts_on=today - timedelta(days=400),
                ends_on=today + timedelta(days=400),
            ),
            stage,
            period_end,
            due,
        )

    year = today.year
    prog = programme(plan(year - 2, year + 4))
    for code, value, goal in (("half", 50, 100), ("quarter", 5, 20), ("beyond", 130, 100)):
        item = indicator(prog, code, unit=Indicator.Unit.PEOPLE)
        target(item, year, goal)
        result_approve(
            result=result_enter(indicator=item, year=year, value=Decimal(value), by=entered_by),
            by=approved_by,
        )
    result_enter(indicator=indicator(prog, "waiting"), year=year, value=Decimal(1), by=entered_by)

    # Last year's evaluation: `prog` has none (another year's does not count), `done`
    # has it, and programmes of a plan that is not current or does not cover last year
    # are not asked for one.
    Evaluation.objects.create(programme=prog, year=year - 2, status="under_way", completion=5)
    Evaluation.objects.create(
        programme=programme(prog.period, "done"), year=year - 1, status="done", completion=100
    )
    draft = PlanPeriod.objects.create(
        commune=prog.period.commune, title="Draft", start_year=year + 5, end_year=year + 10
    )
    programme(draft, "draft")
    not_current = plan(year - 3, year + 3)
    PlanPeriod.objects.filter(pk=not_current.pk).update(is_current=False)
    programme(not_current, "not-current")

    noticed = make_participant(given_name="Noticed")
    gone = make_participant(given_name="Gone")
    Participant.objects.filter(pk__in=(noticed.pk, gone.pk)).update(retention_warned_at=now)
    Participant.objects.filter(pk=gone.pk).update(anonymised_at=now)

    return {
        "upcoming": 2,
        "seats": 2,
        "waitlisted": 1,
        "requests": {"open": (1, 2, 1, 4), "referred": (1, 1, 0, 2), "in_progress": (0, 0, 1, 1)},
        "soon": soon.pk,
        "partner": partner.pk,
        "ending": 2,
        "reports": {"due": 1, "overdue": 2, "review": 2},
        "results": 1,
        "retention": 1,
        "evaluations": 1,
        "bars": {"Indicateur half": 50, "Indicateur quarter": 25, "Indicateur beyond": 100},
        "years": f"{year - 2}-{year + 4}",
    }
