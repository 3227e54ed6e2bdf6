"""The partner's spreadsheets: contributions and commitments of its agreements, and the
suppressed attendance of its co-organised activities, in XLSX or CSV. Text goes through
belfaa/spreadsheets.py (formulas neutralised), numbers stay numbers, and a hidden count
is written as its mark ("< 5", or "x") and never as the number."""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from belfaa.spreadsheets import XLSX_TYPE, neutralise, sheet_append
from events.models import Event
from events.selectors import attendance_categories, co_organised_attendance, co_organised_events
from partners.selectors import organisation_commitments, organisation_contributions
from portal.access import PortalRequest, member_required
from programs.suppression import Cell, SuppressedTable, cell_value, suppress_table

type Sheet = tuple[str, list[str], list[list[object]]]


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


def money_sheets(organisation_id: int) -> list[Sheet]:
    contributions: list[list[object]] = [
        [
            row.year,
            row.agreement.reference,
            row.organisation.name,
            row.amount,
            row.currency,
            row.get_nature_display(),
            row.rate_to_mad,
            row.rate_on,
            row.amount_mad,
        ]
        for row in organisation_contributions(organisation_id)
    ]
    commitments: list[list[object]] = [
        [
            row.agreement.reference,
            row.description,
            row.organisation.name,
            row.due_on,
            row.get_status_display(),
            row.done_on,
        ]
        for row in organisation_commitments(organisation_id)
    ]
    return [
        (
            _("Contributions"),
            [
                _("Year"),
                _("Agreement"),
                _("Party"),
                _("Amount"),
                _("Currency"),
                _("Cash or in kind"),
                _("Rate to MAD"),
                _("Date of the rate"),
                _("Amount in MAD"),
            ],
            contributions,
        ),
        (
            _("Commitments"),
            [_("Agreement"), _("What"), _("By"), _("Due on"), _("Status"), _("Done on")],
            commitments,
        ),
    ]


def attendance_sheets(organisation_id: int) -> list[Sheet]:
    events, breakdowns = attendance_breakdowns(organisation_id)
    sheets: list[Sheet] = []
    for breakdown in breakdowns:
        header = [_("Activity"), _("Date")] + [label for _v, label in breakdown.columns]
        header.append(_("Total"))
        rows: list[list[object]] = []
        for event, cells, total in breakdown.lines(events):
            line: list[object] = [event.title, event.starts_at.date()]
            line += [cell_value(value) for value in cells]
            line.append(cell_value(total) if total is not None else "")
            rows.append(line)
        footer: list[object] = [_("Total"), ""]
        footer += [cell_value(value) for value in breakdown.footer()]
        footer.append(
            cell_value(breakdown.table.total) if breakdown.table.total is not None else ""
        )
        rows.append(footer)
        sheets.append((str(breakdown.label), header, rows))
    return sheets


def _response(sheets: Sequence[Sheet], *, name: str, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        book = Workbook()
        book.remove(book.active)  # type: ignore[arg-type]
        for title, header, rows in sheets:
            sheet = book.create_sheet(title[:31])
            sheet_append(sheet, header)
            for row in rows:
                sheet_append(sheet, row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response)
        for title, header, rows in sheets:
            writer.writerow([neutralise(title)])
            writer.writerow([neutralise(value) for value in header])
            writer.writerows(_csv_rows(rows))
            writer.writerow([])
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _csv_rows(rows: Iterable[list[object]]) -> Iterable[list[object]]:
    for row in rows:
        yield [neutralise("" if value is None else value) for value in row]


@member_required
def money_export(request: PortalRequest, fmt: str) -> HttpResponse:
    sheets = money_sheets(request.organisation.pk)
    return _response(sheets, name="contributions-commitments", fmt=fmt)


@member_required
def attendance_export(request: PortalRequest, fmt: str) -> HttpResponse:
    sheets = attendance_sheets(request.organisation.pk)
    return _response(sheets, name="attendance", fmt=fmt)
