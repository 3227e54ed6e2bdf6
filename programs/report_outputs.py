"""The four files of a PAC report, all drawn from one computed `Report`: HTML (the
admin's page and a file), PDF (WeasyPrint with the project's fonts), XLSX (a sheet per
section, numbers as numbers, the first header frozen) and CSV (one figure per line).

Data files keep the figures as numbers and the texts as they are (no isolates: a value
copied from them is the value); text a spreadsheet would run as a formula is quoted
(belfaa/spreadsheets.py)."""

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from belfaa.bidi import without_isolates
from belfaa.pdf import html_document
from belfaa.spreadsheets import XLSX_TYPE, neutralise, sheet_append
from programs.report_data import Cell, Report
from programs.suppression import Suppressed, cell_value

CSS_FILE = Path(settings.BASE_DIR) / "static" / "css" / "report.css"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": XLSX_TYPE,
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


def report_fingerprint(report: Report) -> str:
    """A hash of everything the report shows (figures, labels, notes, charts): two
    reports with the same fingerprint give the same files."""

    def default(value: object) -> object:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, Suppressed):
            return cell_value(value)
        if isinstance(value, frozenset):
            return sorted(value)
        raise TypeError(type(value))

    from dataclasses import asdict

    text = json.dumps(asdict(report), default=default, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def report_html(report: Report, *, document: bool = True) -> str:
    """The report as HTML: a whole document (the HTML file, the PDF's source) or the
    part the admin's page shows."""
    with translation.override(report.language):
        context = {
            "report": report,
            "bidi": translation.get_language_bidi(),
            "css": CSS_FILE.read_text(encoding="utf-8"),
        }
        template = "programs/report/document.html" if document else "programs/report/body.html"
        return render_to_string(template, context)


def report_pdf(report: Report) -> bytes:
    with translation.override(report.language):
        html = render_to_string(
            "programs/report/document.html",
            {
                "report": report,
                "bidi": translation.get_language_bidi(),
                "css": CSS_FILE.read_text(encoding="utf-8"),
                "pdf": True,
            },
        )
    pdf: bytes = html_document(html).write_pdf()
    return pdf


def _data_value(value: Cell) -> object:
    """A cell of a data file: numbers as numbers, hidden counts as their marks, texts
    without the isolates that keep "2021-2027" in order on an Arabic page."""
    if isinstance(value, Suppressed):
        return cell_value(value)
    if isinstance(value, str):
        return without_isolates(value)
    return "" if value is None else value


def _data_row(values: Iterable[Cell]) -> list[object]:
    return [_data_value(value) for value in values]


def report_lines(report: Report) -> Iterator[tuple[str, str, str, str, object]]:
    """Every figure as (section, table, line, column, value): the CSV's lines."""
    for section in report.sections:
        for table in section.tables:
            for row in table.rows:
                line = " · ".join(str(row[index]) for index in table.key_columns)
                for index, header in enumerate(table.columns):
                    if index in table.key_columns:
                        continue
                    yield (
                        without_isolates(section.title),
                        without_isolates(table.title),
                        without_isolates(line),
                        without_isolates(header),
                        _data_value(row[index]),
                    )


def report_csv(report: Report) -> bytes:
    with translation.override(report.language):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([_("Section"), _("Table"), _("Line"), _("Column"), _("Value")])
        for line in report_lines(report):
            writer.writerow([neutralise(value) for value in line])
    # A byte-order mark, so that spreadsheets open the Arabic as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, used: set[str]) -> str:
    base = SHEET_FORBIDDEN.sub(" ", title).strip()[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name.lower())
    return name


def report_xlsx(report: Report) -> bytes:
    with translation.override(report.language):
        book = Workbook()
        used: set[str] = set()
        first = True
        bold = Font(bold=True)
        for section in report.sections:
            sheet = book.active if first else book.create_sheet()
            assert sheet is not None
            first = False
            sheet.title = _sheet_title(without_isolates(section.title), used)
            sheet.sheet_view.rightToLeft = translation.get_language_bidi()
            for number, table in enumerate(section.tables):
                if number:
                    sheet_append(sheet, [])
                    sheet_append(sheet, _data_row([table.title]))
                    sheet[sheet.max_row][0].font = bold
                sheet_append(sheet, _data_row(table.columns))
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
                if number == 0:
                    # The first table's header (and the labels' column) stay in view.
                    sheet.freeze_panes = f"B{sheet.max_row + 1}"
                for row in table.rows:
                    sheet_append(sheet, _data_row(row))
            sheet.column_dimensions["A"].width = 42
        notes = book.active if first else book.create_sheet()
        assert notes is not None
        notes.title = _sheet_title(_("Notes"), used)
        notes.sheet_view.rightToLeft = translation.get_language_bidi()
        sheet_append(notes, _data_row([report.title]))
        notes["A1"].font = bold
        notes.freeze_panes = "A2"
        for note in report.notes:
            sheet_append(notes, _data_row([note]))
        notes.column_dimensions["A"].width = 120
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


RENDERERS = {"pdf": report_pdf, "xlsx": report_xlsx, "csv": report_csv, "html": report_html}


def report_render(report: Report, file_format: str) -> bytes:
    """The report in one of the formats of CONTENT_TYPES."""
    if file_format == "html":
        return report_html(report).encode("utf-8")
    return RENDERERS[file_format](report)  # type: ignore[operator]
