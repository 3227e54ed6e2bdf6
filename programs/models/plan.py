"""The commune, its action plan (PAC) and what the plan is made of: strategic axes,
programmes aligned with the national strategy (SNIA), their budget and their projects."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from belfaa.bidi import ltr_text


class Commune(models.Model):
    """The commune this platform serves (one row per deployment, as a rule)."""

    name = models.CharField(_("name"), max_length=120)
    province = models.CharField(_("province"), max_length=120, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class PlanPeriod(models.Model):
    """A commune action plan (PAC): six years as a rule; the years are data. Plans of
    one commune never overlap (programs.services.plan_period_check) and one of them is
    the current one."""

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="plan_periods", verbose_name=_("commune")
    )
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    is_current = models.BooleanField(
        _("current plan"), default=False, help_text=_("The plan the commune carries out now.")
    )

    class Meta:
        verbose_name = _("commune action plan")
        verbose_name_plural = _("commune action plans")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="planperiod_end_after_start",
                violation_error_message=_("The last year cannot come before the first year."),
            ),
            models.UniqueConstraint(
                fields=["commune"],
                condition=Q(is_current=True),
                name="planperiod_one_current",
                violation_error_message=_("The commune already has a current action plan."),
            ),
        ]

    def __str__(self) -> str:
        # Shown in lists and <select> options, where no markup goes: isolates keep
        # "2021-2027" from reading "2027-2021" after an Arabic title.
        return f"{self.title} ({ltr_text(f'{self.start_year}-{self.end_year}')})"

    def covers(self, year: int | None) -> bool:
        return year is not None and self.start_year <= year <= self.end_year

    def year_error(self, year: int | None) -> str | None:
        """The message for a year outside the plan, or None when it is inside."""
        if year is None or self.covers(year):
            return None
        return str(
            _("%(year)s is outside the plan, which runs from %(start)s to %(end)s.")
            % {
                "year": ltr_text(str(year)),
                "start": ltr_text(str(self.start_year)),
                "end": ltr_text(str(self.end_year)),
            }
        )


class Axis(models.Model):
    """A strategic axis of the plan (migration, for instance), grouping programmes."""

    period = models.ForeignKey(
        PlanPeriod, on_delete=models.CASCADE, related_name="axes", verbose_name=_("action plan")
    )
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("strategic axis")
        verbose_name_plural = _("strategic axes")
        ordering = ["period", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class SNIAProgramme(models.Model):
    """A programme of the National Strategy on Immigration and Asylum (SNIA, 2014):
    the list is data, seeded by the migration 0003."""

    class Kind(models.TextChoices):
        SECTORAL = "sectoral", _("sectoral programme")
        CROSS_CUTTING = "cross_cutting", _("cross-cutting programme")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("SNIA programme")
        verbose_name_plural = _("SNIA programmes")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class Status(models.TextChoices):
    """Where a programme or a project stands, as the yearly evaluation reports it."""

    NOT_STARTED = "not_started", _("not started")
    UNDER_WAY = "under_way", _("under way")
    STALLED = "stalled", _("stalled")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


def _completion_constraint(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(completion__gte=0, completion__lte=100),
        name=f"{prefix}_completion_percent",
        violation_error_message=_("The completion rate is a percentage, from 0 to 100."),
    )


def _progress_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        _completion_constraint(prefix),
        models.CheckConstraint(
            condition=Q(planned_start__isnull=True)
            | Q(planned_end__isnull=True)
            | Q(planned_end__gte=F("planned_start")),
            name=f"{prefix}_planned_end_after_start",
            violation_error_message=_("The planned end cannot come before the planned start."),
        ),
    ]


class Progress(models.Model):
    """What programmes and projects share: planned years, status, completion."""

    planned_start = models.PositiveSmallIntegerField(
        _("planned start (year)"), null=True, blank=True
    )
    planned_end = models.PositiveSmallIntegerField(_("planned end (year)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    completion = models.PositiveSmallIntegerField(
        _("completion rate (%)"), default=0, help_text=_("From 0 to 100.")
    )

    class Meta:
        abstract = True

    def plan_period(self) -> PlanPeriod | None:
        raise NotImplementedError

    def clean(self) -> None:
        super().clean()
        period = self.plan_period()
        if period is None:
            return
        errors = {
            name: message
            for name in ("planned_start", "planned_end")
            if (message := period.year_error(getattr(self, name)))
        }
        if errors:
            raise ValidationError(errors)


class Programme(Progress):
    """A programme of the action plan, aligned with the national strategy (SNIA)."""

    period = models.ForeignKey(
        PlanPeriod,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("commune action plan"),
    )
    axis = models.ForeignKey(
        Axis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("strategic axis"),
    )
    snia_programme = models.ForeignKey(
        SNIAProgramme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("SNIA programme served"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"is_staff": True},
        related_name="+",
        verbose_name=_("responsible staff member"),
    )
    code = models.SlugField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["period", "code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="programme_code_unique"),
            *_progress_constraints("programme"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    def plan_period(self) -> PlanPeriod | None:
        return getattr(self, "period", None)

    def clean(self) -> None:
        super().clean()
        if self.axis is not None and self.period_id and self.axis.period_id != self.period_id:
            raise ValidationError({"axis": _("This axis belongs to another action plan.")})
        if self.responsible is not None and not self.responsible.is_staff:
            raise ValidationError({"responsible": _("The responsible person must be staff.")})


class Project(Progress):
    """An action within a programme, where the commune plans at that level."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="projects", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["programme", "pk"]
        constraints = _progress_constraints("project")

    def __str__(self) -> str:
        return self.title

    def plan_period(self) -> PlanPeriod | None:
        programme = getattr(self, "programme", None)
        return getattr(programme, "period", None)


