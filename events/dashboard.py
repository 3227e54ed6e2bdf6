"""The activities' part of the admin index: what is coming, and how full it is. Seats
taken are confirmed sign-ups (walk-ins come at the door, outside the capacity), as the
activities list counts them."""

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from belfaa.dashboard import Panel, panel_register
from events.models import Event, Registration

UPCOMING_SHOWN = 8


def upcoming(request: HttpRequest) -> dict[str, Any] | None:
    coming = Event.objects.upcoming()
    events = list(
        coming.annotate(
            taken=Count(
                "registrations",
                filter=Q(
                    registrations__status=Registration.Status.CONFIRMED,
                    registrations__walk_in=False,
                ),
            ),
            waiting=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
            ),
        ).only("pk", "title", "starts_at", "capacity")[:UPCOMING_SHOWN]
    )
    if not events:
        return None
    return {
        "count": coming.count(),
        "events": events,
        # The sign-ups behind each figure, for those who may read them.
        "registrations": request.user.has_perm("events.view_registration"),
    }


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
