"""Business rules of agreements, money, commitments and progress reports, as typed
functions with keyword-only arguments named <thing>_<verb> (docs/architecture.md).

Who may do what is checked here as well as on the screens, so that a hand-made request
cannot go around it: changing an agreement's status needs `manage_agreement_status`,
reviewing a report `review_progressreport` (both Coordinators only, see README), and
nobody reviews a report they submitted. Every change of status writes a history row in
the same transaction. Reminders are written to the outbox (`Alert`) and sent after
commit, each at most once."""

import calendar
import logging
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from belfaa.celery import app as celery_app
from belfaa.models import User
from belfaa.roles import COORDINATOR
from belfaa.uploads import validate_upload
from partners.models import (
    Agreement,
    AgreementStatusChange,
    Alert,
    Amendment,
    Commitment,
    Contribution,
    Organisation,
    Party,
    ProgressReport,
    ReportTransition,
)

logger = logging.getLogger(__name__)
Status = Agreement.Status
MANAGE_STATUS = "partners.manage_agreement_status"
REVIEW = "partners.review_progressreport"
# Statuses the dates move by themselves; a draft waits for its signature, a suspended
# agreement for a decision to resume, a terminated one is over.
DATED = (Status.SIGNED, Status.ACTIVE, Status.ENDED)
REPORTING_MONTHS: dict[str, int] = {
    Agreement.Reporting.QUARTERLY: 3,
    Agreement.Reporting.HALF_YEARLY: 6,
    Agreement.Reporting.YEARLY: 12,
}


def _require(user: User, permission: str) -> None:
    if not (user.is_active and user.is_staff and user.has_perm(permission)):
        raise PermissionDenied


def _lock(agreement_id: int) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement_id)


# --- Agreements: status ---------------------------------------------------------


def status_by_date(agreement: Agreement, today: date) -> str:
    """The status an agreement's dates give it (for the statuses dates move)."""
    if agreement.status not in DATED:
        return agreement.status
    if agreement.ends_on is not None and agreement.ends_on < today:
        return Status.ENDED
    start = agreement.effective_start
    if start is not None and start <= today:
        return Status.ACTIVE
    return Status.SIGNED


def _move(agreement: Agreement, to: str, *, by: User | None, note: str = "") -> None:
    """Set the status of a locked agreement and keep the change in its history."""
    if agreement.status == to:
        return
    AgreementStatusChange.objects.create(
        agreement=agreement, from_status=agreement.status, to_status=to, by=by, note=note
    )
    agreement.status = to
    agreement.full_clean(exclude=["programmes"], validate_unique=False)
    agreement.save()


def _follow_dates(agreement: Agreement, *, today: date | None = None) -> None:
    today = today or timezone.localdate()
    _move(agreement, status_by_date(agreement, today), by=None)


def agreements_move_by_date(*, today: date | None = None) -> list[int]:
    """Daily: signed agreements become active on their start, active ones end after
    their end date. Idempotent: a second run the same day moves nothing."""
    today = today or timezone.localdate()
    moved = []
    for agreement_id in Agreement.objects.filter(status__in=DATED).values_list("pk", flat=True):
        with transaction.atomic():
            agreement = _lock(agreement_id)
            before = agreement.status
            _follow_dates(agreement, today=today)
            if agreement.status != before:
                moved.append(agreement_id)
    return moved


@transaction.atomic
def agreement_sign(
    *, agreement_id: int, by: User, signed_on: date, document: File | None = None
) -> Agreement:
    """A draft is signed; its dates then say whether it is already active or over."""
    _require(by, MANAGE_STATUS)
    agreement = _lock(agreement_id)
    if agreement.status != Status.DRAFT:
        raise ValidationError(_("Only a draft agreement can be signed."))
    agreement.signed_on = signed_on
    if document is not None:
        validate_upload(document)
        agreement.document.save(document.name or "document", document, save=False)
    _move(agreement, Status.SIGNED, by=by)
    _follow_dates(agreement)
    return agreement


