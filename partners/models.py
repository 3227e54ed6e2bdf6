from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from belfaa.roles import is_staff_account
from belfaa.uploads import unguessable_name, validate_upload
from programs.models import Programme

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

CENT = Decimal("0.01")


def document_field(verbose_name: "_StrPromise", **options: Any) -> models.FileField:
    """A checked upload stored under an unguessable name (belfaa.uploads)."""
    return models.FileField(
        verbose_name,
        upload_to=unguessable_name,
        validators=[validate_upload],
        max_length=200,
        **options,
    )


class Organisation(models.Model):
    """A partner: an NGO, a twin commune, a development agency, an association; and
    the commune this platform serves, which is a party to its own agreements."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        COMMUNE = "commune", _("commune (twinning)")
        AGENCY = "agency", _("development agency")
        ASSOCIATION = "association", _("local association")
        PUBLIC = "public", _("public institution")
        OWN = "own", _("commune (this platform's own)")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("Two-letter ISO code, e.g. MA or BE.")
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_language = models.CharField(
        _("contact's language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="fr",
        help_text=_("Reminders to the contact person are written in this language."),
    )

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="own"),
                name="organisation_one_own_commune",
                violation_error_message=_("There is already an organisation for this commune."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def for_organisation(self, organisation: Organisation) -> "AgreementQuerySet":
        """The agreements this organisation is a party to (what its portal may show)."""
        return self.filter(
            pk__in=Party.objects.filter(organisation=organisation).values("agreement")
        )


class Agreement(models.Model):
    """A partnership convention, twinning or cooperation agreement, memorandum of
    understanding or grant agreement between the commune and its partners."""

    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", _("partnership agreement")
        TWINNING = "twinning", _("twinning / cooperation agreement")
        MOU = "mou", _("memorandum of understanding")
        GRANT = "grant", _("grant agreement")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNED = "signed", _("signed")
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")
        SUSPENDED = "suspended", _("suspended")
        TERMINATED = "terminated", _("terminated")

    class Reporting(models.TextChoices):
        NONE = "", _("no progress reports")
        QUARTERLY = "quarterly", _("quarterly")
        HALF_YEARLY = "half-yearly", _("half-yearly")
        YEARLY = "yearly", _("yearly")

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    objectives = models.TextField(_("objectives"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    programmes = models.ManyToManyField(
        Programme, blank=True, related_name="agreements", verbose_name=_("programmes")
    )
    document = document_field(_("signed document"), blank=True)
    reporting = models.CharField(
        _("progress reports"), max_length=12, choices=Reporting.choices, blank=True
    )
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    termination_document = document_field(_("termination document"), blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "reference"]
        permissions = [
            ("manage_agreement_status", _("Can sign, suspend, resume and terminate agreements"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("signed_on")),
                name="agreement_ends_after_signature",
                violation_error_message=_("An agreement cannot end before it is signed."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message=_("The end date cannot come before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_on__isnull=False),
                name="agreement_signed_has_date",
                violation_error_message=_("A signed agreement needs its date of signature."),
            ),
            models.CheckConstraint(
                condition=~Q(status="terminated")
                | (~Q(termination_reason="") & ~Q(termination_document="")),
                name="agreement_terminated_has_reason",
                violation_error_message=_(
                    "Terminating an agreement needs a reason and a document."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"

    @property
    def effective_start(self) -> date | None:
        """When the agreement takes effect: its start date, else its signature."""
        return self.starts_on or self.signed_on

    def days_to_end(self, today: date) -> int | None:
        return None if self.ends_on is None else (self.ends_on - today).days


class AgreementStatusChange(models.Model):
    """Every change of an agreement's status: who (none for the daily task) and when."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("agreement"),
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Agreement.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Agreement.Status.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty when the dates moved the status."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("change of status")
        verbose_name_plural = _("changes of status")
        ordering = ["agreement", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement.reference}: {self.from_status} → {self.to_status}"


