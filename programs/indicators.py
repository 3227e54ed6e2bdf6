"""The actual values of the plan's indicators, for a year or a range of years.

A measure-backed indicator asks its measure of the registry (one SQL aggregate for the
total and one per breakdown: the number of queries depends on the indicators, never on
the number of records). A manual indicator reads its approved results (one query for
all of them); a result waiting for approval does not count.

Over several years (the plan so far), a measure counts over the whole range (a person
who came every year is one person); results entered by hand and yearly targets add up
over the years, but a percentage takes the last year's."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from programs.measures import Number, measure_get
from programs.models import Indicator, IndicatorTarget, ManualResult

type Years = int | tuple[int, int]
PEOPLE_ALWAYS = ("sex",)  # the gender approach: women and men on every people figure


@dataclass(frozen=True)
class Actual:
    indicator: Indicator
    start_year: int
    end_year: int
    value: Number | None
    target: Decimal | None
    breakdowns: dict[str, dict[str, Number]] = field(default_factory=dict)

    @property
    def percent_of_target(self) -> Decimal | None:
        if self.value is None or not self.target:
            return None
        return (Decimal(self.value) * 100 / self.target).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def on_track(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        if self.indicator.higher_is_better:
            return Decimal(self.value) >= self.target
        return Decimal(self.value) <= self.target


def _range(years: Years) -> tuple[int, int]:
    if isinstance(years, int):
        return years, years
    start, end = years
    if start > end:
        raise ValueError("the range of years ends before it starts")
    return start, end


def indicator_breakdowns(indicator: Indicator) -> list[str]:
    """What an indicator is broken down by in the report: its disaggregations, and sex
    on every figure of people that can be split so."""
    wanted = list(indicator.disaggregations)
    if indicator.unit == Indicator.Unit.PEOPLE:
        wanted += [name for name in PEOPLE_ALWAYS if name not in wanted]
    if indicator.is_manual:
        return wanted
    supported = measure_get(indicator.measure_code).breakdowns
    return [name for name in wanted if name in supported]


def _targets(ids: list[int], start: int, end: int) -> dict[int, dict[int, Decimal]]:
    found: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = IndicatorTarget.objects.filter(indicator_id__in=ids, year__range=(start, end))
    for pk, year, value in rows.values_list("indicator_id", "year", "value"):
        found[pk][year] = value
    return found


def _over_years(indicator: Indicator, by_year: dict[int, Decimal], end: int) -> Decimal | None:
    if not by_year:
        return None
    if indicator.unit == Indicator.Unit.PERCENT:
        return by_year.get(end, by_year[max(by_year)])
    return sum(by_year.values(), Decimal(0))


def _manual(
    indicators: list[Indicator], start: int, end: int
) -> dict[int, tuple[Decimal | None, dict[str, dict[str, Number]]]]:
    rows = ManualResult.objects.filter(
        indicator__in=indicators, year__range=(start, end), approved_by__isnull=False
    ).order_by("year")
    values: dict[int, dict[int, Decimal]] = defaultdict(dict)
    parts: dict[int, dict[str, dict[str, Number]]] = defaultdict(dict)
    kinds = {indicator.pk: indicator for indicator in indicators}
    for pk, year, value, breakdown in rows.values_list(
        "indicator_id", "year", "value", "breakdown"
    ):
        values[pk][year] = value
        percent = kinds[pk].unit == Indicator.Unit.PERCENT
        for name, split in (breakdown or {}).items():
            into = parts[pk].setdefault(name, {})
            for key, number in split.items():
                amount = Decimal(str(number))
                into[key] = amount if percent else Decimal(into.get(key, 0)) + amount
    return {
        indicator.pk: (_over_years(indicator, values[indicator.pk], end), parts[indicator.pk])
        for indicator in indicators
    }


def _measured(
    indicator: Indicator, start: int, end: int, split_up: bool
) -> tuple[Number, dict[str, dict[str, Number]]]:
    measure = measure_get(indicator.measure_code)
    first, last = date(start, 1, 1), date(end, 12, 31)
    params = dict(indicator.measure_params)
    total = measure.value(start=first, end=last, **params)
    breakdowns: dict[str, dict[str, Number]] = {}
    for name in indicator_breakdowns(indicator) if split_up else []:
        split = measure.value(start=first, end=last, by=name, **params)
        assert isinstance(split, dict)
        breakdowns[name] = {str(key): number for key, number in split.items()}
    assert not isinstance(total, dict)
    return total or 0, breakdowns


def indicator_actuals(
    indicators: Iterable[Indicator], *, years: Years, breakdowns: bool = True
) -> dict[int, Actual]:
    """Each indicator's actual, target and breakdowns for `years` (one year, or an
    inclusive range such as the plan so far), by indicator id. With breakdowns=False,
    measured indicators are not broken down (their queries are the costly ones), for a
    page that shows only the totals."""
    start, end = _range(years)
    listed = list(indicators)
    targets = _targets([indicator.pk for indicator in listed], start, end)
    manual = _manual([indicator for indicator in listed if indicator.is_manual], start, end)
    actuals: dict[int, Actual] = {}
    for indicator in listed:
        value: Number | None
        if indicator.is_manual:
            value, parts = manual[indicator.pk]
        else:
            value, parts = _measured(indicator, start, end, breakdowns)
        actuals[indicator.pk] = Actual(
            indicator=indicator,
            start_year=start,
            end_year=end,
            value=value,
            target=_over_years(indicator, targets.get(indicator.pk, {}), end),
            breakdowns=parts,
        )
    return actuals


def actuals_of_plan(
    indicators: Sequence[Indicator], *, year: int, plan_start: int, cumulative: bool
) -> dict[int, Actual]:
    """The actuals the report shows for `year`: that year alone, or the plan so far."""
    return indicator_actuals(indicators, years=(plan_start, year) if cumulative else year)
