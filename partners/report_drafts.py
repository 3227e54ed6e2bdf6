"""Writing a progress report before it is handed in: opening one for a period, its
narrative and figures, its attachments.

Only the reporting organisation's own accounts (or staff allowed to change reports)
write, and only while the report is with the partner (draft, or sent back): once
submitted or accepted it is read-only, whatever a hand-made request says. Submitting,
accepting and sending back are in `partners.services`."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from belfaa.models import User
from belfaa.uploads import validate_upload
from partners.models import (
    Agreement,
    Organisation,
    Party,
    ProgressReport,
    ReportAttachment,
    ReportFigure,
)

CHANGE = "partners.change_progressreport"


@dataclass(frozen=True)
class FigureRow:
    """One row of a report's figures, as typed."""

    label: str
    value: Decimal
    unit: str = ""


def _may_write_for(organisation_id: int, user: User) -> bool:
    if not user.is_active:
        return False
    membership = getattr(user, "partner_membership", None)
    if membership is not None:
        return bool(membership.organisation_id == organisation_id)
    return bool(user.is_staff and user.has_perm(CHANGE))


def _editable(report_id: int, by: User) -> ProgressReport:
    """The report, locked, if `by` may write it and it is still with the partner."""
    report = ProgressReport.objects.select_for_update().get(pk=report_id)
    if not _may_write_for(report.organisation_id, by):
        raise PermissionDenied
    if report.status not in ProgressReport.WITH_PARTNER:
        raise ValidationError(
            _("This report has been handed in: it can no longer be changed."), code="read_only"
        )
    return report


@transaction.atomic
def report_draft_create(
    *, agreement_id: int, organisation_id: int, by: User, period_start: date, period_end: date
) -> ProgressReport:
    """A draft report of an organisation that is party to the agreement, for a period;
    due PARTNERS_REPORT_DUE_DAYS after the period ends, as the schedule's reports are."""
    if not _may_write_for(organisation_id, by):
        raise PermissionDenied
    agreement = Agreement.objects.get(pk=agreement_id)
    if not Party.objects.filter(agreement=agreement, organisation_id=organisation_id).exists():
        raise ValidationError(
            {"agreement": _("Your organisation is not a party to this agreement.")}
        )
    report = ProgressReport(
        agreement=agreement,
        organisation=Organisation.objects.get(pk=organisation_id),
        period_start=period_start,
        period_end=period_end,
        due_on=period_end + timedelta(days=settings.PARTNERS_REPORT_DUE_DAYS),
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_draft_update(
    *,
    report_id: int,
    by: User,
    achievements: str,
    difficulties: str,
    next_steps: str,
    figures: list[FigureRow],
) -> ProgressReport:
    """The narrative and the whole table of figures, replaced together: the figures
    given are the report's figures afterwards, in that order."""
    report = _editable(report_id, by)
    report.achievements = achievements.strip()
    report.difficulties = difficulties.strip()
    report.next_steps = next_steps.strip()
    report.full_clean()
    report.save(update_fields=["achievements", "difficulties", "next_steps"])
    rows = [
        ReportFigure(report=report, label=row.label.strip(), value=row.value, unit=row.unit.strip())
        for row in figures
    ]
    for row in rows:
        row.full_clean()
    report.figures.all().delete()
    ReportFigure.objects.bulk_create(rows)
    return report


@transaction.atomic
def attachment_add(*, report_id: int, by: User, title: str, file: File) -> ReportAttachment:
    """A document joined to a report still with the partner, checked by its content
    and size, stored under an unguessable name."""
    report = _editable(report_id, by)
    validate_upload(file)
    attachment = ReportAttachment(report=report, title=title.strip())
    attachment.full_clean(exclude=["file"])
    attachment.file.save(file.name or "attachment", file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_remove(*, attachment_id: int, by: User) -> None:
    """Take an attachment off a report still with the partner; its file goes once the
    removal is committed."""
    attachment = ReportAttachment.objects.select_related("report").get(pk=attachment_id)
    _editable(attachment.report_id, by)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
