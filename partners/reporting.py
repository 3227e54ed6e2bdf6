"""Progress reports: submitting, reviewing (never by the person who submitted it),
sending back with a reason, and the reporting schedule that makes reports due. Every
transition writes a history row in the same transaction."""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from belfaa.models import User
from partners.models import (
    Agreement,
    Organisation,
    Party,
    ProgressReport,
    ReportTransition,
)
from partners.permissions import require_perm as _require

REVIEW = "partners.review_progressreport"
REPORTING_MONTHS: dict[str, int] = {
    Agreement.Reporting.QUARTERLY: 3,
    Agreement.Reporting.HALF_YEARLY: 6,
    Agreement.Reporting.YEARLY: 12,
}


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
        status__in=(Agreement.Status.ACTIVE, Agreement.Status.ENDED), reporting__gt=""
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
