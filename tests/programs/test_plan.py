"""The action plan: its years, axes, SNIA programmes, programmes and budget."""

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone, translation

from belfaa.models import User
from programs.models import (
    BudgetLine,
    Evaluation,
    PlanPeriod,
    Programme,
    SNIAProgramme,
    Status,
)
from programs.plan_report import plan_section
from programs.report_data import Scope, registered_sections
from programs.services import plan_period_check
from programs.snia import snia_seed
from tests.programs.plan_builders import plan, programme

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    # The messages are matched in English, whichever language an earlier test left on.
    with translation.override("en"):
        yield


def test_the_snia_programmes_are_seeded_in_three_languages() -> None:
    snia_seed(SNIAProgramme)  # what the migration runs (a transactional test may empty it)
    rows = SNIAProgramme.objects.all()
    assert rows.count() == 11
    health = rows.get(code="health")
    assert (health.title_fr, health.title_ar, health.title_en) == ("Santé", "الصحة", "Health")
    assert set(rows.values_list("kind", flat=True)) == {"sectoral", "cross_cutting"}
    assert rows.filter(kind="cross_cutting").count() == 4


def test_a_plan_overlapping_another_of_the_same_commune_is_refused() -> None:
    first = plan(2021, 2027)
    with pytest.raises(ValidationError, match="overlap"):
        plan_period_check(commune_id=first.commune_id, start_year=2027, end_year=2032)
    plan_period_check(commune_id=first.commune_id, start_year=2028, end_year=2033)


