"""The plan's sections of the PAC report (registered from ProgramsConfig.ready): the
axes and programmes with their budget against the contributions received, and the
indicators against their targets with their breakdowns, each beside the previous year.

The partner version (Scope.organisation_id set) shows the programmes' status and
completion and the indicators, with every figure of people small-cell suppressed
(programs.suppression); the budget, the contributions and the names of the staff in
charge stay in the commune's version."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from belfaa.bidi import ltr_text
from programs.indicators import Actual, indicator_actuals
from programs.measures import MeasureError, Number, measure_get
from programs.models import BudgetLine, Evaluation, Indicator, PlanPeriod, Programme, Status
from programs.report_data import Cell, Scope, Section, Table, section_register
from programs.sources import DISAGGREGATIONS, value_label
from programs.suppression import suppress_counts

CONTRIBUTIONS = "partners.contributions_mad"


def plan_for(year: int) -> PlanPeriod | None:
    """The plan that covers `year`, the current one first."""
    return (
        PlanPeriod.objects.filter(start_year__lte=year, end_year__gte=year)
        .order_by("-is_current", "-start_year")
        .first()
    )


def _years(plan: PlanPeriod, year: int, cumulative: bool) -> tuple[int, int] | None:
    """The years a column covers; None when they fall before the plan."""
    start = plan.start_year if cumulative else year
    if year < plan.start_year:
        return None
    return start, year


def _label(years: tuple[int, int] | None) -> str:
    if years is None:
        return "-"
    start, end = years
    return ltr_text(str(end) if start == end else f"{start}-{end}")


def _no_plan(key: str, title: str, year: int) -> Section:
    return Section(
        key=key,
        title=title,
        paragraphs=[_("No action plan covers %(year)s.") % {"year": ltr_text(str(year))}],
    )


def _budget(plan: PlanPeriod, years: tuple[int, int] | None) -> dict[tuple[int, str], Decimal]:
    if years is None:
        return {}
    rows = (
        BudgetLine.objects.filter(programme__period=plan, year__range=years)
        .values("programme_id", "source")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(row["programme_id"], row["source"]): row["total"] for row in rows}


def _contributions(years: tuple[int, int] | None) -> tuple[dict[str, Number], Number | None]:
    """Contributions received, by programme and in all, through the measures registry."""
    if years is None:
        return {}, None
    try:
        measure = measure_get(CONTRIBUTIONS)
    except MeasureError:
        return {}, None
    start, end = date(years[0], 1, 1), date(years[1], 12, 31)
    split = measure.value(start=start, end=end, by="programme")
    total = measure.value(start=start, end=end)
    assert isinstance(split, dict) and not isinstance(total, dict)
    return split, total


def _evaluations(
    programmes: Sequence[Programme], year: int
) -> tuple[dict[int, tuple[str, int, int]], dict[int, int]]:
    """The programmes' yearly evaluations of `year` (status, completion, projects
    done) and the completion their evaluation of the year before gave."""
    rows = Evaluation.objects.filter(
        programme__in=programmes, year__in=(year - 1, year)
    ).values_list("programme_id", "year", "status", "completion", "projects_done")
    now: dict[int, tuple[str, int, int]] = {}
    before: dict[int, int] = {}
    for programme_id, evaluated, status, completion, projects_done in rows:
        if evaluated == year:
            now[programme_id] = (status, completion, projects_done)
        else:
            before[programme_id] = completion
    return now, before


def plan_section(scope: Scope) -> Section:
    title = _("The plan: axes and programmes")
    plan = plan_for(scope.year)
    if plan is None:
        return _no_plan("plan", title, scope.year)
    partner = scope.organisation_id is not None
    programmes = list(
        Programme.objects.filter(period=plan)
        .select_related("axis", "snia_programme", "responsible")
        .annotate(
            projects_total=Count("projects"),
            projects_done=Count("projects", filter=Q(projects__status=Status.DONE)),
        )
        .order_by("axis__order", "axis__pk", "code")
    )
    # Where each programme stood at the end of the year: its yearly evaluation, else
    # (for a past year, said in a paragraph) its status today.
    standing, completion_before = _evaluations(programmes, scope.year)
    past = scope.year < timezone.localdate().year
    unevaluated = [str(item) for item in programmes if past and item.pk not in standing]
    for item in programmes:
        standing.setdefault(item.pk, (item.status, item.completion, item.projects_done))
    columns = [_("Axis"), _("Programme"), _("SNIA programme")]
    if not partner:
        columns.append(_("Responsible"))
    columns += [
        _("Status"),
        _("Completion (%)"),
        _("Completion (%%), %(year)s") % {"year": ltr_text(str(scope.year - 1))},
        _("Projects done"),
        _("Projects"),
    ]
    rows: list[list[Cell]] = []
    for programme in programmes:
        row: list[Cell] = [
            programme.axis.title if programme.axis else "-",
            str(programme),
            programme.snia_programme.title if programme.snia_programme else "-",
        ]
        if not partner:
            responsible = programme.responsible
            row.append(responsible.get_full_name() or responsible.email if responsible else "-")
        status, completion, projects_done = standing[programme.pk]
        row += [
            str(Status(status).label),
            completion,
            completion_before.get(programme.pk, "-"),
            projects_done,
            programme.projects_total,
        ]
        rows.append(row)
    first_number = len(columns) - 4
    tables = [
        Table(
            title=_("Programmes of the plan %(plan)s") % {"plan": str(plan)},
            columns=columns,
            rows=rows,
            numeric=frozenset(range(first_number, len(columns))),
            key_columns=(1,),
        )
    ]
    stalled = [str(item) for item in programmes if standing[item.pk][0] == Status.STALLED]
    paragraphs = [
        _("Stalled programmes: %(names)s.") % {"names": "; ".join(stalled)}
        if stalled
        else _("No programme is stalled.")
    ]
    if unevaluated:
        paragraphs.append(
            _(
                "No yearly evaluation of %(year)s is recorded for: %(names)s; their "
                "status, completion and projects done are today's."
            )
            % {"year": ltr_text(str(scope.year)), "names": "; ".join(unevaluated)}
        )
    if partner:
        paragraphs.append(_("The budget and the contributions are in the commune's version."))
    else:
        tables.append(_budget_table(plan, programmes, scope))
        paragraphs.append(
            _(
                "Contributions are those of the partners' agreements serving each "
                "programme, in dirhams; an agreement serving several programmes counts "
                "in each, so the total counts it once."
            )
        )
    return Section(key="plan", title=title, tables=tables, paragraphs=paragraphs)


def _budget_table(plan: PlanPeriod, programmes: Sequence[Programme], scope: Scope) -> Table:
    now = _years(plan, scope.year, scope.cumulative)
    before = _years(plan, scope.year - 1, scope.cumulative)
    budget_now, budget_before = _budget(plan, now), _budget(plan, before)
    received_now, total_now = _contributions(now)
    received_before, total_before = _contributions(before)
    own, partnership = BudgetLine.Source.OWN, BudgetLine.Source.PARTNERSHIP
    columns = [
        _("Programme"),
        _("Own funds planned, %(years)s") % {"years": _label(now)},
        _("Partnership planned, %(years)s") % {"years": _label(now)},
        _("Contributions received, %(years)s") % {"years": _label(now)},
        _("Own funds planned, %(years)s") % {"years": _label(before)},
        _("Partnership planned, %(years)s") % {"years": _label(before)},
        _("Contributions received, %(years)s") % {"years": _label(before)},
    ]
    zero = Decimal("0.00")
    rows: list[list[Cell]] = []
    sums: list[Decimal] = [zero] * 6
    for programme in programmes:
        values = [
            budget_now.get((programme.pk, own), zero),
            budget_now.get((programme.pk, partnership), zero),
            Decimal(received_now.get(str(programme.pk), zero)),
            budget_before.get((programme.pk, own), zero),
            budget_before.get((programme.pk, partnership), zero),
            Decimal(received_before.get(str(programme.pk), zero)),
        ]
        sums = [total + value for total, value in zip(sums, values, strict=True)]
        rows.append([str(programme), *values])
    sums[2] = Decimal(total_now or zero)
    sums[5] = Decimal(total_before or zero)
    rows.append([_("Total"), *sums])
    return Table(
        title=_("Budget planned and contributions received (MAD)"),
        columns=columns,
        rows=rows,
        numeric=frozenset(range(1, 7)),
    )


def _whole(value: Number) -> int | None:
    """A count of people as a whole number (one entered by hand is a Decimal)."""
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() and value >= 0 else None


def _cell(value: Number | None, *, suppress: bool) -> Cell:
    if value is None:
        return None
    if suppress and (count := _whole(value)) is not None:
        return suppress_counts({0: count}, total=False).counts[0]
    return value


def _split(split: Mapping[str, Number], *, suppress: bool) -> dict[str, Cell]:
    counts = {key: _whole(number) for key, number in split.items()}
    if suppress and all(count is not None for count in counts.values()):
        return dict(suppress_counts({key: int(n or 0) for key, n in counts.items()}).counts)
    return dict(split)


def indicators_section(scope: Scope) -> Section:
    title = _("Indicators of the plan")
    plan = plan_for(scope.year)
    if plan is None:
        return _no_plan("indicators", title, scope.year)
    indicators = list(
        Indicator.objects.filter(programme__period=plan)
        .select_related("programme")
        .order_by("programme__code", "order", "code")
    )
    now = _years(plan, scope.year, scope.cumulative)
    before = _years(plan, scope.year - 1, scope.cumulative)
    assert now is not None
    actual_now = indicator_actuals(indicators, years=now)
    actual_before = indicator_actuals(indicators, years=before) if before else {}
    partner = scope.organisation_id is not None
    columns = [
        _("Programme"),
        _("Indicator"),
        _("Unit"),
        _("Baseline year"),
        _("Baseline"),
        _("Target, %(years)s") % {"years": _label(now)},
        _("Actual, %(years)s") % {"years": _label(now)},
        # xgettext:no-python-format
        _("% of target"),
        _("On track"),
        _("Target, %(years)s") % {"years": _label(before)},
        _("Actual, %(years)s") % {"years": _label(before)},
    ]
    rows: list[list[Cell]] = []
    tables: list[Table] = []
    for indicator in indicators:
        current, previous = actual_now[indicator.pk], actual_before.get(indicator.pk)
        people = partner and indicator.unit == Indicator.Unit.PEOPLE
        shown = _cell(current.value, suppress=people)
        hidden = people and shown != current.value
        on_track = current.on_track
        rows.append(
            [
                indicator.programme.code,
                indicator.name,
                indicator.get_unit_display(),
                # A year, not a quantity: text, so no digit grouping ("2,020").
                str(indicator.baseline_year) if indicator.baseline_year else None,
                indicator.baseline_value,
                current.target,
                shown,
                None if hidden else current.percent_of_target,
                "-" if on_track is None or hidden else (_("yes") if on_track else _("no")),
                previous.target if previous else None,
                _cell(previous.value, suppress=people) if previous else None,
            ]
        )
        if current.breakdowns:
            tables.append(_breakdown_table(current, previous, now, before, suppress=people))
    paragraphs = [
        _(
            "A figure counted from the records is computed from them for the years "
            "shown; a result entered by hand counts once another staff member has "
            "approved it."
        )
    ]
    if scope.cumulative:
        paragraphs.append(
            _(
                "Over the plan so far, people are counted once however many years they "
                "came; yearly targets and results entered by hand add up, but a "
                "percentage is the last year's."
            )
        )
    if partner:
        paragraphs.append(_("Small counts of people are hidden to protect them."))
    main = Table(
        title=_("Indicators against their targets"),
        columns=columns,
        rows=rows,
        numeric=frozenset({4, 5, 6, 7, 9, 10}),
        key_columns=(0, 1),
    )
    return Section(key="indicators", title=title, tables=[main, *tables], paragraphs=paragraphs)


def _value_label(indicator: Indicator, name: str, key: str) -> str:
    """A breakdown value's label; one the plan does not name (the activities' group
    "resident" for instance) as its measure names it."""
    label = value_label(name, key)
    if label == key and not indicator.is_manual:
        return str(measure_get(indicator.measure_code).value_label(name, key))
    return label


def _breakdown_table(
    current: Actual,
    previous: Actual | None,
    now: tuple[int, int],
    before: tuple[int, int] | None,
    *,
    suppress: bool,
) -> Table:
    rows: list[list[Cell]] = []
    for name, split in current.breakdowns.items():
        earlier = previous.breakdowns.get(name, {}) if previous else {}
        keys = list(dict.fromkeys([*split, *earlier]))
        shown_now = _split({key: split.get(key, 0) for key in keys}, suppress=suppress)
        shown_before = (
            _split({key: earlier.get(key, 0) for key in keys}, suppress=suppress)
            if previous
            else defaultdict(lambda: None)
        )
        for key in keys:
            rows.append(
                [
                    str(DISAGGREGATIONS.get(name, name)),
                    _value_label(current.indicator, name, key),
                    shown_now[key],
                    shown_before[key],
                ]
            )
    return Table(
        title=_("%(indicator)s: breakdown") % {"indicator": current.indicator.name},
        columns=[
            _("Breakdown"),
            _("Category"),
            _label(now),
            _label(before),
        ],
        rows=rows,
        numeric=frozenset({2, 3}),
        key_columns=(0, 1),
    )


def sections_register() -> None:
    section_register("plan", order=10, builder=plan_section)
    section_register("indicators", order=20, builder=indicators_section)
