"""The activities the partner's organisation co-organises, with attendance figures
only: distinct people who came, by group, sex and age band, with small cells hidden
(programs/suppression.py). No name, contact or registration is ever read here."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from events.models import Event
from events.selectors import attendance_categories, co_organised_attendance, co_organised_events
from portal.access import member_required
from programs.suppression import Cell, SuppressedTable, suppress_table


@dataclass(frozen=True)
class Breakdown:
    code: str
    label: str
    columns: list[tuple[str, str]]
    table: SuppressedTable[int, str]

    def lines(self, events: list[Event]) -> list[tuple[Event, list[Cell], Cell | None]]:
        """Each activity with its cells in column order and its total."""
        totals = self.table.row_totals or {}
        return [
            (
                event,
                [self.table.cells[event.pk][value] for value, _label in self.columns],
                totals.get(event.pk),
            )
            for event in events
        ]

    def footer(self) -> list[Cell]:
        totals = self.table.column_totals or {}
        return [totals[value] for value, _label in self.columns]


def attendance_breakdowns(organisation_id: int) -> tuple[list[Event], list[Breakdown]]:
    """The organisation's co-organised activities and, per dimension, a suppressed
    table (rows: activities, columns: categories, with totals). A fixed number of
    queries: one for the activities, one grouped query per dimension."""
    events = co_organised_events(organisation_id)
    counts = co_organised_attendance(organisation_id)
    categories = attendance_categories()
    labels = {"group": _("By group"), "sex": _("By sex"), "age_band": _("By age band")}
    breakdowns = []
    for code, columns in categories.items():
        rows = {event.pk: counts[code].get(event.pk, {}) for event in events}
        table = suppress_table(rows, columns=[value for value, _label in columns])
        breakdowns.append(Breakdown(code, labels[code], columns, table))
    return events, breakdowns


@member_required
def activity_list(request: HttpRequest) -> HttpResponse:
    events, breakdowns = attendance_breakdowns(request.organisation.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "portal/activities/list.html",
        {
            "events": events,
            "breakdowns": [(b, b.lines(events), b.footer()) for b in breakdowns],
        },
    )


def _export(request: HttpRequest, fmt: str) -> HttpResponse:
    from portal.exports import attendance_export

    return attendance_export(request, fmt)


urlpatterns = [
    path("", activity_list, name="activities"),
    path("export.<str:fmt>", _export, name="activities_export"),
]
