"""The partner's spreadsheets: contributions and commitments of its agreements, and the
suppressed attendance of its co-organised activities, in XLSX or CSV. Text goes through
belfaa/spreadsheets.py (formulas neutralised), numbers stay numbers, and a hidden count
is written as its mark ("< 5", or "x") and never as the number."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from belfaa.spreadsheets import XLSX_TYPE, neutralise, sheet_append
from partners.selectors import organisation_commitments, organisation_contributions
from portal.access import member_required
from portal.activities import attendance_breakdowns
from programs.suppression import cell_value

type Sheet = tuple[str, list[str], list[list[object]]]


def money_sheets(organisation_id: int) -> list[Sheet]:
    contributions = [
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
    commitments = [
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
def money_export(request: HttpRequest, fmt: str) -> HttpResponse:
    sheets = money_sheets(request.organisation.pk)  # type: ignore[attr-defined]
    return _response(sheets, name="contributions-commitments", fmt=fmt)


@member_required
def attendance_export(request: HttpRequest, fmt: str) -> HttpResponse:
    sheets = attendance_sheets(request.organisation.pk)  # type: ignore[attr-defined]
    return _response(sheets, name="attendance", fmt=fmt)
