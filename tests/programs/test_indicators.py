"""Indicators: their source checked against the measures registry, their targets inside
the plan, and actuals that equal a direct count of the records."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from belfaa.models import User
from events.models import Event, Registration
from participants.models import Participant
from programs.indicators import indicator_actuals
from programs.models import Indicator, IndicatorTarget
from programs.plan_report import indicators_section
from programs.report_data import Scope
from programs.sources import VALUES
from programs.suppression import Suppressed
from tests.programs.plan_builders import came, held, indicator, plan, programme, target

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


def measured(code: str = "sport", **fields: object) -> Indicator:
    values: dict[str, object] = {
        "source": Indicator.Source.MEASURE,
        "unit": Indicator.Unit.ACTIVITIES,
        "measure_code": "events.activities_held",
        "measure_params": {"kind": "sport"},
        **fields,
    }
    return indicator(programme(plan()), code, **values)


def test_the_groups_of_the_vocabulary_are_those_of_the_registry() -> None:
    assert set(VALUES["group"]) - {"unknown"} == set(Participant.Group.values)


@pytest.mark.parametrize(
    ("code", "params", "splits", "message"),
    [
        ("events.karaoke", {}, [], "No measure “events.karaoke” exists"),
        ("events.activities_held", {"colour": "red"}, [], "takes no parameter “colour”"),
        ("events.activities_held", {"kind": "karaoke"}, [], "“karaoke” is not a choice of “kind”"),
        ("events.activities_held", {}, ["sex"], "cannot be broken down by sex"),
        ("events.attendees", {}, ["eyes"], "Unknown disaggregation: eyes"),
        ("events.attendees", ["kind"], [], "must be names with text values"),
    ],
)
def test_an_indicator_naming_an_unknown_measure_or_parameter_is_refused(
    code: str, params: object, splits: list[str], message: str
) -> None:
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        measured(measure_code=code, measure_params=params, disaggregations=splits)
    assert not Indicator.objects.exists()


def test_the_admin_refuses_parameters_the_measure_does_not_take(
    coordinator: User, client_for: ClientFor
) -> None:
    item = programme(plan())
    response = client_for(coordinator).post(
        "/en/admin/programs/indicator/add/",
        {
            "programme": item.pk,
            "code": "sport",
            "name_ar": "مؤشر",
            "name_fr": "Indicateur",
            "name_en": "Indicator",
            "order": 1,
            "unit": "activities",
            "higher_is_better": "on",
            "disaggregations": "[]",
            "source": "measure",
            "measure_code": "events.activities_held",
            "measure_params": '{"kind": "karaoke"}',
            "targets-TOTAL_FORMS": 0,
            "targets-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "is not a choice of" in response.content.decode()
    assert not Indicator.objects.exists()


def test_a_target_outside_the_plan_is_refused_also_in_a_crafted_post(
    coordinator: User, client_for: ClientFor
) -> None:
    item = measured()
    with pytest.raises(ValidationError, match="outside the plan"):
        IndicatorTarget(indicator=item, year=2030, value=3).full_clean()
    response = client_for(coordinator).post(
        f"/en/admin/programs/indicator/{item.pk}/change/",
        {
            "programme": item.programme_id,
            "code": item.code,
            "name_ar": "مؤشر",
            "name_fr": "Indicateur",
            "name_en": "Indicator",
            "order": 1,
            "unit": "activities",
            "higher_is_better": "on",
            "disaggregations": "[]",
            "source": "measure",
            "measure_code": "events.activities_held",
            "measure_params": '{"kind": "sport"}',
            "targets-TOTAL_FORMS": 2,
            "targets-INITIAL_FORMS": 0,
            "targets-0-year": 2030,
            "targets-0-value": 5,
            "targets-1-year": 2025,
            "targets-1-value": 5,
        },
    )
    assert "is outside the plan" in response.content.decode()
    assert not IndicatorTarget.objects.exists()


def test_measured_actuals_equal_a_direct_count_of_the_records() -> None:
    sport = measured()
    people = indicator(
        sport.programme,
        "people",
        source=Indicator.Source.MEASURE,
        measure_code="events.attendees",
        measure_params={"kind": "sport"},
        disaggregations=["group", "age_band"],
    )
    target(sport, 2025, 4)
    first, second = held(2025), held(2025, month=9)
    held(2024)
    held(2025, kind=Event.Kind.CULTURE)
    for event, sex in ((first, "female"), (first, "male"), (second, "female")):
        came(event, sex=sex, group="newcomer")
    came(second, sex="male", group="local_youth", birth_year=None)
    actuals = indicator_actuals([sport, people], years=2025)
    low, high = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 12, 31, 23, tzinfo=UTC)
    direct = Event.objects.filter(kind="sport", starts_at__range=(low, high)).count()
    assert actuals[sport.pk].value == direct == 2
    assert actuals[sport.pk].percent_of_target == 50
    came_2025 = Registration.objects.filter(
        event__kind="sport", event__starts_at__range=(low, high), attended_at__isnull=False
    )
    split = actuals[people.pk].breakdowns
    assert actuals[people.pk].value == came_2025.count() == 4
    assert split["sex"] == {
        "female": came_2025.filter(sex="female").count(),
        "male": came_2025.filter(sex="male").count(),
    }
    assert split["group"] == {"newcomer": 3, "local_youth": 1}
    assert split["age_band"] == {"25-34": 3, "unknown": 1}


def _dataset(size: int) -> None:
    for index in range(size):
        event = held(2025, month=1 + index % 12)
        came(event, sex="female" if index % 2 else "male", group="newcomer")


def test_the_indicators_cost_the_same_queries_for_ten_times_the_records() -> None:
    sport = measured()
    indicator(
        sport.programme,
        "people",
        source=Indicator.Source.MEASURE,
        measure_code="events.attendees",
        disaggregations=["group", "sex", "age_band"],
    )
    indicator(sport.programme, "manual", disaggregations=["sex"])
    counts = []
    for size in (3, 30):
        _dataset(size)
        with CaptureQueriesContext(connection) as queries, translation.override("fr"):
            indicators_section(Scope(year=2025))
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_the_indicators_section_shows_target_actual_and_women_and_men() -> None:
    people = indicator(
        programme(plan()),
        "people",
        source=Indicator.Source.MEASURE,
        measure_code="events.attendees",
    )
    target(people, 2025, 10)
    target(people, 2024, 8)
    event = held(2025)
    for _index in range(6):
        came(event, sex="female", group="newcomer")
    came(event, sex="male", group="newcomer")
    came(held(2024), sex="male", group="mre")
    with translation.override("en"):
        staff = indicators_section(Scope(year=2025))
        partner = indicators_section(Scope(year=2025, organisation_id=1))
    main, breakdown = staff.tables
    row = main.rows[0]
    assert row[5:8] == [10, 7, 70]
    assert row[9:11] == [8, 1]
    assert ["sex", "women", 6, 0] in breakdown.rows
    assert ["sex", "men", 1, 1] in breakdown.rows
    shown = partner.tables[0].rows[0]
    assert shown[6] == 7
    assert isinstance(shown[10], Suppressed)  # one person the year before
    cells = {row[1]: row[2] for row in partner.tables[1].rows}
    assert isinstance(cells["men"], Suppressed)
    assert isinstance(cells["women"], Suppressed)  # else the total would give men away
