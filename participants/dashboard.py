"""The registry's part of the admin index: support requests waiting, by how long, the
referrals waiting for a partner's outcome, and the records about to be anonymised at the
end of their retention period. The counts use the conditions the admin lists filter on
(participants.selectors), so each link opens what it counted."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belfaa.dashboard import Panel, panel_register
from participants.models import Participant, SupportRequest
from participants.selectors import (
    OPEN_REQUEST_STATUSES,
    referral_waiting,
    request_ages,
    retention_noticed,
)

RETENTION_SHOWN = 5


def open_requests(request: HttpRequest) -> dict[str, Any] | None:
    ages = request_ages(timezone.localdate())
    rows = (
        SupportRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES)
        .values("status")
        .annotate(
            **{age: Count("pk", filter=condition) for age, condition in ages.items()},
            total=Count("pk"),
        )
    )
    by_status: dict[str, dict[str, Any]] = {row["status"]: dict(row) for row in rows}
    if not by_status:
        return None
    labels = dict(SupportRequest.Status.choices)
    return {
        "rows": [
            {
                "status": status,
                "label": labels[status],
                "cells": [(age, by_status[status][age]) for age in ages],
                "total": by_status[status]["total"],
            }
            for status in OPEN_REQUEST_STATUSES
            if status in by_status
        ],
    }


def retention(request: HttpRequest) -> dict[str, Any] | None:
    noticed = Participant.objects.filter(retention_noticed())
    notice = timedelta(days=settings.PARTICIPANTS_RETENTION_NOTICE_DAYS)
    first = list(
        noticed.order_by("retention_warned_at", "pk").only(
            "pk", "reference", "retention_warned_at"
        )[:RETENTION_SHOWN]
    )
    if not first:
        return None
    return {
        "count": noticed.count(),
        "records": [
            (record, record.retention_warned_at + notice)
            for record in first
            if record.retention_warned_at
        ],
    }


def referrals_waiting(request: HttpRequest) -> dict[str, Any] | None:
    rows = list(
        SupportRequest.objects.filter(referral_waiting())
        .values("referred_to", "referred_to__name")
        .annotate(count=Count("pk"), since=Min("opened_on"))
        .order_by("since", "referred_to__name")
    )
    return {"rows": rows} if rows else None


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
        key="referrals_waiting",
        title=_("Referrals waiting for a partner's outcome"),
        order=25,
        permission="participants.view_supportrequest",
        template="admin/dashboard/referrals_waiting.html",
        context=referrals_waiting,
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
