"""The PAC report's sections on the records (people, support requests and referrals,
activities, partners), computed from the measures registry only: `programs` never
imports the apps that hold the facts, it asks for a measure by its code.

Every figure is one SQL aggregate of a measure, for the year (or the plan so far) and
for the year before, side by side. A measure that is not registered, or that cannot be
restricted to one partner in the partner version, leaves its table out rather than
showing a wrong figure. In the partner version every count goes through the portal's
small-cell suppression (programs/suppression.py), one column at a time, with the
total when the column adds up to it."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from programs.charts import bar_chart
from programs.measures import AGE_BANDS, UNKNOWN, Figure, Measure, MeasureError, measure_get
from programs.report_data import Cell, Chart, Scope, Section, Table, section_register
from programs.suppression import suppress_counts

type Counts = Mapping[object, int | Decimal]


def measure_or_none(code: str, scope: Scope) -> Measure | None:
    """The measure, or None when it is not registered, or when the partner version asks
    for it and it cannot be restricted to one partner."""
    try:
        measure = measure_get(code)
    except MeasureError:
        return None
    if scope.organisation_id is not None and not measure.by_organisation:
        return None
    return measure


def figure(measure: Measure, scope: Scope | None, by: str | None = None, **params: str) -> Figure:
    """The measure over the scope's dates; 0 (or {}) for a missing previous period."""
    if scope is None:
        return {} if by else 0
    start, end = scope.dates()
    return measure.value(start=start, end=end, by=by, organisation=scope.organisation_id, **params)


def counts(measure: Measure, scope: Scope | None, by: str, **params: str) -> dict[object, int]:
    value = figure(measure, scope, by, **params)
    assert isinstance(value, dict)
    return dict(value)  # type: ignore[arg-type]


def total(measure: Measure, scope: Scope | None, **params: str) -> int | Decimal:
    value = figure(measure, scope, None, **params)
    assert not isinstance(value, dict)
    return value


def codes_of(measure: Measure, by: str, *found: Counts) -> list[object]:
    """The values of a breakdown in a stable order: its choices first, then any other
    value met (an unknown age, a code added since), so years line up row by row."""
    known: list[object] = []
    for name, choices in measure.labels:
        if name == by:
            known = [code for code, _label in choices]
    for parameter in measure.parameters:
        if parameter.name == by and not known:
            known = [code for code, _label in parameter.choices]
    if by == "age_band":
        known = [code for code, _low, _high in AGE_BANDS]
    if by == "sex":
        from belfaa.choices import Sex

        known = list(Sex.values)
    extra = {code for mapping in found for code in mapping if code not in known}
    return known + sorted(extra, key=lambda code: (code in (None, "", UNKNOWN), str(code)))


@dataclass(frozen=True)
class Column:
    header: str
    values: Counts
    # The column's total: the sum of its values when `additive`, else a figure of its
    # own (distinct people across kinds of activity count once).
    total: int | Decimal | None = None
    additive: bool = True


def breakdown_table(
    *,
    title: str,
    first: str,
    measure: Measure,
    by: str,
    columns: Sequence[Column],
    scope: Scope,
    labels: Mapping[object, str] | None = None,
    codes: Sequence[object] | None = None,
) -> Table:
    """A table of one breakdown: a line per value, a column per figure, a total line.
    Money is never suppressed; counts are, in the partner version."""
    keys = list(codes) if codes is not None else codes_of(measure, by, *(c.values for c in columns))
    shown: list[tuple[list[Cell], Cell]] = []
    for column in columns:
        values = [column.values.get(key, 0) for key in keys]
        column_total: int | Decimal = (
            sum(values, start=0) if column.additive else (column.total or 0)
        )
        money = any(isinstance(value, Decimal) for value in [*values, column_total])
        if scope.organisation_id is None or money:
            shown.append((list(values), column_total))
            continue
        if column.additive:
            hidden = suppress_counts(dict(enumerate(values)))  # type: ignore[arg-type]
            shown.append(([hidden.counts[i] for i in range(len(keys))], hidden.total))
        else:
            hidden = suppress_counts(dict(enumerate(values)), total=False)  # type: ignore[arg-type]
            alone = suppress_counts({"total": column_total}, total=False)  # type: ignore[dict-item]
            shown.append(([hidden.counts[i] for i in range(len(keys))], alone.counts["total"]))
    rows: list[list[Cell]] = []
    for index, key in enumerate(keys):
        label = (labels or {}).get(key) or str(measure.value_label(by, key))
        rows.append([label, *(cells[index] for cells, _total in shown)])
    rows.append([_("Total"), *(column_total for _cells, column_total in shown)])
    return Table(
        title=title,
        columns=[first, *(column.header for column in columns)],
        rows=rows,
        numeric=frozenset(range(1, len(columns) + 1)),
    )


