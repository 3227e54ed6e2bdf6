"""The PAC report's section "what we heard and what we did": the concerns and
proposals of the year's meetings by theme, with the share of concerns a programme
answers, registered with the report from EventsConfig.ready."""

from decimal import Decimal

from django.utils.translation import gettext as _

from events.measures import events_held
from events.models import Event, MeetingOutcome
from programs.report_data import Cell, Scope, Section, Table, section_register
from programs.report_sections import (
    Column,
    breakdown_table,
    counts,
    measure_or_none,
    periods,
    share,
)


def heard_section(scope: Scope) -> Section | None:
    measure = measure_or_none("events.meeting_outcomes", scope)
    if measure is None:
        return None
    now, before = periods(scope)
    previous = scope.previous()
    concerns = counts(measure, scope, "theme", kind=MeetingOutcome.Kind.CONCERN)
    answered = counts(measure, scope, "theme", kind=MeetingOutcome.Kind.CONCERN, answered="yes")
    by_theme = breakdown_table(
        title=_("Concerns and proposals by theme"),
        first=_("Theme"),
        measure=measure,
        by="theme",
        columns=[
            Column(_("Concerns %(period)s") % {"period": now}, concerns),
            Column(_("Answered by a programme %(period)s") % {"period": now}, answered),
            Column(
                _("Proposals %(period)s") % {"period": now},
                counts(measure, scope, "theme", kind=MeetingOutcome.Kind.PROPOSAL),
            ),
            Column(
                _("Concerns %(period)s") % {"period": before},
                counts(measure, previous, "theme", kind=MeetingOutcome.Kind.CONCERN),
            ),
        ],
        scope=scope,
    )
    # The share of answered concerns, per theme and in all, from the same counts.
    rows: list[list[Cell]] = []
    for line, code in zip(by_theme.rows, [*MeetingOutcome.Theme.values, None], strict=False):
        if code is None:
            part, whole = sum(answered.values()), sum(concerns.values())
        else:
            part, whole = answered.get(code, 0), concerns.get(code, 0)
        value: Decimal | None = share(part, whole)
        hidden = scope.organisation_id is not None and any(
            not isinstance(cell, int) for cell in line[1:3]
        )
        rows.append([*line, None if hidden else value])
    table = Table(
        title=by_theme.title,
        columns=[*by_theme.columns, _("Share of concerns answered (%)")],
        rows=rows,
        numeric=frozenset(range(1, len(by_theme.columns) + 1)),
    )
    tables = [table]
    if scope.organisation_id is None:
        tables.append(_heard_list(scope))
    return Section(
        key="heard",
        title=_("What we heard and what we did"),
        tables=tables,
        paragraphs=[
            _(
                "Concerns raised and proposals made in the meetings / dialogues between "
                "local youth and newcomers, recorded by staff without personal data; a "
                "concern is answered when a programme of the plan takes it up."
            )
        ],
    )


def _heard_list(scope: Scope) -> Table:
    """Each concern and proposal with its follow-up (one query, text in the report's
    language where staff gave a translation)."""
    start, end = scope.dates()
    rows = (
        MeetingOutcome.objects.filter(event__in=events_held(start, end, Event.Kind.MEETING))
        .select_related("programme")
        .order_by("theme", "kind", "pk")
    )
    lines: list[list[Cell]] = []
    for outcome in rows:
        if outcome.programme is not None:
            follow_up = str(outcome.programme)
        else:
            follow_up = outcome.no_answer_reason or _("no follow-up decided yet")
        lines.append(
            [
                outcome.get_theme_display(),
                outcome.get_kind_display(),
                outcome.get_raised_by_display(),
                outcome.text,
                follow_up,
            ]
        )
    return Table(
        title=_("What was said, and the follow-up"),
        columns=[
            _("Theme"),
            _("Concern or proposal"),
            _("Raised by"),
            _("What was said"),
            _("Follow-up"),
        ],
        rows=lines,
        key_columns=(0, 3),
    )


def sections_register() -> None:
    section_register("heard", order=70, builder=heard_section)
