"""The registry's part of the admin index: support requests waiting, by how long, and
the records about to be anonymised at the end of their retention period."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belfaa.dashboard import Panel, panel_register
from participants.models import Participant, SupportRequest

OPEN = (
    SupportRequest.Status.OPEN,
    SupportRequest.Status.REFERRED,
    SupportRequest.Status.IN_PROGRESS,
)
RETENTION_SHOWN = 5


def open_requests(request: HttpRequest) -> dict[str, Any] | None:
    today = timezone.localdate()
    week, month = today - timedelta(days=7), today - timedelta(days=30)
    rows = (
        SupportRequest.objects.filter(status__in=OPEN)
        .values("status")
        .annotate(
            recent=Count("pk", filter=Q(opened_on__gt=week)),
            weeks=Count("pk", filter=Q(opened_on__lte=week, opened_on__gt=month)),
            older=Count("pk", filter=Q(opened_on__lte=month)),
            total=Count("pk"),
        )
    )
    by_status = {row["status"]: row for row in rows}
    if not by_status:
        return None
    labels = dict(SupportRequest.Status.choices)
    return {
        "rows": [
            {"status": status, "label": labels[status], **by_status[status]}
            for status in OPEN
            if status in by_status
        ]
    }


def retention(request: HttpRequest) -> dict[str, Any] | None:
    warned = Participant.objects.active().filter(retention_warned_at__isnull=False)
    notice = timedelta(days=settings.PARTICIPANTS_RETENTION_NOTICE_DAYS)
    first = list(
        warned.order_by("retention_warned_at").only("pk", "reference", "retention_warned_at")[
            :RETENTION_SHOWN
        ]
    )
    if not first:
        return None
    return {
        "count": warned.count(),
        "records": [
            (record, record.retention_warned_at + notice)
            for record in first
            if record.retention_warned_at
        ],
    }


panel_register(
    Panel(
        key="support_requests",
        title=_("Open support requests, by how long they have waited"),
        order=20,
        permission="participants.view_supportrequest",
        template="admin/dashboard/support_requests.html",
        context=open_requests,
    )
)
panel_register(
    Panel(
        key="retention",
        title=_("Records to be anonymised at the end of their retention period"),
        order=60,
        permission="participants.view_participant",
        template="admin/dashboard/retention.html",
        context=retention,
    )
)


def referrals_waiting(request: HttpRequest) -> dict[str, Any] | None:
    rows = list(
        SupportRequest.objects.filter(
            status=SupportRequest.Status.REFERRED, partner_outcome="", referred_to__isnull=False
        )
        .values("referred_to", "referred_to__name")
        .annotate(count=Count("pk"), since=Min("opened_on"))
        .order_by("since")
    )
    return {"rows": rows} if rows else None


panel_register(
    Panel(
        key="referrals_waiting",
        title=_("Referrals waiting for a partner's outcome"),
        order=25,
        permission="participants.view_supportrequest",
        template="admin/dashboard/referrals_waiting.html",
        context=referrals_waiting,
    )
)