@transaction.atomic
def agreement_suspend(*, agreement_id: int, by: User, reason: str) -> Agreement:
    """A signed or active agreement is put on hold, with the reason."""
    _require(by, MANAGE_STATUS)
    agreement = _lock(agreement_id)
    if agreement.status not in (Status.SIGNED, Status.ACTIVE):
        raise ValidationError(_("Only a signed or active agreement can be suspended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the suspension.")})
    _move(agreement, Status.SUSPENDED, by=by, note=reason.strip())
    return agreement


@transaction.atomic
def agreement_resume(*, agreement_id: int, by: User) -> Agreement:
    """A suspended agreement resumes; its dates say whether it is active or over."""
    _require(by, MANAGE_STATUS)
    agreement = _lock(agreement_id)
    if agreement.status != Status.SUSPENDED:
        raise ValidationError(_("Only a suspended agreement can resume."))
    _move(agreement, Status.SIGNED, by=by)
    _follow_dates(agreement)
    return agreement


@transaction.atomic
def agreement_terminate(
    *, agreement_id: int, by: User, reason: str, document: File | None
) -> Agreement:
    """An agreement is ended early: the reason and the document that decides it are
    both required."""
    _require(by, MANAGE_STATUS)
    agreement = _lock(agreement_id)
    if agreement.status not in (Status.SIGNED, Status.ACTIVE, Status.SUSPENDED):
        raise ValidationError(_("Only a signed, active or suspended agreement can be terminated."))
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason for the termination.")
    if document is None:
        errors["document"] = _("Attach the document that terminates the agreement.")
    if errors:
        raise ValidationError(errors)
    assert document is not None
    validate_upload(document)
    agreement.termination_reason = reason.strip()
    agreement.termination_document.save(document.name or "document", document, save=False)
    _move(agreement, Status.TERMINATED, by=by, note=reason.strip())
    return agreement


# --- Agreements: amendments, parties, money, commitments --------------------------


def amendment_check(*, agreement: Agreement, new_ends_on: date | None) -> None:
    start = agreement.effective_start
    if new_ends_on is not None and start is not None and new_ends_on < start:
        raise ValidationError(
            {
                "new_ends_on": _("The new end date cannot come before the start (%(start)s).")
                % {"start": date_format(start)}
            }
        )


@transaction.atomic
def amendment_add(
    *,
    agreement_id: int,
    number: int,
    signed_on: date,
    changes: str,
    new_ends_on: date | None = None,
    document: File | None = None,
) -> Amendment:
    """Record an amendment; a new end date becomes the agreement's, and the status
    follows it (an ended agreement extended is active again)."""
    agreement = _lock(agreement_id)
    amendment_check(agreement=agreement, new_ends_on=new_ends_on)
    amendment = Amendment(
        agreement=agreement,
        number=number,
        signed_on=signed_on,
        changes=changes.strip(),
        new_ends_on=new_ends_on,
    )
    if document is not None:
        amendment.document.save(document.name or "document", document, save=False)
    amendment.full_clean()
    amendment.save()
    amendment_apply(amendment=amendment)
    return amendment


def amendment_apply(*, amendment: Amendment) -> None:
    """Carry an amendment's new end date to its agreement (the admin inline calls this
    after saving a row)."""
    if amendment.new_ends_on is None:
        return
    agreement = _lock(amendment.agreement_id)
    if agreement.ends_on != amendment.new_ends_on:
        agreement.ends_on = amendment.new_ends_on
        agreement.full_clean(exclude=["programmes"], validate_unique=False)
        agreement.save(update_fields=["ends_on"])
    _follow_dates(agreement)


@transaction.atomic
def party_add(*, agreement_id: int, organisation_id: int, role: str) -> Party:
    party = Party(agreement_id=agreement_id, organisation_id=organisation_id, role=role)
    party.full_clean()
    party.save()
    return party


