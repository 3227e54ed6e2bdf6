"""The admin index as the day's work: what each panel says, who sees it, and that it
costs the same number of queries whatever the size of the data."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event, Registration
from participants.models import Participant, SupportRequest
from partners.models import Agreement, ProgressReport
from tests.factories import EventFactory, UserFactory, make_participant
from tests.partners.helpers import agreement

pytestmark = pytest.mark.django_db


def _sign_ups(event: Event, confirmed: int, waiting: int) -> None:
    Registration.objects.bulk_create(
        Registration(
            event=event,
            person_key=uuid.uuid4(),
            name=f"Person {i}",
            sex=Registration.Sex.FEMALE,
            group=Registration.Group.NEWCOMER,
            language="fr",
            consent_processing=True,
            status=status,
        )
        for i, status in enumerate(
            [Registration.Status.CONFIRMED] * confirmed + [Registration.Status.WAITLISTED] * waiting
        )
    )


def world(size: int) -> None:
    today = timezone.localdate()
    person = make_participant()
    for i in range(size):
        _sign_ups(EventFactory(capacity=3), confirmed=3, waiting=2)
        made = agreement(
            reference=f"AGR-{size}-{i}",
            status=Agreement.Status.ACTIVE,
            signed_on=today - timedelta(days=410),
            starts_on=today - timedelta(days=400),
            ends_on=today + timedelta(days=20 + i),
        )
        party = made.parties.get()
        for months, (status, due) in enumerate(
            (
                (ProgressReport.Status.DRAFT, today + timedelta(days=5)),
                (ProgressReport.Status.DRAFT, today - timedelta(days=5)),
                (ProgressReport.Status.SUBMITTED, today - timedelta(days=5)),
            )
        ):
            ProgressReport.objects.create(
                agreement=made,
                organisation=party.organisation,
                period_start=today - timedelta(days=120 + 31 * months),
                period_end=today - timedelta(days=30),
                due_on=due,
                status=status,
            )
        SupportRequest.objects.create(
            participant=person,
            kind=SupportRequest.Kind.HEALTH,
            opened_on=today - timedelta(days=3),
            status=SupportRequest.Status.REFERRED,
            referred_to=party.organisation,
        )
        for opened in (today, today - timedelta(days=10), today - timedelta(days=60)):
            SupportRequest.objects.create(
                participant=person, kind=SupportRequest.Kind.LEGAL, opened_on=opened
            )


def index(client_for, user) -> str:
    return client_for(user).get("/fr/admin/").content.decode()


def test_a_coordinator_sees_the_days_work_with_figures(client_for, coordinator) -> None:
    world(2)
    today = timezone.localdate()
    page = index(client_for, coordinator)
    assert "Travail du jour" in page
    # Upcoming activities: seats taken of capacity, and the waiting list.
    assert "3 sur 3" in page
    assert page.count('<td class="number">2</td>') >= 2
    # Agreements ending within 90 days, nearest first, with the days left.
    assert page.index("AGR-2-0") < page.index("AGR-2-1")
    assert "dans 20 jours" in page and "dans 21 jours" in page
    # Reports: two waiting for review, two due, two overdue.
    assert "2 en attente d\u2019examen" in page
    assert "2 attendus des partenaires" in page and "2 en retard" in page
    # Support requests: one per age band for each of the two worlds' requests.
    row = page.split("participants/supportrequest/?status__exact=open")[1].split("</tr>")[0]
    assert row.count('<td class="number">2</td>') == 3 and '<td class="number">6</td>' in row
    assert str(today.year) not in row  # ages, not dates
    # Referrals waiting for the partner's outcome, one row per partner.
    waiting = page.split('id="panel-referrals_waiting"')[1].split("</section>")[0]
    assert waiting.count("referred_to__id__exact=") == 2


def test_a_record_given_notice_is_listed_with_its_anonymisation_day(
    client_for, coordinator
) -> None:
    person = make_participant()
    Participant.objects.filter(pk=person.pk).update(
        retention_warned_at=timezone.make_aware(timezone.datetime(2026, 11, 1, 9))
    )
    page = index(client_for, coordinator)
    assert person.reference in page
    assert "anonymisé à partir du 01/12/2026" in page


def test_each_panel_needs_its_permission(client_for) -> None:
    world(1)
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_event"))
    page = index(client_for, clerk)
    assert 'id="panel-upcoming"' in page
    for hidden in ("agreements_ending", "progress_reports", "support_requests", "retention"):
        assert f'id="panel-{hidden}"' not in page


def test_the_dashboard_costs_the_same_queries_whatever_the_data_size(
    client_for, coordinator
) -> None:
    size = 1
    client = client_for(coordinator)
    world(size)
    client.get("/fr/admin/")
    with CaptureQueriesContext(connection) as small:
        client.get("/fr/admin/")
    world(10 * size)
    with CaptureQueriesContext(connection) as large:
        page = client.get("/fr/admin/").content.decode()
    assert "AGR-10-0" in page
    assert len(large) == len(small)


def test_nothing_to_do_shows_no_empty_panels(client_for, coordinator) -> None:
    page = index(client_for, coordinator)
    assert 'class="dashboard-panel' not in page
    assert "Travail du jour" not in page


def test_indicators_against_targets_and_results_waiting_for_approval(
    client_for, coordinator, officer
) -> None:
    from decimal import Decimal

    from programs.services import result_enter
    from tests.programs.plan_builders import held, indicator, plan, programme, target

    year = timezone.localdate().year
    period = plan(year - 2, year + 3)
    prog = programme(period)
    sport = indicator(
        prog,
        "sport",
        unit="activities",
        source="measure",
        measure_code="events.activities_held",
        measure_params={"kind": "sport"},
    )
    target(sport, year, 4)
    held(year, month=1)
    held(year, month=2)
    manual = indicator(prog, "satisfaction", unit="percent")
    result_enter(indicator=manual, year=year - 1, value=Decimal(80), by=officer)
    page = index(client_for, coordinator)
    bars = page.split('id="panel-indicators"')[1].split("</section>")[0]
    assert "Indicateur sport" in bars
    assert 'value="50"' in bars and "50 %" in bars
    waiting = page.split('id="panel-results_waiting"')[1].split("</section>")[0]
    assert "1 résultat attend la validation" in waiting
    assert "Indicateur satisfaction" in waiting and "saisi par" in waiting