class Party(models.Model):
    """An organisation that is party to an agreement, in one role."""

    class Role(models.TextChoices):
        SIGNATORY = "signatory", _("signatory")
        FUNDER = "funder", _("funder")
        IMPLEMENTER = "implementer", _("implementer")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="parties", verbose_name=_("agreement")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="parties",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["agreement", "role", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation", "role"],
                name="party_unique_role",
                violation_error_message=_("This organisation already has this role here."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Amendment(models.Model):
    """A change to a signed agreement: its number, date, what changed, a new end."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("agreement")
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    signed_on = models.DateField(_("date"))
    changes = models.TextField(_("what changed"))
    document = document_field(_("document"), blank=True)
    new_ends_on = models.DateField(_("new end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="amendment_number_unique",
                violation_error_message=_(
                    "This agreement already has an amendment with this number."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} · {self.number}"


class Currency(models.TextChoices):
    MAD = "MAD", _("dirham (MAD)")
    EUR = "EUR", _("euro (EUR)")
    USD = "USD", _("US dollar (USD)")


class Contribution(models.Model):
    """What a party brings to an agreement in a year, in cash or in kind."""

    class Nature(models.TextChoices):
        CASH = "cash", _("cash")
        IN_KIND = "in_kind", _("in kind")

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("agreement"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("party"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        choices=Currency.choices,
        error_messages={"blank": _("Choose the currency: MAD, EUR or USD.")},
    )
    nature = models.CharField(
        _("cash or in kind"), max_length=8, choices=Nature.choices, default=Nature.CASH
    )
    rate_to_mad = models.DecimalField(
        _("rate to MAD"),
        max_digits=12,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Dirhams for one unit of the currency, for amounts not in MAD."),
    )
    rate_on = models.DateField(_("date of the rate"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["agreement", "year", "organisation"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="contribution_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(currency__in=Currency.values),
                name="contribution_currency_known",
                violation_error_message=_("Choose the currency: MAD, EUR or USD."),
            ),
            models.CheckConstraint(
                condition=Q(currency="MAD", rate_to_mad__isnull=True, rate_on__isnull=True)
                | (~Q(currency="MAD") & Q(rate_to_mad__gt=0, rate_on__isnull=False)),
                name="contribution_rate_for_foreign_currency",
                violation_error_message=_(
                    "An amount not in MAD needs its rate to MAD and the date of that rate "
                    "(and an amount in MAD none)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.amount} {self.currency}"

    @property
    def amount_mad(self) -> Decimal:
        """The amount in dirhams, at the recorded rate, to the centime."""
        if self.currency == Currency.MAD or self.rate_to_mad is None:
            return Decimal(self.amount)
        return (Decimal(self.amount) * Decimal(self.rate_to_mad)).quantize(CENT, ROUND_HALF_UP)


class Commitment(models.Model):
    """Something a party promised to do under an agreement, by a date."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        LATE = "late", _("late")
        DROPPED = "dropped", _("dropped")

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("agreement"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("party"),
    )
    description = models.TextField(_("what was promised"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["agreement", "due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False)
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="commitment_done_has_date",
                violation_error_message=_(
                    "A commitment is done on a date: give it, and only then."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]


class ProgressReportQuerySet(models.QuerySet["ProgressReport"]):
    def for_organisation(self, organisation: Organisation) -> "ProgressReportQuerySet":
        """The reports this organisation writes (what its portal may show)."""
        return self.filter(organisation=organisation)

    def waiting(self) -> "ProgressReportQuerySet":
        """Reports the partner still has to hand in."""
        return self.filter(status__in=ProgressReport.WITH_PARTNER)

    def overdue(self, today: date) -> "ProgressReportQuerySet":
        return self.waiting().filter(due_on__lt=today)


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


class Alert(models.Model):
    """The outbox of reminders: one row per message and recipient, written by the
    daily task and sent after commit; the unique key makes each one go out once."""

    class Kind(models.TextChoices):
        REPORT_DUE = "report_due", _("progress report due")
        REPORT_OVERDUE = "report_overdue", _("progress report overdue")
        COMMITMENT_LATE = "commitment_late", _("commitment past due")

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