def party_check(*, agreement: Agreement, organisation: Organisation) -> None:
    """Money and promises are recorded only for the agreement's own parties."""
    if not Party.objects.filter(agreement=agreement, organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("This organisation is not a party to the agreement.")}
        )


@transaction.atomic
def contribution_add(
    *,
    agreement_id: int,
    organisation_id: int,
    year: int,
    amount: Decimal,
    currency: str,
    nature: str = Contribution.Nature.CASH,
    rate_to_mad: Decimal | None = None,
    rate_on: date | None = None,
    description: str = "",
) -> Contribution:
    """A party's contribution for a year; a non-MAD amount carries its rate to MAD."""
    contribution = Contribution(
        agreement_id=agreement_id,
        organisation_id=organisation_id,
        year=year,
        amount=amount,
        currency=currency,
        nature=nature,
        rate_to_mad=rate_to_mad,
        rate_on=rate_on,
        description=description,
    )
    contribution.full_clean()
    party_check(agreement=contribution.agreement, organisation=contribution.organisation)
    contribution.save()
    return contribution


def commitment_check(*, agreement: Agreement, due_on: date) -> None:
    start, end = agreement.effective_start, agreement.ends_on
    if (start is not None and due_on < start) or (end is not None and due_on > end):
        raise ValidationError(
            {
                "due_on": _("The due date must fall within the agreement's dates (%(dates)s).")
                % {"dates": " - ".join(date_format(day) if day else "…" for day in (start, end))}
            }
        )


@transaction.atomic
def commitment_add(
    *, agreement_id: int, organisation_id: int, description: str, due_on: date
) -> Commitment:
    commitment = Commitment(
        agreement_id=agreement_id,
        organisation_id=organisation_id,
        description=description.strip(),
        due_on=due_on,
    )
    commitment.full_clean()
    party_check(agreement=commitment.agreement, organisation=commitment.organisation)
    commitment_check(agreement=commitment.agreement, due_on=due_on)
    commitment.save()
    return commitment


@transaction.atomic
def commitment_done(*, commitment_id: int, done_on: date) -> Commitment:
    commitment = Commitment.objects.select_for_update().get(pk=commitment_id)
    commitment.status = Commitment.Status.DONE
    commitment.done_on = done_on
    commitment.full_clean()
    commitment.save(update_fields=["status", "done_on"])
    return commitment


def commitments_mark_late(*, today: date | None = None) -> list[int]:
    """Daily: promises past their due date and not done nor dropped become late."""
    today = today or timezone.localdate()
    due = Commitment.objects.filter(
        status__in=(Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS), due_on__lt=today
    )
    late = list(due.values_list("pk", flat=True))
    Commitment.objects.filter(pk__in=late).update(status=Commitment.Status.LATE)
    return late


# --- Progress reports -----------------------------------------------------------


def _record(report: ProgressReport, to: str, *, by: User, reason: str = "") -> None:
    transition = ReportTransition(
        report=report, from_status=report.status, to_status=to, by=by, reason=reason
    )
    transition.full_clean()
    transition.save()
    report.status = to


def _may_write(report: ProgressReport, user: User) -> bool:
    membership = getattr(user, "partner_membership", None)
    if membership is not None:
        return bool(membership.organisation_id == report.organisation_id)
    return bool(user.is_staff and user.has_perm("partners.change_progressreport"))


@transaction.atomic
def report_submit(*, report_id: int, by: User) -> ProgressReport:
    """The reporting organisation (or staff on its behalf) hands a report in; one that
    was sent back is resubmitted."""
    report = ProgressReport.objects.select_for_update().get(pk=report_id)
    if not (by.is_active and _may_write(report, by)):
        raise PermissionDenied
    if report.status not in ProgressReport.WITH_PARTNER:
        raise ValidationError(_("This report has been handed in already."))
    if not report.achievements.strip():
        raise ValidationError(
            {"achievements": _("Write what was achieved before submitting the report.")}
        )
    to = (
        ProgressReport.Status.RESUBMITTED
        if report.status == ProgressReport.Status.SENT_BACK
        else ProgressReport.Status.SUBMITTED
    )
    _record(report, to, by=by)
    report.submitted_by = by
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_by", "submitted_at"])
    return report