def test_the_admin_refuses_an_overlapping_plan_and_stores_nothing(
    coordinator: User, client_for: ClientFor
) -> None:
    first = plan(2021, 2027)
    response = client_for(coordinator).post(
        "/en/admin/programs/planperiod/add/",
        {
            "commune": first.commune_id,
            "title_ar": "برنامج",
            "title_fr": "PAC 2",
            "title_en": "PAC 2",
            "start_year": 2025,
            "end_year": 2030,
            "axes-TOTAL_FORMS": 0,
            "axes-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "These years overlap the plan" in response.content.decode()
    assert PlanPeriod.objects.count() == 1


def test_a_commune_has_one_current_plan() -> None:
    first = plan(2015, 2020)
    second = PlanPeriod(
        commune=first.commune, title="B", start_year=2021, end_year=2027, is_current=True
    )
    with pytest.raises(ValidationError, match="already has a current action plan"):
        second.full_clean()


def test_planned_years_and_budget_years_stay_inside_the_plan() -> None:
    item = programme(plan(2021, 2027))
    item.planned_start = 2019
    with pytest.raises(ValidationError, match="outside the plan"):
        item.full_clean()
    line = BudgetLine(programme=item, year=2030, source="own", amount=Decimal(10))
    with pytest.raises(ValidationError, match="outside the plan"):
        line.full_clean()


def test_the_completion_rate_is_a_percentage() -> None:
    item = programme(plan())
    item.completion = 120
    with pytest.raises(ValidationError, match="from 0 to 100"):
        item.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=item.pk).update(completion=101)


def _programme_post(
    item: Programme,
    lines: list[tuple[str, str, str]],
    evaluations: tuple[tuple[str, str, str, str], ...] = (),
) -> dict[str, object]:
    data: dict[str, object] = {
        "period": item.period_id,
        "axis": item.axis_id,
        "code": item.code,
        "title_ar": "برنامج",
        "title_fr": "Programme",
        "title_en": "Programme",
        "status": Status.UNDER_WAY,
        "completion": 30,
        "budget_lines-TOTAL_FORMS": len(lines),
        "budget_lines-INITIAL_FORMS": 0,
        "projects-TOTAL_FORMS": 0,
        "projects-INITIAL_FORMS": 0,
        "evaluations-TOTAL_FORMS": len(evaluations),
        "evaluations-INITIAL_FORMS": 0,
    }
    for index, (year, source, amount) in enumerate(lines):
        data |= {
            f"budget_lines-{index}-year": year,
            f"budget_lines-{index}-source": source,
            f"budget_lines-{index}-amount": amount,
        }
    for index, (year, status, completion, done) in enumerate(evaluations):
        data |= {
            f"evaluations-{index}-year": year,
            f"evaluations-{index}-status": status,
            f"evaluations-{index}-completion": completion,
            f"evaluations-{index}-projects_done": done,
        }
    return data


def test_a_crafted_post_cannot_store_a_budget_year_outside_the_plan_or_twice(
    coordinator: User, client_for: ClientFor
) -> None:
    item = programme(plan(2021, 2027))
    url = f"/en/admin/programs/programme/{item.pk}/change/"
    client = client_for(coordinator)
    outside = client.post(url, _programme_post(item, [("2031", "own", "1000")]))
    assert "\u20662031\u2069 is outside the plan" in outside.content.decode()
    twice = client.post(url, _programme_post(item, [("2022", "own", "1000"), ("2022", "own", "5")]))
    assert twice.status_code == 200
    assert not BudgetLine.objects.exists()
    item.refresh_from_db()
    assert item.completion == 0
    saved = client.post(url, _programme_post(item, [("2022", "own", "1000")]))
    assert saved.status_code == 302
    assert BudgetLine.objects.get().amount == Decimal("1000.00")


def test_the_plan_section_names_stalled_programmes_and_sums_the_budget(
    coordinator: User,
) -> None:
    period = plan(2021, 2027)
    late = programme(period, "late", status=Status.STALLED, completion=10)
    fine = programme(
        period, "fine", status=Status.UNDER_WAY, completion=70, responsible=coordinator
    )
    for year, amount in ((2024, 100), (2025, 300)):
        BudgetLine.objects.create(programme=late, year=year, source="own", amount=amount)
        BudgetLine.objects.create(programme=fine, year=year, source="partnership", amount=amount)
    with translation.override("en"):
        section = plan_section(Scope(year=2025))
        cumulative = plan_section(Scope(year=2025, cumulative=True))
        partner = plan_section(Scope(year=2025, organisation_id=1))
    assert any("late" in text and "Stalled" in text for text in section.paragraphs)
    programmes, budget = section.tables
    assert [row[1] for row in programmes.rows] == [str(fine), str(late)]
    assert programmes.rows[0][3] == coordinator.get_full_name()
    assert budget.rows[-1][1:3] == [Decimal(300), Decimal(300)]  # own, partnership 2025
    assert budget.rows[-1][4:6] == [Decimal(100), Decimal(100)]  # the year before
    assert cumulative.tables[1].rows[-1][1] == Decimal(400)
    assert len(partner.tables) == 1
    assert "Responsible" not in partner.tables[0].columns


@pytest.mark.parametrize(
    ("evaluations", "message"),
    [
        ((("2031", "stalled", "20", "0"),), "2031 is outside the plan"),
        ((("2024", "stalled", "20", "0"), ("2024", "done", "100", "0")), "duplicate data for year"),
        ((("2024", "stalled", "150", "0"),), "percentage, from 0 to 100"),
        ((("2024", "finished", "20", "0"),), "Select a valid choice"),
    ],
)
def test_a_crafted_post_cannot_store_a_wrong_yearly_evaluation(
    coordinator: User,
    client_for: ClientFor,
    evaluations: tuple[tuple[str, str, str, str], ...],
    message: str,
) -> None:
    item = programme(plan(2021, 2027))
    url = f"/en/admin/programs/programme/{item.pk}/change/"
    refused = client_for(coordinator).post(url, _programme_post(item, [], evaluations))
    assert refused.status_code == 200
    assert message in refused.content.decode().replace("\u2066", "").replace("\u2069", "")
    assert not Evaluation.objects.exists()
    item.refresh_from_db()
    assert item.completion == 0


def test_the_admin_keeps_a_yearly_evaluation_with_its_history(
    coordinator: User, client_for: ClientFor
) -> None:
    item = programme(plan(2021, 2027))
    url = f"/en/admin/programs/programme/{item.pk}/change/"
    saved = client_for(coordinator).post(
        url, _programme_post(item, [], (("2024", "stalled", "20", "1"),))
    )
    assert saved.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.year, evaluation.status, evaluation.completion) == (2024, "stalled", 20)
    assert evaluation.projects_done == 1
    assert evaluation.history.count() == 1


