"""The plan's part of the admin index: manual results waiting for a second person's
approval, programmes not yet evaluated for last year, and this year's indicators
against their targets as small bars."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belfaa.dashboard import Panel, panel_register
from programs.indicators import indicator_actuals
from programs.models import Indicator, ManualResult, PlanPeriod, Programme, evaluation_missing

WAITING_SHOWN = 5
INDICATORS_SHOWN = 12


def results_waiting(request: HttpRequest) -> dict[str, Any] | None:
    waiting = ManualResult.objects.filter(approved_by__isnull=True)
    first = list(
        waiting.select_related("indicator", "entered_by").order_by("year", "pk")[:WAITING_SHOWN]
    )
    if not first:
        return None
    return {"count": waiting.count(), "results": first}


def evaluations_due(request: HttpRequest) -> dict[str, Any] | None:
    year = timezone.localdate().year - 1
    due = Programme.objects.filter(evaluation_missing(year))
    first = list(due.order_by("code", "pk")[:WAITING_SHOWN])
    if not first:
        return None
    return {"count": due.count(), "year": year, "programmes": first}


def indicators_now(request: HttpRequest) -> dict[str, Any] | None:
    year = timezone.localdate().year
    plan = PlanPeriod.objects.filter(is_current=True, start_year__lte=year, end_year__gte=year)
    indicators = list(
        Indicator.objects.filter(programme__period__in=plan)
        .select_related("programme__period")
        .order_by("programme", "order", "pk")[:INDICATORS_SHOWN]
    )
    if not indicators:
        return None
    actuals = indicator_actuals(indicators, years=year, breakdowns=False)
    rows = []
    for indicator in indicators:
        actual = actuals[indicator.pk]
        percent = actual.percent_of_target
        rows.append(
            {
                "indicator": indicator,
                "actual": actual,
                "bar": min(100, round(percent)) if percent is not None else 0,
            }
        )
    period = indicators[0].programme.period
    return {
        "year": year,
        "plan": period.title,
        "years": f"{period.start_year}-{period.end_year}",
        "rows": rows,
    }


panel_register(
    Panel(
        key="results_waiting",
        title=_("Manual results waiting for approval"),
        order=50,
        permission="programs.view_manualresult",
        template="admin/dashboard/results_waiting.html",
        context=results_waiting,
    )
)
panel_register(
    Panel(
        key="evaluations_due",
        title=_("Yearly evaluations to record"),
        order=60,
        permission="programs.view_programme",
        template="admin/dashboard/evaluations_due.html",
        context=evaluations_due,
    )
)
panel_register(
    Panel(
        key="indicators",
        title=_("This year's indicators against their targets"),
        order=70,
        permission="programs.view_indicator",
        template="admin/dashboard/indicators.html",
        context=indicators_now,
    )
)
