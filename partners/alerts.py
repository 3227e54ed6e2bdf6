"""Reminders: written to the outbox (`Alert`) in the caller's transaction and sent after
commit, each at most once per recipient; the daily run queues again any reminder the
broker did not take."""

import logging
from collections.abc import Iterable
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from belfaa.celery import app as celery_app
from belfaa.roles import COORDINATOR
from partners.models import (
    ENDING_SOON_DAYS,
    Agreement,
    Alert,
    Commitment,
    Organisation,
    ProgressReport,
)

logger = logging.getLogger(__name__)


# --- Reminders ------------------------------------------------------------------


def _coordinators() -> list[tuple[str, str]]:
    users = get_user_model().objects.filter(groups__name=COORDINATOR, is_active=True)
    return [
        (user.email, user.preferred_language or settings.LANGUAGE_CODE)
        for user in users.order_by("pk")
    ]


def _portal_users(organisation: Organisation) -> list[tuple[str, str]]:
    """The organisation's active portal users, each with their own language."""
    users = (
        get_user_model()
        .objects.filter(partner_membership__organisation=organisation, is_active=True)
        .exclude(email="")
    )
    return [
        (user.email.lower(), user.preferred_language or settings.LANGUAGE_CODE)
        for user in users.order_by("pk")
    ]


def _recipients(organisation: Organisation) -> list[tuple[str, str]]:
    """The organisation's contact, its portal users and the Coordinators, one entry per
    address (the first language found wins), so that nobody gets the same message twice."""
    contact = (
        [(organisation.contact_email.lower(), organisation.contact_language)]
        if organisation.contact_email
        else []
    )
    seen: dict[str, str] = {}
    for email, language in contact + _portal_users(organisation) + _coordinators():
        seen.setdefault(email.lower(), language)
    return list(seen.items())


ALERT_SEND_TASK = "partners.tasks.alert_send"


def alert_enqueue(*, alert_id: int) -> bool:
    """Queue the task that sends one reminder, found by name (the tasks call these
    services, not the reverse). When the broker does not answer, log it and leave the
    reminder pending: the daily run queues it again."""
    try:
        celery_app.tasks[ALERT_SEND_TASK].delay(alert_id)
    except Exception as error:  # kombu's OperationalError, or the send itself when eager
        logger.warning(
            "Reminder %s was not queued (%s: %s).", alert_id, type(error).__name__, error
        )
        return False
    return True


def alerts_requeue(*, older_than: timedelta = timedelta(minutes=5)) -> list[int]:
    """Queue again the reminders still pending a while after they were written."""
    waiting = list(
        Alert.objects.filter(
            status=Alert.Status.PENDING, created_at__lt=timezone.now() - older_than
        ).values_list("pk", flat=True)
    )
    for alert_id in waiting:
        alert_enqueue(alert_id=alert_id)
    return waiting


def _queue(kind: str, recipients: Iterable[tuple[str, str]], **about: object) -> list[int]:
    queued = []
    for email, language in recipients:
        email = email.lower()
        if Alert.objects.filter(kind=kind, email=email, **about).exists():
            continue
        try:
            with transaction.atomic():
                alert = Alert.objects.create(kind=kind, email=email, language=language, **about)
        except IntegrityError:
            # Another run queued it a moment ago: once is enough.
            continue
        transaction.on_commit(partial(alert_enqueue, alert_id=alert.pk))
        queued.append(alert.pk)
    return queued


def reminders_queue(*, today: date | None = None) -> list[int]:
    """Daily: for each report waiting for its partner, one reminder when it falls due
    and one when it is overdue, to the partner's contact and to the Coordinators; and
    one notice per late commitment. Each recipient gets each message once, ever."""
    today = today or timezone.localdate()
    queued: list[int] = []
    waiting = ProgressReport.objects.waiting().filter(period_end__lt=today)
    for report in waiting.select_related("organisation"):
        kind = Alert.Kind.REPORT_OVERDUE if report.due_on < today else Alert.Kind.REPORT_DUE
        queued += _queue(kind, _recipients(report.organisation), report=report)
    late = Commitment.objects.filter(status=Commitment.Status.LATE).select_related("organisation")
    for commitment in late:
        queued += _queue(
            Alert.Kind.COMMITMENT_LATE, _recipients(commitment.organisation), commitment=commitment
        )
    return queued


ENDING_DAYS = (ENDING_SOON_DAYS, 60, 30, 15)


def _ending_threshold(days_left: int) -> int | None:
    """The last threshold crossed: 45 days left means the 60-day notice (once), not 90."""
    crossed = [days for days in ENDING_DAYS if days >= days_left]
    return min(crossed) if crossed and days_left >= 0 else None


def agreements_ending_queue(*, today: date | None = None) -> list[int]:
    """Daily: for each signed or active agreement ending within 90 days, one notice per
    threshold (90, 60, 30, 15 days) and recipient: the Coordinators, and for each party
    other than the commune itself its contact and portal users. A suspended,
    terminated or ended agreement gets none."""
    today = today or timezone.localdate()
    queued: list[int] = []
    ending = Agreement.objects.ending_within(today, max(ENDING_DAYS)).prefetch_related(
        "parties__organisation"
    )
    for agreement in ending:
        assert agreement.ends_on is not None
        days = _ending_threshold((agreement.ends_on - today).days)
        if days is None:
            continue
        recipients: dict[str, str] = {}
        for party in agreement.parties.all():
            if party.organisation.kind == Organisation.Kind.OWN:
                continue
            for email, language in _recipients(party.organisation):
                recipients.setdefault(email, language)
        for email, language in _coordinators():
            recipients.setdefault(email.lower(), language)
        queued += _queue(
            Alert.Kind.AGREEMENT_ENDING, recipients.items(), agreement=agreement, days=days
        )
    return queued
