"""Business rules of activities and registrations (docs/architecture.md).

Every function that changes seats locks the activity's row first
(`select_for_update`; on SQLite, whose transactions start IMMEDIATE, the whole
database), so that confirmed sign-ups never exceed capacity, whatever the
concurrency. Messages are written to the outbox (`Notification`) in the same
transaction and sent by a task after commit.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from events.models import SIGNUP_OPEN, Event, Notification, Registration
from events.selectors import confirmed_key
from participants.models import Participant

logger = logging.getLogger(__name__)

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


def notification_enqueue(*, notification_id: int) -> bool:
    """Queue the task that sends one outbox message. When the broker does not answer,
    log it and return False: the message stays pending and the outbox sweep queues it
    again, so what was stored (a sign-up, a cancellation) is never undone by a 500."""
    from events.tasks import notification_send

    try:
        notification_send.delay(notification_id)
    except Exception as error:  # kombu's OperationalError, or the send itself when eager
        logger.warning(
            "Message %s was not queued (%s: %s); it stays pending for the outbox sweep.",
            notification_id,
            type(error).__name__,
            error,
        )
        return False
    return True


def _notify(registrations: list[Registration], kind: str) -> None:
    notifications = Notification.objects.bulk_create(
        [Notification(registration=registration, kind=kind) for registration in registrations]
    )
    for notification in notifications:
        transaction.on_commit(partial(notification_enqueue, notification_id=notification.pk))


def notifications_due(*, written_before: datetime, given_up_before: datetime) -> list[int]:
    """Pending messages written before `written_before`, oldest first, for the sweep to
    queue again. Those written before `given_up_before` are marked failed instead: a
    message about an activity days ago is no use. Rows a send holds locked right now
    are left out (skip_locked): that send decides them."""
    pending = Notification.objects.filter(status=Notification.Status.PENDING)
    pending.filter(created_at__lt=given_up_before).update(status=Notification.Status.FAILED)
    with transaction.atomic():
        return list(
            pending.select_for_update(skip_locked=True)
            .filter(created_at__lt=written_before, created_at__gte=given_up_before)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)
        )


def _same_contact(phone: str, email: str) -> Q:
    same = Q(pk__in=[])
    if phone:
        same |= Q(phone=phone)
    if email:
        same |= Q(email=email)
    return same


def _person_key(phone: str, email: str) -> uuid.UUID:
    """The key of earlier registrations with this phone or email, or a new one."""
    known = (
        Registration.objects.filter(_same_contact(phone, email))
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
    _notify(promoted, Notification.Kind.PROMOTED)
    _seats_moved(event)
    return promoted


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
    event = _lock(event_id)
    state = event.signup_state()
    if state != SIGNUP_OPEN:
        raise SignupNotOpen(state)
    existing = event.registrations.filter(_same_contact(phone, email)).first()
    if existing and existing.status in ACTIVE:
        _notify([existing], existing.status)
        return SignupResult(existing, created=False)

    status = (
        Registration.Status.CONFIRMED
        if _confirmed_signups(event) < event.capacity
        else Registration.Status.WAITLISTED
    )
    registration = existing or Registration(event=event, person_key=_person_key(phone, email))
    registration.name = name
    registration.phone = phone
    registration.email = email
    registration.birth_year = birth_year
    registration.sex = sex
    registration.group = group
    registration.language = language
    registration.consent_processing = True
    registration.consent_contact = consent_contact
    registration.consent_photos = consent_photos
    registration.status = status
    registration.queued_at = timezone.now()
    registration.cancelled_at = None
    registration.save()
    _notify([registration], status)
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
    _notify(registrations, Notification.Kind.EVENT_CANCELLED)
    return len(registrations)


@transaction.atomic
def event_changed_notify(*, event_id: int) -> int:
    """Tell everyone registered that the time or place of a published activity changed."""
    event = _lock(event_id)
    if event.status != Event.Status.PUBLISHED:
        return 0
    registrations = list(event.registrations.filter(status__in=ACTIVE))
    _notify(registrations, Notification.Kind.EVENT_CHANGED)
    return len(registrations)


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


@transaction.atomic
def attendance_mark(*, registration_id: int, present: bool) -> Registration:
    """Mark a person present (or undo it) at the door."""
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    registration.attended_at = (registration.attended_at or timezone.now()) if present else None
    registration.save(update_fields=["attended_at", "updated_at"])
    return registration


@transaction.atomic
def waitlist_admit(*, registration_id: int) -> Registration:
    """Someone on the waiting list came anyway: seated at the door and marked present.
    Like a walk-in, a door seat leaves the sign-up seats and the queue order alone."""
    event_id = Registration.objects.values_list("event_id", flat=True).get(pk=registration_id)
    _lock(event_id)
    registration = Registration.objects.get(pk=registration_id)
    if registration.status != Registration.Status.WAITLISTED:
        raise ValueError("only someone on the waiting list can be seated from it")
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
                _notify([Registration(pk=registration_id)], Notification.Kind.REMINDER)
                created.append(registration_id)
    return created


def registration_suggestion(registration: Registration) -> Participant | None:
    """The registry record that shares this registration's phone or email, if one does."""
    if registration.participant_id or not (registration.phone or registration.email):
        return None
    same = Q(pk__in=[])
    if registration.phone:
        same |= Q(phone=registration.phone)
    if registration.email:
        same |= Q(email__iexact=registration.email)
    return Participant.objects.active().filter(same).order_by("pk").first()


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
