"""Business rules of activities and registrations: typed, keyword-only, atomic.

Every function that changes seats locks the activity's row first
(`select_for_update`; on SQLite, whose transactions start IMMEDIATE, the whole
database), so that confirmed sign-ups never exceed capacity, whatever the
concurrency. Messages are written to the outbox (`events.outbox`) in the same
transaction and sent by a task after commit. A refusal staff can act on (a capacity
below the confirmed seats, a cancelled person marked present) is a ValidationError
with a translated message, raised before anything is written.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from belfaa.contacts import same_contact
from events.models import REGISTRANT_FIELDS, SIGNUP_OPEN, Event, Notification, Registration
from events.outbox import notifications_write
from events.selectors import confirmed_key, registration_suggestion
from participants.models import Participant

ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


class SignupNotOpen(Exception):
    """Sign-up is not possible now; `state` says why (see Event.signup_state)."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


@dataclass(frozen=True)
class SignupResult:
    registration: Registration
    # False when this phone or email was already registered: nothing new was written.
    created: bool


def _person_key(phone: str, email: str) -> uuid.UUID:
    """The key of earlier registrations with this phone or email, or a new one."""
    known = (
        Registration.objects.filter(same_contact(phone, email))
        .values_list("person_key", flat=True)
        .first()
    )
    return known or uuid.uuid4()


def _seats_moved(event: Event) -> None:
    """The public page counts seats again once this transaction has committed."""
    key = confirmed_key(event.slug)
    transaction.on_commit(lambda: cache.delete(key))


def _lock(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


def _confirmed_signups(event: Event) -> int:
    # Walk-ins are added at the door once sign-up is over; capacity governs sign-ups.
    return event.registrations.filter(status=Registration.Status.CONFIRMED, walk_in=False).count()


def _promote(event: Event) -> list[Registration]:
    """Give free seats to the first people on the waiting list (event row locked)."""
    free = event.capacity - _confirmed_signups(event)
    if free <= 0:
        return []
    promoted = list(
        event.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
            "queued_at", "pk"
        )[:free]
    )
    now = timezone.now()
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.updated_at = now
    Registration.objects.bulk_update(promoted, ["status", "updated_at"])
    notifications_write(promoted, Notification.Kind.PROMOTED)
    _seats_moved(event)
    return promoted


@transaction.atomic
def registration_create(
    *,
    event_id: int,
    name: str,
    phone: str,
    email: str,
    birth_year: int | None,
    sex: str,
    group: str,
    language: str,
    consent_contact: bool = False,
    consent_photos: bool = False,
) -> SignupResult:
    """Sign a person up: confirmed while seats are left, else on the waiting list.

    The same phone or email signing up again for the same activity creates nothing;
    their details are sent again to the contact on file. A cancelled registration
    signing up again rejoins at the end of the queue."""
    # The person's details, by the one list of them (first, while locals() holds
    # nothing else but the arguments).
    given = locals()
    details = {field: given[field] for field in REGISTRANT_FIELDS}
    event = _lock(event_id)
    state = event.signup_state()
    if state != SIGNUP_OPEN:
        raise SignupNotOpen(state)
    existing = event.registrations.filter(same_contact(phone, email)).first()
    if existing and existing.status in ACTIVE:
        notifications_write([existing], existing.status)
        return SignupResult(existing, created=False)

    status = (
        Registration.Status.CONFIRMED
        if _confirmed_signups(event) < event.capacity
        else Registration.Status.WAITLISTED
    )
    registration = existing or Registration(event=event, person_key=_person_key(phone, email))
    for field, value in details.items():
        setattr(registration, field, value)
    registration.consent_processing = True
    registration.status = status
    registration.queued_at = timezone.now()
    registration.cancelled_at = None
    registration.save()
    notifications_write([registration], status)
    _seats_moved(event)
    return SignupResult(registration, created=True)


@transaction.atomic
def registration_cancel(*, registration_id: int) -> bool:
    """Cancel a registration and give its seat to the waiting list. Idempotent:
    returns False when it was already cancelled."""
    event_id = Registration.objects.values_list("event_id", flat=True).get(pk=registration_id)
    event = _lock(event_id)
    registration = Registration.objects.get(pk=registration_id)
    if registration.status == Registration.Status.CANCELLED:
        return False
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    _promote(event)
    _seats_moved(event)
    return True


@transaction.atomic
def waitlist_promote(*, event_id: int) -> list[Registration]:
    """After staff raised the capacity: promote as many waiting people as now fit."""
    event = _lock(event_id)
    if event.status != Event.Status.PUBLISHED:
        return []
    return _promote(event)


