"""The PAC report for one year, or for the plan so far: `report_build` computes it once
into a `Report` (programs/report_data.py), which every output draws from.

The sections are those registered (programs' own in report_sections.py, the plan's,
and those of the apps above, e.g. what people said in the meetings), built in their
order inside `translation.override(language)`, so every label is in the report's
language whatever the language of the request or the worker."""

from dataclasses import replace

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from programs.models import PlanPeriod
from programs.report_data import Report, Scope, registered_sections


class ReportError(ValueError):
    """A report that cannot be made as asked; the message says why, translated."""


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def year_choices() -> list[tuple[int, int]]:
    """The years of every plan, latest first, for the forms that ask for one."""
    years: set[int] = set()
    for start, end in PlanPeriod.objects.values_list("start_year", "end_year"):
        years.update(range(start, end + 1))
    return [(year, year) for year in sorted(years, reverse=True)]


def plan_of(year: int) -> PlanPeriod | None:
    """The action plan whose years include `year` (plans of one commune never overlap)."""
    return (
        PlanPeriod.objects.select_related("commune")
        .filter(start_year__lte=year, end_year__gte=year)
        .order_by("start_year", "pk")
        .first()
    )


def scope_check(scope: Scope) -> Scope:
    """The scope with its plan's first year, or ReportError for a year in no plan."""
    plan = plan_of(scope.year)
    if plan is None:
        raise ReportError(
            _("No commune action plan covers the year %(year)s.") % {"year": scope.year}
        )
    return replace(scope, plan_start=plan.start_year)


def report_build(scope: Scope, language: str) -> Report:
    """Every figure of the report, computed once, labelled in `language`."""
    if language not in languages():
        raise ReportError(_("Unknown language: %(language)s.") % {"language": language})
    with translation.override(language):
        scope = scope_check(scope)
        plan = plan_of(scope.year)
        assert plan is not None
        sections = []
        for _order, _key, builder in registered_sections():
            section = builder(scope)
            if section is not None:
                sections.append(section)
        if scope.cumulative:
            title = _("Commune action plan report, %(plan)s, the plan so far (%(period)s)")
        else:
            title = _("Commune action plan report, %(plan)s, year %(period)s")
        return Report(
            title=title % {"plan": plan.title, "period": scope.label()},
            scope=scope,
            language=language,
            sections=sections,
            notes=report_notes(scope, plan),
        )


def report_notes(scope: Scope, plan: PlanPeriod) -> list[str]:
    """The notes page: what is counted and how."""
    notes = [
        _("Plan: %(plan)s, years %(years)s.")
        % {"plan": plan.title, "years": f"{plan.start_year}-{plan.end_year}"},
        _(
            "Figures are for the calendar year (1 January to 31 December), or for the plan "
            "so far in the cumulative report, with the same figures one year earlier beside "
            "them. They are counted from the records when the report is generated."
        ),
        _(
            "A person who withdrew their consent to being counted in statistics, and has "
            "not given it again, is left out of every figure of people and support "
            "requests. Erased records are counted: erasure removes names, contacts and "
            "notes but keeps group, sex, birth year and nationality, so that the figures "
            "stay right. A record merged into another is counted once."
        ),
        _(
            "People who took part in activities are counted once per period, however many "
            "activities they came to, including after their names and contacts were wiped."
        ),
        _(
            "A programme's status, completion and projects done are those of its yearly "
            "evaluation of the year, or today's where it has none."
        ),
        _("Numbers use Western digits in every language; amounts are in dirhams (MAD)."),
    ]
    if scope.organisation_id is not None:
        notes.append(
            _(
                "Partner version: only the activities, agreements and referrals of the "
                "partner. Counts from 1 to %(k)s are shown as “< %(limit)s”, and a few "
                "others as “x” so that a hidden count cannot be worked out from the totals."
            )
            % {"k": settings.SMALL_CELL_K - 1, "limit": settings.SMALL_CELL_K}
        )
    return notes