def test_an_officer_cannot_delete_an_evaluation_with_a_crafted_post(
    officer: User, client_for: ClientFor
) -> None:
    item = programme(plan(2021, 2027))
    kept = Evaluation.objects.create(programme=item, year=2024, status="stalled", completion=20)
    assert not officer.has_perm("programs.delete_evaluation")
    data = _programme_post(item, []) | {
        "evaluations-TOTAL_FORMS": 1,
        "evaluations-INITIAL_FORMS": 1,
        "evaluations-0-id": kept.pk,
        "evaluations-0-programme": item.pk,
        "evaluations-0-year": "2024",
        "evaluations-0-status": "done",
        "evaluations-0-completion": "100",
        "evaluations-0-projects_done": "0",
        "evaluations-0-DELETE": "on",
    }
    url = f"/en/admin/programs/programme/{item.pk}/change/"
    assert client_for(officer).post(url, data).status_code == 302
    kept.refresh_from_db()  # still there: the change was saved, the deletion ignored
    assert (kept.status, kept.completion) == ("done", 100)


def test_a_past_years_report_shows_where_each_programme_stood_that_year() -> None:
    this_year = timezone.localdate().year
    period = plan(this_year - 4, this_year + 1)
    late = programme(period, "late", status=Status.UNDER_WAY, completion=70)
    fine = programme(period, "fine", status=Status.STALLED, completion=35)
    last, before = this_year - 1, this_year - 2
    Evaluation.objects.create(programme=late, year=before, status="under_way", completion=10)
    Evaluation.objects.create(
        programme=late, year=last, status="stalled", completion=25, projects_done=2
    )
    # `fine` has no evaluation of last year: today's status is shown, and said.
    sections = {year: plan_section(Scope(year=year)) for year in (before, last, this_year)}
    by_code = {
        year: {row[1]: row[4:] for row in section.tables[0].rows}
        for year, section in sections.items()
    }
    assert sections[last].tables[0].columns[6] == f"Completion (%), \u2066{before}\u2069"
    assert by_code[last][str(late)] == ["stalled", 25, 10, 2, 0]
    assert by_code[last][str(fine)] == ["stalled", 35, "-", 0, 0]
    assert by_code[this_year][str(late)] == ["under way", 70, 25, 0, 0]
    assert by_code[before][str(late)] == ["under way", 10, "-", 0, 0]
    stalled_last, unevaluated_last = sections[last].paragraphs[:2]
    assert str(late) in stalled_last and str(fine) in stalled_last
    assert "No yearly evaluation" in unevaluated_last
    assert str(fine) in unevaluated_last and str(late) not in unevaluated_last
    # This year's figures are today's: nothing to say about evaluations.
    assert not any("evaluation" in text for text in sections[this_year].paragraphs)
    assert str(late) not in sections[this_year].paragraphs[0]


def test_a_plan_cannot_shrink_away_from_an_evaluated_year() -> None:
    period = plan(2021, 2027)
    Evaluation.objects.create(programme=programme(period), year=2021, status="done", completion=5)
    with pytest.raises(ValidationError, match="plans years outside"):
        plan_period_check(
            commune_id=period.commune_id, start_year=2022, end_year=2027, pk=period.pk
        )


def test_the_plan_registers_its_two_sections() -> None:
    keys = {key: order for order, key, _builder in registered_sections()}
    assert keys["plan"] == 10
    assert keys["indicators"] == 20


def test_a_plan_cannot_shrink_away_from_years_already_planned() -> None:
    period = plan(2021, 2027)
    item = programme(period)
    BudgetLine.objects.create(programme=item, year=2027, source="own", amount=5)
    with pytest.raises(ValidationError, match="plans years outside"):
        plan_period_check(
            commune_id=period.commune_id, start_year=2021, end_year=2026, pk=period.pk
        )
    plan_period_check(commune_id=period.commune_id, start_year=2020, end_year=2027, pk=period.pk)


def test_the_demo_plan_is_aligned_and_has_results_approved_and_waiting() -> None:
    from belfaa import demo as accounts
    from programs import demo
    from programs.models import Indicator, ManualResult

    accounts.seed()
    demo.seed()
    period = PlanPeriod.objects.get(start_year=2021, end_year=2027)
    assert period.is_current
    assert not Programme.objects.filter(period=period, snia_programme__isnull=True).exists()
    assert period.axes.count() == 1
    assert Indicator.objects.filter(source="measure").count() == 4
    results = ManualResult.objects.order_by("indicator__order", "year")
    # Approved for the last two years (the report of each is full); this year's waits.
    assert [(r.indicator.code, r.year, r.is_approved) for r in results] == [
        ("satisfaction", 2024, True),
        ("satisfaction", 2025, True),
        ("school-enrolled", 2024, True),
        ("school-enrolled", 2025, True),
        ("school-enrolled", 2026, False),
    ]
    assert demo.seed() == []  # loaded once
