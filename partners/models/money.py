from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    pass

from .agreements import Agreement, Organisation
from .base import CENT


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
