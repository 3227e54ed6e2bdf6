"""The partners' part of the admin index: agreements ending soon, and the progress
reports that are due, overdue or waiting for the commune's review. The counts use the
conditions the admin lists filter on (partners.admin), so each link opens what it counted."""

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belfaa.dashboard import Panel, panel_register
from partners.models import ENDING_SOON_DAYS, Agreement, ProgressReport, report_stages

ENDING_SHOWN = 8


def ending(request: HttpRequest) -> dict[str, Any] | None:
    today = timezone.localdate()
    within = Agreement.objects.ending_within(today, ENDING_SOON_DAYS)
    agreements = list(
        within.order_by("ends_on", "pk").only("pk", "reference", "title", "ends_on")[:ENDING_SHOWN]
    )
    if not agreements:
        return None
    return {
        "count": within.count(),
        "agreements": [(agreement, agreement.days_to_end(today)) for agreement in agreements],
    }


def reports(request: HttpRequest) -> dict[str, Any] | None:
    stages = report_stages(timezone.localdate())
    counts = ProgressReport.objects.aggregate(
        **{stage: Count("pk", filter=condition) for stage, condition in stages.items()}
    )
    return counts if any(counts.values()) else None


panel_register(
    Panel(
        key="agreements_ending",
        title=_("Agreements ending within 90 days"),
        order=30,
        permission="partners.view_agreement",
        template="admin/dashboard/agreements_ending.html",
        context=ending,
    )
)
panel_register(
    Panel(
        key="progress_reports",
        title=_("Progress reports"),
        order=40,
        permission="partners.view_progressreport",
        template="admin/dashboard/progress_reports.html",
        context=reports,
    )
)
