"""The models of the action plan, one module per part (plan, indicators)."""

from programs.models.indicators import Indicator, IndicatorTarget, ManualResult
from programs.models.plan import (
    Axis,
    BudgetLine,
    Commune,
    PlanPeriod,
    Programme,
    Progress,
    Project,
    SNIAProgramme,
    Status,
)

__all__ = [
    "Axis",
    "BudgetLine",
    "Commune",
    "Indicator",
    "IndicatorTarget",
    "ManualResult",
    "PlanPeriod",
    "Programme",
    "Progress",
    "Project",
    "SNIAProgramme",
    "Status",
]