@transaction.atomic
def event_cancel(*, event_id: int) -> int:
    """Cancel an activity and tell everyone registered. Idempotent; returns how many
    people are told (0 when it was already cancelled)."""
    event = _lock(event_id)
    if event.status == Event.Status.CANCELLED:
        return 0
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    registrations = list(event.registrations.filter(status__in=ACTIVE))
    notifications_write(registrations, Notification.Kind.EVENT_CANCELLED)
    return len(registrations)


@transaction.atomic
def event_changed_notify(*, event_id: int) -> int:
    """Tell everyone registered that the time or place of a published activity changed."""
    event = _lock(event_id)
    if event.status != Event.Status.PUBLISHED:
        return 0
    registrations = list(event.registrations.filter(status__in=ACTIVE))
    notifications_write(registrations, Notification.Kind.EVENT_CHANGED)
    return len(registrations)


# A change to any of these (in any language, for the venue) is announced to the people
# registered for a published activity.
ANNOUNCED_FIELDS = ("starts_at", "ends_at", "venue")


@dataclass(frozen=True)
class EventUpdateResult:
    event: Event
    # This change cancelled the activity; `told` people registered are told of it.
    cancelled: bool
    # People told of the cancellation, or of the new time or place.
    told: int
    # People moved from the waiting list to a seat because the capacity rose.
    promoted: list[Registration]


def _capacity_refusal(event: Event, changes: Mapping[str, object]) -> None:
    capacity = changes.get("capacity", event.capacity)
    cancelling = changes.get("status", event.status) == Event.Status.CANCELLED
    if cancelling or not isinstance(capacity, int) or capacity >= event.capacity:
        return
    confirmed = _confirmed_signups(event)
    if capacity < confirmed:
        raise ValidationError(
            {
                "capacity": ValidationError(
                    ngettext_lazy(
                        "%(confirmed)d person already has a confirmed seat: the capacity "
                        "cannot be lower than that. Cancel registrations first.",
                        "%(confirmed)d people already have a confirmed seat: the capacity "
                        "cannot be lower than that. Cancel registrations first.",
                        "confirmed",
                    ),
                    code="below_confirmed",
                    params={"confirmed": confirmed},
                )
            }
        )


@transaction.atomic
def event_update_check(*, event_id: int, changes: Mapping[str, object]) -> None:
    """Refuse (ValidationError on the field) a change `event_update` would refuse: a
    capacity lowered below the seats already confirmed. The row stays locked until the
    caller's transaction ends (the admin's whole request is one), so the check holds
    until the change is saved."""
    _capacity_refusal(_lock(event_id), changes)


@transaction.atomic
def event_update(*, event_id: int, changes: Mapping[str, object]) -> EventUpdateResult:
    """Apply staff's changes (field name to cleaned value; not many-to-many fields) to
    an activity, and do what they mean for the people registered: a cancellation tells
    everyone; a higher capacity promotes the waiting list; a new time or place of a
    published activity is announced. A capacity below the confirmed seats is refused
    (ValidationError) and nothing is saved."""
    event = _lock(event_id)
    _capacity_refusal(event, changes)
    changed = {name for name, value in changes.items() if getattr(event, name) != value}
    old_capacity = event.capacity
    cancelling = (
        "status" in changed
        and changes["status"] == Event.Status.CANCELLED
        and event.status != Event.Status.CANCELLED
    )
    for name in changed:
        # A cancellation is saved last, through the rule that tells everyone.
        if not (cancelling and name == "status"):
            setattr(event, name, changes[name])
    event.save()
    if cancelling:
        told = event_cancel(event_id=event.pk)
        event.refresh_from_db()
        return EventUpdateResult(event, cancelled=True, told=told, promoted=[])
    promoted: list[Registration] = []
    if event.capacity > old_capacity:
        promoted = waitlist_promote(event_id=event.pk)
    told = 0
    if any(name.startswith(ANNOUNCED_FIELDS) for name in changed):
        told = event_changed_notify(event_id=event.pk)
    return EventUpdateResult(event, cancelled=False, told=told, promoted=promoted)


@transaction.atomic
def event_duplicate(*, event_id: int) -> Event:
    """A draft copy of an activity (texts, place, capacity, partners), one week later."""
    original = Event.objects.get(pk=event_id)
    partners = list(original.partners.all())
    copy = Event.objects.get(pk=event_id)
    copy.pk = None
    copy.status = Event.Status.DRAFT
    copy.starts_at = original.starts_at + timedelta(days=7)
    copy.ends_at = original.ends_at + timedelta(days=7)
    copy.signup_opens_at = None
    copy.signup_closes_at = None
    base = slugify(f"{original.slug}-copy")[:70]
    copy.slug = base
    number = 2
    while Event.objects.filter(slug=copy.slug).exists():
        copy.slug = f"{base}-{number}"
        number += 1
    copy.save()
    copy.partners.set(partners)
    return copy


