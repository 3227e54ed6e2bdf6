"""The activities' part of the admin index: what is coming, and how full it is."""

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from belfaa.dashboard import Panel, panel_register
from events.models import Event, Registration

UPCOMING_SHOWN = 8


def upcoming(request: HttpRequest) -> dict[str, Any] | None:
    events = list(
        Event.objects.upcoming()
        .annotate(
            taken=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
            ),
            waiting=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
            ),
        )
        .only("pk", "title", "starts_at", "capacity")[:UPCOMING_SHOWN]
    )
    return {"events": events} if events else None


panel_register(
    Panel(
        key="upcoming",
        title=_("Upcoming activities"),
        order=10,
        permission="events.view_event",
        template="admin/dashboard/upcoming.html",
        context=upcoming,
    )
)
