from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from belfaa.roles import is_staff_account

if TYPE_CHECKING:
    pass

from .agreements import Agreement, Organisation
from .money import Commitment
from .reports import ProgressReport


class Alert(models.Model):
    """The outbox of reminders: one row per message and recipient, written by the
    daily task and sent after commit; the unique key makes each one go out once."""

    class Kind(models.TextChoices):
        REPORT_DUE = "report_due", _("progress report due")
        REPORT_OVERDUE = "report_overdue", _("progress report overdue")
        COMMITMENT_LATE = "commitment_late", _("commitment past due")
        AGREEMENT_ENDING = "agreement_ending", _("agreement ending")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    # For an ending agreement: the threshold (90, 60, 30 or 15 days) this notice is for.
    days = models.PositiveSmallIntegerField(_("days left"), null=True, blank=True)
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "report", "email"],
                condition=Q(report__isnull=False),
                name="alert_once_per_report",
            ),
            models.UniqueConstraint(
                fields=["kind", "commitment", "email"],
                condition=Q(commitment__isnull=False),
                name="alert_once_per_commitment",
            ),
            models.UniqueConstraint(
                fields=["kind", "agreement", "days", "email"],
                condition=Q(agreement__isnull=False),
                name="alert_once_per_agreement_threshold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.email}"


class Membership(models.Model):
    """Links a partner's user account to its organisation (for the partner portal)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_membership",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("partner organisation"),
    )

    class Meta:
        verbose_name = _("partner account")
        verbose_name_plural = _("partner accounts")

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"

    def clean(self) -> None:
        # Staff see the registry; a partner sees only what consent names it for.
        if self.user_id is not None and is_staff_account(self.user):
            raise ValidationError(
                {
                    "user": _(
                        "This is a staff account (staff status, superuser or a role): it "
                        "cannot be a partner account. Use a separate account for the partner."
                    )
                }
            )
