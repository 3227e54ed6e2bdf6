"""Tasks of activities: send an outbox message, the daily reminders, anonymisation."""

from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from events import services
from events.ics import event_ics
from events.links import absolute, cancel_url, registration_url
from events.models import Notification
from events.notify import Message, channel_for

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


def render_message(notification: Notification) -> Message:
    """The message in the registrant's own language."""
    registration = notification.registration
    event = registration.event
    with translation.override(registration.language):
        event_path = reverse("events:detail", args=[event.slug])
        context = {
            "registration": registration,
            "event": event,
            "position": services.waitlist_position(registration),
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


# No result is stored or waited for: the web process then never subscribes to results,
# whose Redis client, once it fails to reconnect, stays broken until a restart.
@shared_task(
    ignore_result=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=6,
    acks_late=True,
)
def notification_send(notification_id: int) -> str:
    """Send one outbox message. Idempotent: a message not pending is left alone."""
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


# A message still pending this long after it was written has lost its task: queue it
# again. After OUTBOX_GIVE_UP_AFTER it is marked failed instead.
OUTBOX_RETRY_AFTER = timedelta(minutes=5)
OUTBOX_GIVE_UP_AFTER = timedelta(days=2)


@shared_task
def outbox_sweep() -> int:
    """Periodic: queue again the messages whose task never reached the broker (it was
    down) or was lost. Idempotent: a message sent meanwhile is left alone by the send.
    Returns how many were queued; stops at the first the broker refuses."""
    now = timezone.now()
    due = services.notifications_due(
        written_before=now - OUTBOX_RETRY_AFTER, given_up_before=now - OUTBOX_GIVE_UP_AFTER
    )
    queued = 0
    for notification_id in due:
        if not services.notification_enqueue(notification_id=notification_id):
            break
        queued += 1
    return queued


@shared_task
def reminders_send() -> int:
    """Periodic: one reminder per confirmed person the day before the activity."""
    return len(services.reminders_due(within=timedelta(hours=24)))


@shared_task
def registrations_anonymise() -> int:
    """Periodic: wipe names and contacts a set number of days after the activity."""
    days = settings.EVENTS_ANONYMISE_AFTER_DAYS
    return services.registrations_anonymise(ended_before=timezone.now() - timedelta(days=days))
