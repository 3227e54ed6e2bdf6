"""Reads reused by views and reports."""

from events.models import Event


def upcoming_events(*, limit: int) -> list[Event]:
    """The next published activities, soonest first."""
    return list(Event.objects.upcoming()[:limit])
