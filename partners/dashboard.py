"""The partners' part of the admin index: agreements ending soon, and the progress
reports that are due, overdue or waiting for the commune's review."""

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belfaa.dashboard import Panel, panel_register
from partners.models import Agreement, ProgressReport

ENDING_WITHIN_DAYS = 90
ENDING_SHOWN = 8


def ending(request: HttpRequest) -> dict[str, Any] | None:
    today = timezone.localdate()
    agreements = list(
        Agreement.objects.filter(
            status__in=(Agreement.Status.SIGNED, Agreement.Status.ACTIVE),
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=ENDING_WITHIN_DAYS),
        )
        .order_by("ends_on")
        .only("pk", "reference", "title", "ends_on")[:ENDING_SHOWN]
    )
    if not agreements:
        return None
    return {"agreements": [(agreement, agreement.days_to_end(today)) for agreement in agreements]}


def reports(request: HttpRequest) -> dict[str, Any] | None:
    today = timezone.localdate()
    waiting = Q(status__in=ProgressReport.WITH_PARTNER, period_end__lt=today)
    counts = ProgressReport.objects.aggregate(
        due=Count("pk", filter=waiting & Q(due_on__gte=today)),
        overdue=Count("pk", filter=waiting & Q(due_on__lt=today)),
        review=Count("pk", filter=Q(status__in=ProgressReport.TO_REVIEW)),
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