def period_chart(title: str, table: Table, scope: Scope) -> Chart:
    """The first two figure columns of a table (this period, the one before) as bars,
    without its total line."""
    lines = table.rows[:-1]
    previous = scope.previous()
    series = [(scope.label(), [line[1] for line in lines])]
    if previous is not None:
        series.append((previous.label(), [line[2] for line in lines]))
    return bar_chart(title=title, categories=[str(line[0]) for line in lines], series=series)


def periods(scope: Scope) -> tuple[str, str]:
    previous = scope.previous()
    return scope.label(), previous.label() if previous else _("(before the plan)")


def people_section(scope: Scope) -> Section | None:
    """People entered in the registry and people accompanied, by group, sex and age."""
    registered = measure_or_none("participants.registered", scope)
    accompanied = measure_or_none("participants.accompanied", scope)
    if registered is None or accompanied is None:
        return None
    now, before = periods(scope)
    previous = scope.previous()
    titles = {"group": _("By group"), "sex": _("By sex"), "age_band": _("By age band")}
    tables = []
    for by, title in titles.items():
        columns = [
            Column(_("Registered %(period)s") % {"period": now}, counts(registered, scope, by)),
            Column(
                _("Registered %(period)s") % {"period": before}, counts(registered, previous, by)
            ),
            Column(_("Accompanied %(period)s") % {"period": now}, counts(accompanied, scope, by)),
            Column(
                _("Accompanied %(period)s") % {"period": before}, counts(accompanied, previous, by)
            ),
        ]
        tables.append(
            breakdown_table(
                title=title,
                first=title,
                measure=registered,
                by=by,
                columns=columns,
                scope=scope,
            )
        )
    sex = tables[1]
    chart_table = Table(
        title=sex.title,
        columns=sex.columns,
        rows=[[line[0], line[3], line[4]] for line in sex.rows],
        numeric=sex.numeric,
    )
    return Section(
        key="people",
        title=_("People registered and accompanied"),
        tables=tables,
        charts=[period_chart(_("People accompanied, women and men"), chart_table, scope)],
        paragraphs=[
            _(
                "Registered: people entered in the registry in the period. Accompanied: "
                "people with at least one support request opened in the period."
            )
        ],
    )


def requests_section(scope: Scope) -> Section | None:
    """Support requests by kind and by outcome, and referrals to partners."""
    requests = measure_or_none("participants.support_requests", scope)
    referrals = measure_or_none("participants.referrals", scope)
    now, before = periods(scope)
    previous = scope.previous()
    tables: list[Table] = []
    charts: list[Chart] = []
    if requests is not None:
        by_kind = breakdown_table(
            title=_("Support requests by kind"),
            first=_("Kind of request"),
            measure=requests,
            by="kind",
            columns=[
                Column(now, counts(requests, scope, "kind")),
                Column(before, counts(requests, previous, "kind")),
            ],
            scope=scope,
        )
        tables.append(by_kind)
        charts.append(period_chart(_("Support requests by kind"), by_kind, scope))
        tables.append(
            breakdown_table(
                title=_("Support requests by outcome"),
                first=_("Outcome"),
                measure=requests,
                by="outcome",
                columns=[
                    Column(now, counts(requests, scope, "outcome")),
                    Column(before, counts(requests, previous, "outcome")),
                ],
                scope=scope,
                labels={None: _("no outcome yet"), "": _("no outcome yet")},
            )
        )
    if referrals is not None:
        for by, title, first in (
            ("partner", _("Referrals by partner"), _("Partner")),
            ("outcome", _("Referrals by outcome"), _("Outcome")),
        ):
            if by not in referrals.breakdowns:
                continue
            tables.append(
                breakdown_table(
                    title=title,
                    first=first,
                    measure=referrals,
                    by=by,
                    columns=[
                        Column(now, counts(referrals, scope, by)),
                        Column(before, counts(referrals, previous, by)),
                    ],
                    scope=scope,
                    labels={None: _("no outcome yet"), "": _("no outcome yet")}
                    if by == "outcome"
                    else None,
                )
            )
    if not tables:
        return None
    return Section(
        key="requests", title=_("Support requests and referrals"), tables=tables, charts=charts
    )


