"""Business rules of agreements, money and commitments, as typed functions with
keyword-only arguments named <thing>_<verb> (docs/architecture.md).

Who may do what is checked here as well as on the screens, so that a hand-made request
cannot go around it: changing an agreement's status needs `manage_agreement_status`
(Coordinators only, see README). Every change of status writes a history row in the
same transaction. Progress reports live in partners.reporting and reminders in
partners.alerts; their names are re-exported here so that callers keep one entry point."""

import logging
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from belfaa.models import User
from belfaa.uploads import validate_upload
from partners.alerts import (  # noqa: F401  (re-exported: one entry point for callers)
    ALERT_SEND_TASK,
    ENDING_DAYS,
    _coordinators,
    _queue,
    _recipients,
    agreements_ending_queue,
    alert_enqueue,
    alerts_requeue,
    reminders_queue,
)
from partners.models import (
    Agreement,
    AgreementStatusChange,
    Amendment,
    Commitment,
    Contribution,
    Organisation,
    Party,
)
from partners.permissions import require_perm as _require
from partners.reporting import (  # noqa: F401  (re-exported: one entry point for callers)
    REPORTING_MONTHS,
    REVIEW,
    _add_months,
    _may_write,
    _record,
    _reviewable,
    report_accept,
    report_send_back,
    report_submit,
    reporting_organisations,
    reporting_periods,
    reports_make_due,
)

logger = logging.getLogger(__name__)
Status = Agreement.Status
MANAGE_STATUS = "partners.manage_agreement_status"
# Statuses the dates move by themselves; a draft waits for its signature, a suspended
# agreement for a decision to resume, a terminated one is over.
DATED = (Status.SIGNED, Status.ACTIVE, Status.ENDED)


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