@dataclass(frozen=True)
class AttendanceResult:
    registration: Registration
    # True when the person came from the waiting list and was seated at the door.
    admitted: bool


@transaction.atomic
def attendance_mark(
    *, registration_id: int, present: bool, admit_waitlisted: bool = False
) -> AttendanceResult:
    """Mark a person present (or undo it) at the door. Only a confirmed seat can be
    marked present; with `admit_waitlisted` (the door page), someone on the waiting
    list who came anyway is seated from it (`waitlist_admit`). Anyone else (a
    cancelled registration) is refused with a ValidationError, and nothing changes."""
    event_id = Registration.objects.values_list("event_id", flat=True).get(pk=registration_id)
    _lock(event_id)
    registration = Registration.objects.get(pk=registration_id)
    waiting = registration.status == Registration.Status.WAITLISTED
    if present and waiting and admit_waitlisted:
        return AttendanceResult(waitlist_admit(registration_id=registration_id), admitted=True)
    if present and registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(
            _("%(name)s has no confirmed seat: they cannot be marked present."),
            code="no_seat",
            params={"name": registration},
        )
    registration.attended_at = (registration.attended_at or timezone.now()) if present else None
    registration.save(update_fields=["attended_at", "updated_at"])
    return AttendanceResult(registration, admitted=False)


@transaction.atomic
def waitlist_admit(*, registration_id: int) -> Registration:
    """Someone on the waiting list came anyway: seated at the door and marked present.
    Like a walk-in, a door seat leaves the sign-up seats and the queue order alone."""
    event_id = Registration.objects.values_list("event_id", flat=True).get(pk=registration_id)
    _lock(event_id)
    registration = Registration.objects.get(pk=registration_id)
    if registration.status != Registration.Status.WAITLISTED:
        raise ValidationError(
            _("%(name)s is not on the waiting list."),
            code="not_waiting",
            params={"name": registration},
        )
    registration.status = Registration.Status.CONFIRMED
    registration.walk_in = True
    registration.attended_at = timezone.now()
    registration.save(update_fields=["status", "walk_in", "attended_at", "updated_at"])
    return registration


@transaction.atomic
def walk_in_add(
    *,
    event_id: int,
    name: str,
    sex: str,
    group: str,
    birth_year: int | None,
    language: str,
    phone: str = "",
    email: str = "",
) -> Registration:
    """Record a person who came without signing up, as present."""
    event = _lock(event_id)
    now = timezone.now()
    return Registration.objects.create(
        event=event,
        person_key=_person_key(phone, email),
        name=name,
        phone=phone,
        email=email,
        birth_year=birth_year,
        sex=sex,
        group=group,
        language=language,
        consent_processing=True,
        status=Registration.Status.CONFIRMED,
        walk_in=True,
        attended_at=now,
        queued_at=now,
    )


def registrations_anonymise(*, ended_before: datetime) -> int:
    """Wipe names and contacts of public registrations of activities that ended before
    the given time; group, sex and birth year stay so every count is unchanged."""
    # Registrations linked to a registry record follow that record's own rules.
    return Registration.objects.filter(
        event__ends_at__lt=ended_before, anonymised_at__isnull=True, participant__isnull=True
    ).update(name="", phone="", email="", anonymised_at=timezone.now())


def reminders_due(*, within: timedelta) -> list[int]:
    """Write one reminder to the outbox for each confirmed person of an activity that
    starts within `within`; each registration gets at most one, ever."""
    now = timezone.now()
    created: list[int] = []
    candidates = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + within,
    ).values_list("pk", flat=True)
    for registration_id in candidates:
        with transaction.atomic():
            # The conditional update is the guard: two beats cannot both claim a row.
            claimed = Registration.objects.filter(
                pk=registration_id, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed:
                notifications_write([Registration(pk=registration_id)], Notification.Kind.REMINDER)
                created.append(registration_id)
    return created


@transaction.atomic
def registration_link(*, registration_id: int) -> Participant | None:
    """Staff confirm the suggestion: the registration now counts for that person, and
    shares the person key of the record's other registrations."""
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    participant = registration_suggestion(registration)
    if participant is None:
        return None
    registration.participant = participant
    known = (
        Registration.objects.filter(participant=participant)
        .exclude(pk=registration.pk)
        .values_list("person_key", flat=True)
        .first()
    )
    registration.person_key = known or registration.person_key
    registration.save(update_fields=["participant", "person_key", "updated_at"])
    return participant
