from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

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
    """A commune action plan (PAC): six years as a rule; the years are data."""

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="plan_periods", verbose_name=_("commune")
    )
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        verbose_name = _("commune action plan")
        verbose_name_plural = _("commune action plans")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="planperiod_end_after_start",
                violation_error_message=_("The last year cannot come before the first year."),
            )
        ]

    def __str__(self) -> str:
        # Shown in lists and <select> options, where no markup goes: isolates keep
        # "2021-2027" from reading "2027-2021" after an Arabic title.
        return f"{self.title} ({ltr_text(f'{self.start_year}-{self.end_year}')})"


class Programme(models.Model):
    """A programme of the action plan, aligned with the national strategy (SNIA)."""

    period = models.ForeignKey(
        PlanPeriod,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("commune action plan"),
    )
    code = models.SlugField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["period", "code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="programme_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"


from programs.report_models import ReportFile  # noqa: E402, F401  (the PAC report files)
