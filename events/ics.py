"""The activity as an iCalendar file, for "add to calendar" and e-mail attachments."""

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.links import absolute
from events.models import Event


def event_ics(event: Event, *, url_path: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Belfaa//Activities//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.pk}@belfaa")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.title)
    entry.add("location", event.venue)
    entry.add("description", event.summary)
    entry.add("url", absolute(url_path))
    if event.status == Event.Status.CANCELLED:
        entry.add("status", "CANCELLED")
    calendar.add_component(entry)
    return calendar.to_ical()
