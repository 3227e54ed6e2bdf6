"""The models of the action plan, one module per part (plan, indicators, report files)."""

from programs.models.indicators import Indicator, IndicatorTarget, ManualResult
from programs.models.plan import (
    Axis,
    BudgetLine,
    Commune,
    Evaluation,
    PlanPeriod,
    Programme,
    Progress,
    Project,
    SNIAProgramme,
    Status,
    evaluation_missing,
)
from programs.models.reports import ReportFile

__all__ = [
    "Axis",
    "BudgetLine",
    "Commune",
    "Evaluation",
    "Indicator",
    "IndicatorTarget",
    "ManualResult",
    "PlanPeriod",
    "Programme",
    "Progress",
    "Project",
    "ReportFile",
    "SNIAProgramme",
    "Status",
    "evaluation_missing",
]
