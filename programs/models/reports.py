"""A generated PAC report file, kept in STORAGES for PAC_REPORT_KEEP_DAYS days.

Imported at the end of programs/models.py, where Django finds the app's models."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belfaa.bidi import ltr_text


class ReportFile(models.Model):
    """One request for a report file, and the file once made.

    `fingerprint` is a hash of the computed report (every figure and label): a request
    whose report hashes the same as a kept file of the same year, language, format and
    partner reuses that file instead of drawing it again."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"
        HTML = "html", "HTML"

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being generated")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    year = models.PositiveSmallIntegerField(_("year"))
    cumulative = models.BooleanField(
        _("plan so far"), default=False, help_text=_("From the plan's first year to this year.")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    # The partner version: the id of a partners.Organisation. Not a foreign key:
    # programs sits below partners and never refers to its tables.
    organisation_id = models.PositiveIntegerField(_("partner"), null=True, blank=True)
    fingerprint = models.CharField(_("fingerprint of the data"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to="pac-reports/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)

    class Meta:
        verbose_name = _("PAC report file")
        verbose_name_plural = _("PAC report files")
        ordering = ["-created_at", "-pk"]
        permissions = [("download_reportfile", _("Can generate and download PAC reports"))]
        indexes = [
            models.Index(
                fields=["year", "language", "format", "fingerprint"], name="reportfile_reuse"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="reportfile_progress_percent",
                violation_error_message=_("Progress is a percentage."),
            )
        ]

    def __str__(self) -> str:
        period = f"{self.year}" if not self.cumulative else f"… {self.year}"
        return f"{ltr_text(period)} · {self.get_language_display()} · {self.get_format_display()}"

    @property
    def ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    def expire_from(self, now: datetime) -> None:
        self.expires_at = now + timedelta(days=settings.PAC_REPORT_KEEP_DAYS)
