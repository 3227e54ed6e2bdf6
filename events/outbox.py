"""The outbox: a message to a registered person is a `Notification` row written in the
same transaction as the change it tells of, queued after commit, and rendered and sent
by a task that takes its id.

The send task is found by name in Celery's registry (filled by `EventsConfig.ready`,
which imports `events.tasks`), so that the outbox does not import the tasks that call
it, and the import graph stays without a cycle."""

import logging
from datetime import datetime
from functools import partial

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from belfaa.celery import app as celery_app
from events.ics import event_ics
from events.links import absolute, cancel_url, registration_url
from events.models import Notification, Registration
from events.notify import Message, channel_for
from events.selectors import waitlist_position

logger = logging.getLogger(__name__)

SEND_TASK = "events.tasks.notification_send"
SUBJECTS: dict[str, str] = {
    Notification.Kind.CONFIRMED: gettext_noop("Your place is confirmed: %(title)s"),
    Notification.Kind.WAITLISTED: gettext_noop("You are on the waiting list: %(title)s"),
    Notification.Kind.PROMOTED: gettext_noop("A seat is free for you: %(title)s"),
    Notification.Kind.REMINDER: gettext_noop("Reminder: %(title)s"),
    Notification.Kind.EVENT_CHANGED: gettext_noop("Change of time or place: %(title)s"),
    Notification.Kind.EVENT_CANCELLED: gettext_noop("Activity cancelled: %(title)s"),
}
WITH_CALENDAR = {
    Notification.Kind.CONFIRMED,
    Notification.Kind.PROMOTED,
    Notification.Kind.EVENT_CHANGED,
    Notification.Kind.EVENT_CANCELLED,
}


def notification_enqueue(*, notification_id: int) -> bool:
    """Queue the task that sends one outbox message. When the broker does not answer,
    log it and return False: the message stays pending and the outbox sweep queues it
    again, so what was stored (a sign-up, a cancellation) is never undone by a 500."""
    send = celery_app.tasks[SEND_TASK]
    try:
        send.delay(notification_id)
    except Exception as error:  # kombu's OperationalError, or the send itself when eager
        logger.warning(
            "Message %s was not queued (%s: %s); it stays pending for the outbox sweep.",
            notification_id,
            type(error).__name__,
            error,
        )
        return False
    return True


def notifications_write(registrations: list[Registration], kind: str) -> None:
    """One message of this kind to each person, queued once the transaction commits."""
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


def render_message(notification: Notification) -> Message:
    """The message in the registrant's own language."""
    registration = notification.registration
    event = registration.event
    with translation.override(registration.language):
        event_path = reverse("events:detail", args=[event.slug])
        context = {
            "registration": registration,
            "event": event,
            "position": waitlist_position(registration),
            "event_url": absolute(event_path),
            "registration_url": registration_url(registration, absolute_url=True),
            "cancel_url": cancel_url(registration, absolute_url=True),
        }
        subject = gettext(SUBJECTS[notification.kind]) % {"title": event.title}
        body = render_to_string(f"emails/{notification.kind}.txt", context)
        attachments = []
        if notification.kind in WITH_CALENDAR:
            attachments.append(
                ("activity.ics", event_ics(event, url_path=event_path), "text/calendar")
            )
    return Message(subject=subject, body=body, attachments=attachments)


def notification_send(*, notification_id: int) -> str:
    """Send one outbox message and return its status. Idempotent: a message not pending
    is left alone. A failing channel raises, and the row stays pending for a retry."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("registration__event")
            .get(pk=notification_id)
        )
        if notification.status != Notification.Status.PENDING:
            return notification.status
        registration = notification.registration
        channel = channel_for(registration)
        if channel is None or registration.anonymised_at:
            notification.status = Notification.Status.SKIPPED
        else:
            channel.send(registration, render_message(notification))
            notification.status = Notification.Status.SENT
            notification.channel = channel.name
            notification.sent_at = timezone.now()
        notification.save(update_fields=["status", "channel", "sent_at"])
    return notification.status
