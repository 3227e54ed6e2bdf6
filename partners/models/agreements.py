from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from programs.models import Programme

if TYPE_CHECKING:
    pass

from .base import document_field


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


# "Ending soon": the dashboard's panel, the agreements list's filter and the first notice.
ENDING_SOON_DAYS = 90


def ending_within(today: date, days: int) -> Q:
    """Signed or active agreements that end between today and `days` from now (a
    suspended, terminated or ended one is no longer running out)."""
    return Q(
        status__in=(Agreement.Status.SIGNED, Agreement.Status.ACTIVE),
        ends_on__gte=today,
        ends_on__lte=today + timedelta(days=days),
    )


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def for_organisation(self, organisation: Organisation) -> "AgreementQuerySet":
        """The agreements this organisation is a party to (what its portal may show)."""
        return self.filter(
            pk__in=Party.objects.filter(organisation=organisation).values("agreement")
        )

    def ending_within(self, today: date, days: int) -> "AgreementQuerySet":
        return self.filter(ending_within(today, days))


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
