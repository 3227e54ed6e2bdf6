"""Business rules that write, as typed functions with keyword-only arguments,
named <thing>_<verb> (docs/architecture.md), and the checks across several rows that
the admin's forms and formsets call, so that a crafted POST meets the same rules."""

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from belfaa.bidi import ltr_text
from programs.models import (
    BudgetLine,
    Evaluation,
    Indicator,
    IndicatorTarget,
    ManualResult,
    PlanPeriod,
    Programme,
)

if TYPE_CHECKING:
    from belfaa.models import User

APPROVE_PERMISSION = "programs.approve_manualresult"


def plan_period_check(
    *, commune_id: int, start_year: int, end_year: int, pk: int | None = None
) -> None:
    """A plan's years never overlap another plan of the same commune, and a plan whose
    years change keeps every year already planned inside it."""
    others = PlanPeriod.objects.filter(
        commune=commune_id, start_year__lte=end_year, end_year__gte=start_year
    )
    if pk is not None:
        others = others.exclude(pk=pk)
    overlapping = others.first()
    if overlapping is not None:
        raise ValidationError(
            _("These years overlap the plan “%(title)s” (%(years)s) of the same commune.")
            % {
                "title": overlapping.title,
                "years": ltr_text(f"{overlapping.start_year}-{overlapping.end_year}"),
            },
            code="overlap",
        )
    if pk is None:
        return
    outside = ~Q(year__range=(start_year, end_year))
    lines = BudgetLine.objects.filter(outside, programme__period_id=pk)
    targets = IndicatorTarget.objects.filter(outside, indicator__programme__period_id=pk)
    results = ManualResult.objects.filter(outside, indicator__programme__period_id=pk)
    evaluations = Evaluation.objects.filter(outside, programme__period_id=pk)
    planned = Programme.objects.filter(
        Q(planned_start__lt=start_year)
        | Q(planned_end__gt=end_year)
        | Q(pk__in=lines.values("programme_id"))
        | Q(pk__in=targets.values("indicator__programme_id"))
        | Q(pk__in=results.values("indicator__programme_id"))
        | Q(pk__in=evaluations.values("programme_id")),
        period_id=pk,
    ).first()
    if planned is not None:
        raise ValidationError(
            _("The programme “%(programme)s” plans years outside %(years)s: change it first.")
            % {"programme": planned, "years": ltr_text(f"{start_year}-{end_year}")},
            code="planned_outside",
        )


@transaction.atomic
def plan_period_make_current(*, period: PlanPeriod) -> PlanPeriod:
    """This plan becomes its commune's current one; the previous one no longer is."""
    PlanPeriod.objects.filter(commune_id=period.commune_id, is_current=True).exclude(
        pk=period.pk
    ).update(is_current=False)
    period.is_current = True
    period.save(update_fields=["is_current"])
    return period


def years_in_plan_check(*, period: PlanPeriod | None, years: Iterable[int | None]) -> None:
    """Each row's year inside the plan (budget lines, targets), each year once."""
    errors: list[ValidationError] = []
    listed = [year for year in years if year is not None]
    if period is not None:
        errors += [
            ValidationError(message, code="outside_plan")
            for year in dict.fromkeys(listed)
            if (message := period.year_error(year))
        ]
    errors += [
        ValidationError(
            _("The year %(year)s is given twice.") % {"year": ltr_text(str(year))}, code="twice"
        )
        for year, times in Counter(listed).items()
        if times > 1
    ]
    if errors:
        raise ValidationError(errors)


def budget_lines_check(*, period: PlanPeriod | None, lines: Iterable[tuple[int, str]]) -> None:
    """A programme's budget: years inside its plan, one line per year and source."""
    lines = list(lines)
    errors: list[ValidationError] = []
    if period is not None:
        errors += [
            ValidationError(message, code="outside_plan")
            for year in dict.fromkeys(year for year, _source in lines)
            if (message := period.year_error(year))
        ]
    errors += [
        ValidationError(
            _("The year %(year)s has two lines for the same source.")
            % {"year": ltr_text(str(year))},
            code="twice",
        )
        for (year, _source), times in Counter(lines).items()
        if times > 1
    ]
    if errors:
        raise ValidationError(errors)


def _recorded(result: ManualResult, *, by: "User") -> ManualResult:
    # The approval belongs to the values approved: a new version waits for a new one,
    # and the history (simple_history) keeps the approved version as it was.
    result.entered_by = by
    result.approved_by = None
    result.approved_at = None
    result.full_clean()
    result.save()
    return result


@transaction.atomic
def result_enter(
    *,
    indicator: Indicator,
    year: int,
    value: Decimal,
    by: "User",
    breakdown: dict[str, dict[str, int | str]] | None = None,
    evidence: File | None = None,
    source_note: str = "",
) -> ManualResult:
    """A result entered by hand; it counts in the report once another staff member
    approves it."""
    result = ManualResult(
        indicator=indicator,
        year=year,
        value=value,
        breakdown=breakdown or {},
        source_note=source_note,
    )
    if evidence is not None:
        result.evidence = evidence
    return _recorded(result, by=by)


@transaction.atomic
def result_change(*, result: ManualResult, by: "User", **changes: object) -> ManualResult:
    """A new version of a result (fields given in `changes`, or already set on it by a
    form): its author is `by` and it needs a new approval."""
    if result.pk is not None:
        ManualResult.objects.select_for_update().filter(pk=result.pk).first()
    for name, value in changes.items():
        setattr(result, name, value)
    return _recorded(result, by=by)


@transaction.atomic
def result_approve(*, result: ManualResult, by: "User") -> ManualResult:
    """Four eyes: another staff member than its author, holding the permission to
    approve, approves the result as it stands."""
    locked = ManualResult.objects.select_for_update().get(pk=result.pk)
    if not (by.is_staff and by.has_perm(APPROVE_PERMISSION)):
        raise ValidationError(_("You may not approve results."), code="not_allowed")
    if locked.entered_by_id == by.pk:
        raise ValidationError(
            _("You entered this result: another staff member must approve it."),
            code="self_approval",
        )
    if locked.is_approved:
        raise ValidationError(_("This result is approved already."), code="approved")
    locked.approved_by = by
    locked.approved_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["approved_by", "approved_at"])
    return locked
