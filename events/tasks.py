"""Tasks of activities: send an outbox message, the daily reminders, anonymisation."""

from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from events import outbox, services


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
    return outbox.notification_send(notification_id=notification_id)


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
    due = outbox.notifications_due(
        written_before=now - OUTBOX_RETRY_AFTER, given_up_before=now - OUTBOX_GIVE_UP_AFTER
    )
    queued = 0
    for notification_id in due:
        if not outbox.notification_enqueue(notification_id=notification_id):
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
