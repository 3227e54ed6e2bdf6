"""Indicators of the action plan, their yearly targets and the results entered by hand."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from belfaa.uploads import unguessable_name, validate_upload
from programs.models.plan import PlanPeriod, Programme
from programs.sources import breakdown_errors, disaggregation_errors, measure_source_errors


class Indicator(models.Model):
    class Unit(models.TextChoices):
        PEOPLE = "people", _("people")
        ACTIVITIES = "activities", _("activities")
        MAD = "MAD", _("dirhams (MAD)")
        PERCENT = "percent", _("percent")

    class Source(models.TextChoices):
        MEASURE = "measure", _("counted from the records (measure)")
        MANUAL = "manual", _("entered by hand")

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("programme")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=250)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    higher_is_better = models.BooleanField(
        _("higher is better"), default=True, help_text=_("Untick when the aim is to go down.")
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    disaggregations = models.JSONField(
        _("disaggregations"),
        default=list,
        blank=True,
        help_text=_("Broken down by group, sex and/or age band."),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    measure_code = models.CharField(_("measure"), max_length=80, blank=True)
    measure_params = models.JSONField(_("parameters of the measure"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"],
                name="indicator_code_unique",
                violation_error_message=_(
                    "This programme already has an indicator with this code."
                ),
            ),
            models.CheckConstraint(
                condition=Q(source="manual", measure_code="")
                | (Q(source="measure") & ~Q(measure_code="")),
                name="indicator_measure_iff_measured",
                violation_error_message=_(
                    "An indicator counted from the records names its measure; one entered "
                    "by hand names none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True, baseline_value__isnull=True)
                | Q(baseline_year__isnull=False, baseline_value__isnull=False),
                name="indicator_baseline_year_and_value",
                violation_error_message=_("A baseline has both a year and a value."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_manual(self) -> bool:
        return self.source == self.Source.MANUAL

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        if problems := disaggregation_errors(self.disaggregations):
            raise ValidationError({"disaggregations": problems})
        if self.source == self.Source.MEASURE:
            if not self.measure_code:
                errors["measure_code"] = [str(_("Choose the measure this indicator counts."))]
            else:
                errors |= measure_source_errors(
                    self.measure_code, self.measure_params, self.disaggregations
                )
            if self.unit == self.Unit.PERCENT:
                errors.setdefault("unit", []).append(
                    str(_("A measure counts: a percentage is entered by hand."))
                )
        elif self.source == self.Source.MANUAL and (self.measure_code or self.measure_params):
            errors["measure_code"] = [str(_("An indicator entered by hand names no measure."))]
        period = getattr(getattr(self, "programme", None), "period", None)
        if period is not None and self.baseline_year and self.baseline_year > period.end_year:
            errors["baseline_year"] = [str(_("The baseline comes before the end of the plan."))]
        if errors:
            raise ValidationError(errors)

    def plan_period(self) -> PlanPeriod | None:
        return getattr(getattr(self, "programme", None), "period", None)


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="indicatortarget_one_per_year",
                violation_error_message=_("This indicator already has a target for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"

    def clean(self) -> None:
        super().clean()
        indicator = getattr(self, "indicator", None)
        period = indicator.plan_period() if indicator else None
        if period is not None and (message := period.year_error(self.year)):
            raise ValidationError({"year": message})


class ManualResult(models.Model):
    """A value entered by hand for an indicator and a year, with its evidence. Entered by
    one staff member and approved by another (programs.services.result_approve); a
    change after approval waits for a new approval; the history keeps every version."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="results", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    breakdown = models.JSONField(
        _("disaggregated values"),
        default=dict,
        blank=True,
        help_text=_(
            'For example {"sex": {"female": 12, "male": 9}}; each part adds up to the value.'
        ),
    )
    evidence = models.FileField(
        _("source or evidence"),
        upload_to=unguessable_name,
        validators=[validate_upload],
        max_length=200,
        blank=True,
        help_text=_("PDF, image, workbook or document showing where the figure comes from."),
    )
    source_note = models.CharField(_("source"), max_length=250, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("result entered by hand")
        verbose_name_plural = _("results entered by hand")
        ordering = ["indicator", "year"]
        permissions = [("approve_manualresult", _("Can approve a result entered by hand"))]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="manualresult_one_per_year",
                violation_error_message=_("This indicator already has a result for this year."),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("entered_by")),
                name="manualresult_four_eyes",
                violation_error_message=_(
                    "A result is approved by another staff member than the one who entered it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="manualresult_approval_complete",
                violation_error_message=_("An approval has both its author and its date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"

    @property
    def is_approved(self) -> bool:
        return self.approved_by_id is not None

    def clean(self) -> None:
        super().clean()
        indicator = getattr(self, "indicator", None)
        if indicator is None:
            return
        errors: dict[str, list[str]] = {}
        if not indicator.is_manual:
            errors["indicator"] = [
                str(_("This indicator is counted from the records: it takes no result by hand."))
            ]
        period = indicator.plan_period()
        if period is not None and (message := period.year_error(self.year)):
            errors["year"] = [message]
        problems = breakdown_errors(
            self.breakdown, disaggregations=indicator.disaggregations, total=self.value
        )
        if problems:
            errors["breakdown"] = problems
        if errors:
            raise ValidationError(errors)
