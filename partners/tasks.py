"""Periodic tasks of the partners: the daily run, and sending one reminder."""

from datetime import date
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from partners import services
from partners.models import Agreement, Alert

SUBJECTS: dict[str, str] = {
    Alert.Kind.REPORT_DUE: gettext_noop("Progress report due: %(reference)s"),
    Alert.Kind.REPORT_OVERDUE: gettext_noop("Progress report overdue: %(reference)s"),
    Alert.Kind.COMMITMENT_LATE: gettext_noop("Commitment past due: %(reference)s"),
    Alert.Kind.AGREEMENT_ENDING: gettext_noop("Agreement ending in %(days)s days: %(reference)s"),
}


def _link(alert: Alert, agreement: Agreement) -> str:
    """Where the recipient handles it: the admin for staff, the partner portal for
    everyone else (built in the recipient's language, active during rendering)."""
    staff = (
        get_user_model()
        .objects.filter(email__iexact=alert.email, is_active=True, is_staff=True)
        .exists()
    )
    if staff:
        if alert.report is not None:
            path = reverse("admin:partners_progressreport_change", args=[alert.report.pk])
        else:
            path = reverse("admin:partners_agreement_change", args=[agreement.pk])
    else:
        path = reverse("portal:home")
    return settings.SITE_URL.rstrip("/") + path


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
        "ending": services.agreements_ending_queue(today=day),
        "requeued": services.alerts_requeue(),
    }


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, max_retries=6)
def alert_send(alert_id: int) -> str:
    """Send one reminder in its recipient's language. Idempotent: a sent one is left."""
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update(of=("self",))
            .select_related(
                "agreement",
                "report__agreement",
                "report__organisation",
                "commitment__agreement",
                "commitment__organisation",
            )
            .get(pk=alert_id)
        )
        if alert.status != Alert.Status.PENDING:
            return alert.status
        about = alert.report or alert.commitment
        agreement = about.agreement if about is not None else alert.agreement
        assert agreement is not None
        with translation.override(alert.language):
            context = {
                "agreement": agreement,
                "report": alert.report,
                "commitment": alert.commitment,
                "days": alert.days,
                "link": _link(alert, agreement),
            }
            subject = gettext(SUBJECTS[alert.kind]) % {
                "reference": agreement.reference,
                "days": alert.days,
            }
            send_mail(
                subject=subject,
                message=render_to_string(f"emails/partners/{alert.kind}.txt", context),
                from_email=None,
                recipient_list=[alert.email],
            )
        alert.status = Alert.Status.SENT
        alert.sent_at = timezone.now()
        alert.save(update_fields=["status", "sent_at"])
    return alert.status
