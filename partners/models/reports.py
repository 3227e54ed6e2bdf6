from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    pass

from .agreements import Agreement, Organisation
from .base import document_field


class ProgressReportQuerySet(models.QuerySet["ProgressReport"]):
    def for_organisation(self, organisation: Organisation) -> "ProgressReportQuerySet":
        """The reports this organisation writes (what its portal may show)."""
        return self.filter(organisation=organisation)

    def waiting(self) -> "ProgressReportQuerySet":
        """Reports the partner still has to hand in."""
        return self.filter(status__in=ProgressReport.WITH_PARTNER)

    def overdue(self, today: date) -> "ProgressReportQuerySet":
        return self.filter(report_stages(today)["overdue"])


def report_stages(today: date) -> dict[str, Q]:
    """Where a report stands on `today`, as the dashboard counts it and the admin list
    filters it: due from the partner (its period is over, the deadline not yet passed),
    overdue (the deadline has passed), or waiting for the commune's review."""
    with_partner = Q(status__in=ProgressReport.WITH_PARTNER, period_end__lt=today)
    return {
        "due": with_partner & Q(due_on__gte=today),
        "overdue": with_partner & Q(due_on__lt=today),
        "review": Q(status__in=ProgressReport.TO_REVIEW),
    }


class ProgressReport(models.Model):
    """A partner's report on a period of an agreement, reviewed by the commune."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        SENT_BACK = "sent_back", _("sent back")
        RESUBMITTED = "resubmitted", _("resubmitted")
        ACCEPTED = "accepted", _("accepted")

    WITH_PARTNER = (Status.DRAFT, Status.SENT_BACK)
    TO_REVIEW = (Status.SUBMITTED, Status.RESUBMITTED)

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("agreement"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("reporting organisation"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    achievements = models.TextField(_("achievements"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["due_on", "agreement"]
        permissions = [("review_progressreport", _("Can accept or send back progress reports"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="progressreport_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["agreement", "organisation", "period_start"],
                name="progressreport_one_per_period",
                violation_error_message=_(
                    "This organisation already has a report for this period."
                ),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.agreement.reference} · {self.period_start:%Y-%m-%d}/{self.period_end:%Y-%m-%d}"
        )


class ReportFigure(models.Model):
    """One figure a report gives: a label, a value and its unit."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="figures", verbose_name=_("report")
    )
    label = models.CharField(_("label"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}".strip()


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("report"),
    )
    title = models.CharField(_("title"), max_length=200)
    file = document_field(_("file"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.title


class ReportTransition(models.Model):
    """Every step of a report (submitted, sent back with its reason, accepted), shown to
    both sides."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("report"),
    )
    from_status = models.CharField(_("from"), max_length=12, choices=ProgressReport.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=ProgressReport.Status.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("step of a report")
        verbose_name_plural = _("steps of reports")
        ordering = ["report", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(to_status="sent_back") | ~Q(reason=""),
                name="reporttransition_sent_back_has_reason",
                violation_error_message=_("Sending a report back needs a reason."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status} → {self.to_status}"
