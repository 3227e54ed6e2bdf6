"""Writing cells people will open in a spreadsheet: text a spreadsheet would read as a
formula (CSV/DDE injection) is quoted, numbers and dates stay numbers and dates."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: object) -> object:
    """Text a spreadsheet would read as a formula gets a leading quote; others pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def sheet_append(sheet: Worksheet, row: Iterable[object]) -> None:
    """One row: text always as text (openpyxl stores "=..." as a formula otherwise),
    Decimal as a number with two decimals, dates as dates."""
    sheet.append([neutralise(value) for value in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
        elif isinstance(cell.value, Decimal):
            cell.number_format = "#,##0.00"
        elif isinstance(cell.value, date):
            cell.number_format = "yyyy-mm-dd"
