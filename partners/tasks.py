"""Periodic tasks of the partners: the daily run, and sending one reminder."""

from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from partners import services
from partners.models import Alert

SUBJECTS: dict[str, str] = {
    Alert.Kind.REPORT_DUE: gettext_noop("Progress report due: %(reference)s"),
    Alert.Kind.REPORT_OVERDUE: gettext_noop("Progress report overdue: %(reference)s"),
    Alert.Kind.COMMITMENT_LATE: gettext_noop("Commitment past due: %(reference)s"),
}


@shared_task
def daily_run(today: str | None = None) -> dict[str, list[int]]:
    """Daily: agreements follow their dates, late commitments are marked, reports fall
    due, and the reminders are queued. Idempotent: a second run changes nothing."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return {
        "agreements": services.agreements_move_by_date(today=day),
        "late_commitments": services.commitments_mark_late(today=day),
        "reports": services.reports_make_due(today=day),
        "reminders": services.reminders_queue(today=day),
        "requeued": services.alerts_requeue(),
    }


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, max_retries=6)
def alert_send(alert_id: int) -> str:
    """Send one reminder in its recipient's language. Idempotent: a sent one is left."""
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update(of=("self",))
            .select_related("report__agreement", "report__organisation", "commitment__agreement")
            .get(pk=alert_id)
        )
        if alert.status != Alert.Status.PENDING:
            return alert.status
        about = alert.report or alert.commitment
        assert about is not None
        agreement = about.agreement
        with translation.override(alert.language):
            context = {
                "agreement": agreement,
                "report": alert.report,
                "commitment": alert.commitment,
            }
            send_mail(
                subject=gettext(SUBJECTS[alert.kind]) % {"reference": agreement.reference},
                message=render_to_string(f"emails/partners/{alert.kind}.txt", context),
                from_email=None,
                recipient_list=[alert.email],
            )
        alert.status = Alert.Status.SENT
        alert.sent_at = timezone.now()
        alert.save(update_fields=["status", "sent_at"])
    return alert.status