def _check_plan_year(row: "Evaluation | BudgetLine") -> None:
    """A row of a programme's year: the year lies inside the programme's plan."""
    period = getattr(getattr(row, "programme", None), "period", None)
    if period is not None and (message := period.year_error(row.year)):
        raise ValidationError({"year": message})


class Evaluation(models.Model):
    """A programme's yearly evaluation: where it stood at the end of a year. The report
    of a past year reads it, since the programme's own status is today's."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("programme"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    completion = models.PositiveSmallIntegerField(
        _("completion rate (%)"), help_text=_("From 0 to 100.")
    )
    projects_done = models.PositiveSmallIntegerField(_("projects done"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yearly evaluation")
        verbose_name_plural = _("yearly evaluations")
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year"],
                name="evaluation_one_per_year",
                violation_error_message=_(
                    "This programme already has an evaluation for this year."
                ),
            ),
            _completion_constraint("evaluation"),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.year}"

    def clean(self) -> None:
        super().clean()
        _check_plan_year(self)


def evaluation_missing(year: int) -> Q:
    """Programmes of a current plan covering `year` with no evaluation of that year: the
    dashboard's panel and the programmes list's filter."""
    return Q(
        period__is_current=True, period__start_year__lte=year, period__end_year__gte=year
    ) & ~Q(evaluations__year=year)


class BudgetLine(models.Model):
    """What the plan sets aside for a programme in a year, by source of funds."""

    class Source(models.TextChoices):
        OWN = "own", _("own funds")
        PARTNERSHIP = "partnership", _("partnership")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("programme"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source of funds"), max_length=12, choices=Source.choices)
    amount = models.DecimalField(_("amount (MAD)"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["programme", "year", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "source"],
                name="budgetline_one_per_year_and_source",
                violation_error_message=_(
                    "This programme already has a budget line for this year and source."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="budgetline_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(source__in=["own", "partnership"]),
                name="budgetline_source_known",
                violation_error_message=_("Choose own funds or partnership."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.year} {self.get_source_display()}"

    def clean(self) -> None:
        super().clean()
        _check_plan_year(self)