def _reviewable(report_id: int, by: User) -> ProgressReport:
    _require(by, REVIEW)
    report = ProgressReport.objects.select_for_update().get(pk=report_id)
    if report.status not in ProgressReport.TO_REVIEW:
        raise ValidationError(_("Only a submitted report can be reviewed."))
    submitters = report.transitions.filter(to_status__in=ProgressReport.TO_REVIEW)
    if submitters.filter(by=by).exists():
        raise ValidationError(_("You submitted this report: someone else must review it."))
    return report


@transaction.atomic
def report_accept(*, report_id: int, by: User) -> ProgressReport:
    """A Coordinator who did not submit the report accepts it."""
    report = _reviewable(report_id, by)
    _record(report, ProgressReport.Status.ACCEPTED, by=by)
    report.save(update_fields=["status"])
    return report


@transaction.atomic
def report_send_back(*, report_id: int, by: User, reason: str) -> ProgressReport:
    """A Coordinator who did not submit the report sends it back, saying why."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is sent back.")})
    report = _reviewable(report_id, by)
    _record(report, ProgressReport.Status.SENT_BACK, by=by, reason=reason.strip())
    report.save(update_fields=["status"])
    return report


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reporting_periods(agreement: Agreement, *, until: date) -> list[tuple[date, date]]:
    """The periods of the agreement's reporting schedule that ended before `until`."""
    months = REPORTING_MONTHS.get(agreement.reporting)
    start = agreement.effective_start
    if months is None or start is None:
        return []
    periods = []
    number = 0
    while True:
        begin = _add_months(start, months * number)
        end = _add_months(start, months * (number + 1)) - timedelta(days=1)
        if agreement.ends_on is not None:
            if begin > agreement.ends_on:
                break
            end = min(end, agreement.ends_on)
        if end >= until:
            break
        periods.append((begin, end))
        number += 1
    return periods


def reporting_organisations(agreement: Agreement) -> list[int]:
    """Who reports: the implementers other than the commune, else the other signatories."""
    parties = Party.objects.filter(agreement=agreement).exclude(
        organisation__kind=Organisation.Kind.OWN
    )
    for role in (Party.Role.IMPLEMENTER, Party.Role.SIGNATORY):
        found = list(parties.filter(role=role).values_list("organisation_id", flat=True))
        if found:
            return sorted(set(found))
    return []


def reports_make_due(*, today: date | None = None) -> list[int]:
    """Daily: one draft report per reporting organisation and finished period of the
    schedule, due PARTNERS_REPORT_DUE_DAYS after the period. Idempotent."""
    today = today or timezone.localdate()
    grace = timedelta(days=settings.PARTNERS_REPORT_DUE_DAYS)
    created = []
    agreements = Agreement.objects.filter(
        status__in=(Status.ACTIVE, Status.ENDED), reporting__gt=""
    )
    for agreement in agreements:
        for organisation_id in reporting_organisations(agreement):
            for begin, end in reporting_periods(agreement, until=today):
                report, made = ProgressReport.objects.get_or_create(
                    agreement=agreement,
                    organisation_id=organisation_id,
                    period_start=begin,
                    defaults={"period_end": end, "due_on": end + grace},
                )
                if made:
                    created.append(report.pk)
    return created


# --- Reminders ------------------------------------------------------------------


def _coordinators() -> list[tuple[str, str]]:
    users = get_user_model().objects.filter(groups__name=COORDINATOR, is_active=True)
    return [
        (user.email, user.preferred_language or settings.LANGUAGE_CODE)
        for user in users.order_by("pk")
    ]


def _recipients(organisation: Organisation) -> list[tuple[str, str]]:
    contact = (
        [(organisation.contact_email.lower(), organisation.contact_language)]
        if organisation.contact_email
        else []
    )
    return contact + _coordinators()


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
