"""`make run` shows a full PAC report for last year and the year before: after
`seed_demo`, every section of the 2025 and 2024 reports has figures for its year."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from programs.report_data import Cell, Report, Scope, Section, Table
from programs.report_outputs import report_lines
from programs.reports import report_build

pytestmark = pytest.mark.django_db


def section(report: Report, key: str) -> Section:
    return next(found for found in report.sections if found.key == key)


def table(found: Section, title: str) -> Table:
    return next(candidate for candidate in found.tables if candidate.title == title)


def line(found: Table, label: str) -> list[Cell]:
    return next(row for row in found.rows if row[0] == label)


def positive(value: Cell) -> bool:
    return isinstance(value, int | Decimal) and value > 0


@pytest.mark.parametrize("year", [2025, 2024])
def test_the_demo_fills_every_section_of_the_last_two_years_reports(year: int) -> None:
    call_command("seed_demo", force=True, verbosity=0)
    report = report_build(Scope(year=year), "en")
    assert [found.key for found in report.sections] == [
        "plan",
        "indicators",
        "people",
        "requests",
        "activities",
        "partners",
        "heard",
    ]

    plan = section(report, "plan")
    # Each programme's status, completion and the year before's, from its evaluations.
    standing = {str(row[1]).split(" · ")[0]: row[4:7] for row in plan.tables[0].rows}
    assert standing["mig-2-mre"][0] == "stalled"
    assert standing["mig-1-accueil"][0] == "under way"
    assert all(
        positive(completion) and positive(before) for _s, completion, before in standing.values()
    )
    assert not any("No yearly evaluation" in text for text in plan.paragraphs)
    budget = line(table(plan, "Budget planned and contributions received (MAD)"), "Total")
    assert all(positive(value) for value in budget[1:4])

    indicators = table(section(report, "indicators"), "Indicators against their targets")
    # Measured and entered by hand alike: every indicator has its year's actual.
    assert len(indicators.rows) == 6
    assert all(positive(row[6]) and positive(row[5]) for row in indicators.rows)
    assert {row[8] for row in indicators.rows} >= {"yes", "no"}

    people = section(report, "people")
    for title, labels in (
        ("By group", ("newcomer", "Moroccan living abroad", "local youth")),
        ("By sex", ("female", "male")),
        ("By age band", ("0-14", "18-24", "25-34", "35-59", "60+")),
    ):
        for label in labels:
            registered, _before, accompanied, _earlier = line(table(people, title), label)[1:]
            assert positive(registered) and positive(accompanied), (title, label)

    requests = section(report, "requests")
    by_kind = table(requests, "Support requests by kind")
    assert sum(positive(row[1]) for row in by_kind.rows[:-1]) >= 5
    by_outcome = table(requests, "Support requests by outcome")
    assert sum(positive(row[1]) for row in by_outcome.rows[:-1]) >= 4
    referrals = table(requests, "Referrals by partner")
    assert sum(positive(row[1]) for row in referrals.rows[:-1]) >= 3
    assert "Migrations & Développement (Agadir branch)" in {row[0] for row in referrals.rows}

    activities = section(report, "activities")
    by_kind = table(activities, "Activities held by kind")
    assert sum(positive(row[1]) for row in by_kind.rows[:-1]) >= 5
    assert positive(line(by_kind, "Total")[3])  # people who came
    joint = table(activities, "Joint activities of local youth and newcomers")
    held, joint_held = line(joint, "Activities held")[1], line(joint, "Joint activities")[1]
    assert positive(joint_held) and joint_held < held  # joint, and not all of them
    share = line(joint, "Share of joint activities (%)")[1]
    assert isinstance(share, Decimal) and 0 < share < 100
    by_sex = table(activities, "People who took part, by sex")
    assert positive(line(by_sex, "female")[1]) and positive(line(by_sex, "male")[1])

    partners = section(report, "partners")
    assert positive(line(table(partners, "Agreements in force"), "Agreements in force")[1])
    money = table(partners, "Contributions of the partners (MAD)")
    assert sum(positive(row[1]) for row in money.rows[:-1]) >= 3

    heard = section(report, "heard")
    themes = line(table(heard, "Concerns and proposals by theme"), "Total")
    concerns, answered, proposals = themes[1:4]
    assert positive(concerns) and positive(answered) and positive(proposals)
    assert isinstance(answered, int) and isinstance(concerns, int) and answered < concerns
    said = table(heard, "What was said, and the follow-up")
    follow_ups = [str(row[4]) for row in said.rows]
    assert any(text.startswith("mig-") for text in follow_ups)  # answered by a programme
    assert any(not text.startswith("mig-") for text in follow_ups)  # and not (yet)

    # In the CSV, each figure is named by its table, line and column, once: a line is
    # the programme, the indicator, the breakdown's category or the concern, not a
    # column that several rows share (the axis, a programme's code, a theme).
    names = [(found[1], found[2], found[3]) for found in report_lines(report)]
    assert len(names) == len(set(names))
    lines = {found[2] for found in report_lines(report)}
    assert any(text.startswith("mig-2-mre · ") for text in lines)
