"""Reads reused by views and reports."""

from django.core.cache import cache
from django.shortcuts import get_object_or_404

from events.models import Event, Registration


def upcoming_events(*, limit: int) -> list[Event]:
    """The next published activities, soonest first."""
    return list(Event.objects.upcoming()[:limit])


# The public page of an activity reads its row from the cache for this long; the seats
# left are counted fresh each time, and a sign-up always checks the locked row.
PUBLIC_EVENT_CACHE_SECONDS = 30


def public_event(slug: str) -> Event:
    """A published, cancelled or past activity by its slug (drafts are not found)."""
    key = f"events:public:{slug}"
    event: Event | None = cache.get(key)
    if event is None:
        event = get_object_or_404(Event.objects.exclude(status=Event.Status.DRAFT), slug=slug)
        cache.set(key, event, PUBLIC_EVENT_CACHE_SECONDS)
    return event


def confirmed_key(event_id: int) -> str:
    return f"events:confirmed:{event_id}"


def seats_left(event: Event) -> int:
    """Seats left for sign-ups. The confirmed count is cached until a service changes
    it (events.services forgets it after each commit that moves seats)."""
    key = confirmed_key(event.pk)
    confirmed: int | None = cache.get(key)
    if confirmed is None:
        confirmed = Registration.objects.filter(
            event_id=event.pk, status=Registration.Status.CONFIRMED, walk_in=False
        ).count()
        cache.set(key, confirmed, 300)
    return max(event.capacity - confirmed, 0)