def activities_section(scope: Scope) -> Section | None:
    """Activities held by kind with their attendance (distinct people), attendance by
    sex and group, and the share of joint activities of local youth and newcomers."""
    held = measure_or_none("events.activities_held", scope)
    came = measure_or_none("events.attendees", scope)
    if held is None or came is None:
        return None
    now, before = periods(scope)
    previous = scope.previous()
    by_kind = breakdown_table(
        title=_("Activities held by kind"),
        first=_("Kind of activity"),
        measure=held,
        by="kind",
        columns=[
            Column(_("Activities %(period)s") % {"period": now}, counts(held, scope, "kind")),
            Column(_("Activities %(period)s") % {"period": before}, counts(held, previous, "kind")),
            Column(
                _("People %(period)s") % {"period": now},
                counts(came, scope, "kind"),
                total=total(came, scope),
                additive=False,
            ),
            Column(
                _("People %(period)s") % {"period": before},
                counts(came, previous, "kind"),
                total=total(came, previous),
                additive=False,
            ),
        ],
        scope=scope,
    )
    tables = [by_kind]
    for by, title in (
        ("sex", _("People who took part, by sex")),
        ("group", _("People who took part, by group")),
    ):
        tables.append(
            breakdown_table(
                title=title,
                first=_("By sex") if by == "sex" else _("By group"),
                measure=came,
                by=by,
                columns=[
                    Column(now, counts(came, scope, by)),
                    Column(before, counts(came, previous, by)),
                ],
                scope=scope,
            )
        )
    paragraphs = [
        _(
            "People are counted once per period, however many activities they came to; "
            "a person who came to two kinds of activity counts in each kind."
        )
    ]
    joint = measure_or_none("events.joint_activities", scope)
    if joint is not None:
        tables.append(joint_table(joint, held, scope))
    return Section(
        key="activities",
        title=_("Activities"),
        tables=tables,
        charts=[period_chart(_("Activities held by kind"), by_kind, scope)],
        paragraphs=paragraphs,
    )


def share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def joint_table(joint: Measure, held: Measure, scope: Scope) -> Table:
    now, before = periods(scope)
    previous = scope.previous()
    lines: list[list[Cell]] = []
    held_now, held_before = total(held, scope), total(held, previous)
    joint_now, joint_before = total(joint, scope), total(joint, previous)
    if scope.organisation_id is not None:
        shown = [
            suppress_counts({"n": value}, total=False).counts["n"]  # type: ignore[dict-item]
            for value in (held_now, held_before, joint_now, joint_before)
        ]
        lines = [
            [_("Activities held"), shown[0], shown[1]],
            [_("Joint activities"), shown[2], shown[3]],
        ]
    else:
        lines = [
            [_("Activities held"), held_now, held_before],
            [_("Joint activities"), joint_now, joint_before],
        ]
    lines.append(
        [
            _("Share of joint activities (%)"),
            share(joint_now, held_now),
            share(joint_before, held_before),
        ]
    )
    return Table(
        title=_("Joint activities of local youth and newcomers"),
        columns=[_("Activities"), now, before],
        rows=lines,
        numeric=frozenset({1, 2}),
    )


def partners_section(scope: Scope) -> Section | None:
    """Agreements in force in the period and the partners' contributions in MAD."""
    agreements = measure_or_none("partners.active_agreements", scope)
    money = measure_or_none("partners.contributions_mad", scope)
    if agreements is None and money is None:
        return None
    now, before = periods(scope)
    previous = scope.previous()
    tables: list[Table] = []
    charts: list[Chart] = []
    if agreements is not None:
        tables.append(
            Table(
                title=_("Agreements in force"),
                columns=[_("Agreements"), now, before],
                rows=[
                    [
                        _("Agreements in force"),
                        total(agreements, scope),
                        total(agreements, previous),
                    ]
                ],
                numeric=frozenset({1, 2}),
            )
        )
    if money is not None:
        by_partner = breakdown_table(
            title=_("Contributions of the partners (MAD)"),
            first=_("Partner"),
            measure=money,
            by="partner",
            columns=[
                Column(now, counts(money, scope, "partner")),
                Column(before, counts(money, previous, "partner")),
            ],
            scope=scope,
        )
        tables.append(by_partner)
        charts.append(period_chart(_("Contributions of the partners (MAD)"), by_partner, scope))
    return Section(
        key="partners",
        title=_("Partners: agreements and contributions"),
        tables=tables,
        charts=charts,
        paragraphs=[
            _("Contributions in cash and in kind, in dirhams at the rate recorded with each one.")
        ],
    )


def sections_register() -> None:
    section_register("people", order=30, builder=people_section)
    section_register("requests", order=40, builder=requests_section)
    section_register("activities", order=50, builder=activities_section)
    section_register("partners", order=60, builder=partners_section)
