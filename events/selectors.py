"""Reads reused by views and reports."""

from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404

from belfaa.contacts import same_contact
from events.models import Event, Registration
from participants.models import Participant
from programs.measures import AGE_BANDS, UNKNOWN, age_band


def upcoming_events(*, limit: int | None = None, kind: str = "") -> list[Event]:
    """The next published activities (of one kind if given), soonest first."""
    events = Event.objects.upcoming()
    if kind:
        events = events.filter(kind=kind)
    return list(events[:limit] if limit is not None else events)


# An activity's public page reads its row and its confirmed count from the shared
# cache for at most this long, so the seats it shows are never staler than this in
# any worker, whatever changed them (the services also forget the count as soon as
# a sign-up, cancellation or promotion commits); a sign-up always checks the locked row.
PUBLIC_EVENT_CACHE_SECONDS = 5


def event_key(slug: str) -> str:
    return f"events:public:{slug}"


def confirmed_key(slug: str) -> str:
    return f"events:confirmed:{slug}"


def _published_or_past(slug: str) -> Event:
    return get_object_or_404(Event.objects.exclude(status=Event.Status.DRAFT), slug=slug)


def public_event(slug: str) -> Event:
    """A published, cancelled or past activity by its slug (drafts are not found)."""
    key = event_key(slug)
    event: Event | None = cache.get(key)
    if event is None:
        event = _published_or_past(slug)
        cache.set(key, event, PUBLIC_EVENT_CACHE_SECONDS)
    return event


def confirmed_signups(event: Event) -> int:
    # Walk-ins are added at the door once sign-up is over; capacity governs sign-ups.
    return Registration.objects.filter(
        event_id=event.pk, status=Registration.Status.CONFIRMED, walk_in=False
    ).count()


def public_event_page(slug: str, *keys: str) -> tuple[Event, int, dict[str, Any]]:
    """The activity (as public_event), the seats left, and whatever the cache holds
    under `keys` (the page's rendered parts), in one round trip to the cache."""
    found = cache.get_many([event_key(slug), confirmed_key(slug), *keys])
    event: Event | None = found.get(event_key(slug))
    missing: dict[str, Any] = {}
    if event is None:
        event = _published_or_past(slug)
        missing[event_key(slug)] = event
    confirmed: int | None = found.get(confirmed_key(slug))
    if confirmed is None:
        confirmed = confirmed_signups(event)
        missing[confirmed_key(slug)] = confirmed
    if missing:
        cache.set_many(missing, PUBLIC_EVENT_CACHE_SECONDS)
    return event, max(event.capacity - confirmed, 0), found


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person on the waiting list; None when not on it."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = registration.event.registrations.filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, pk__lt=registration.pk),
        status=Registration.Status.WAITLISTED,
    ).count()
    return ahead + 1


def registration_suggestion(registration: Registration) -> Participant | None:
    """The registry record that shares this registration's phone or email, if one does."""
    if registration.participant_id or not (registration.phone or registration.email):
        return None
    same = same_contact(registration.phone, registration.email, any_case=True)
    return Participant.objects.active().filter(same).order_by("pk").first()


def co_organised_events(organisation_id: int) -> list[Event]:
    """The activities an organisation co-organises, newest first (no personal data)."""
    return list(
        Event.objects.filter(partners=organisation_id)
        .only("pk", "title", "kind", "starts_at", "ends_at", "status")
        .order_by("-starts_at", "pk")
    )


def co_organised_attendance(organisation_id: int) -> dict[str, dict[int, dict[str, int]]]:
    """Distinct people who attended each activity the organisation co-organises, by
    group, by sex and by age band (age reached in the activity's year, as the
    `events.attendees` measure counts it): `{"group": {event_id: {value: count}}, ...}`.
    Three grouped SQL queries, whatever the number of activities."""
    attended = Registration.objects.filter(
        event__partners=organisation_id, attended_at__isnull=False
    )
    attended = attended.annotate(age=ExtractYear("event__starts_at") - F("birth_year")).annotate(
        age_band=age_band(known=Q(birth_year__isnull=False))
    )
    tables: dict[str, dict[int, dict[str, int]]] = {}
    for dimension in ("group", "sex", "age_band"):
        table: dict[int, dict[str, int]] = {}
        rows = (
            attended.values("event_id", dimension)
            .annotate(n=Count("person_key", distinct=True))
            .order_by()
        )
        for row in rows:
            table.setdefault(row["event_id"], {})[row[dimension]] = row["n"]
        tables[dimension] = table
    return tables


def attendance_categories() -> dict[str, list[tuple[str, str]]]:
    """The columns of each breakdown, in a fixed order: (value, label)."""
    return {
        "group": [(str(value), str(label)) for value, label in Registration.Group.choices],
        "sex": [
            (str(value), str(label))
            for value, label in Registration._meta.get_field("sex").choices or []
        ],
        "age_band": [(code, code) for code, _low, _high in AGE_BANDS] + [(UNKNOWN, "?")],
    }
