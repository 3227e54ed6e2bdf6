"""What the file really is (by its content, not its name), whether it is small enough,
and its rows as cells: the first sheet of a workbook, or a CSV in UTF-8 or Windows-1256."""

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.core.files.base import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

# A workbook is a zip of XML: refuse one that inflates far beyond any real sheet.
XLSX_MAX_INFLATION = 40


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the staff member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def too_large() -> ImportFileError:
    return ImportFileError(
        gettext("This file is too large: at most %(size)s.")
        % {"size": filesizeformat(settings.PARTICIPANTS_IMPORT_MAX_BYTES)}
    )


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return {"[Content_Types].xml", "xl/workbook.xml"} <= names


def _not_xlsx() -> ImportFileError:
    return ImportFileError(
        gettext(
            "This file is not a real Excel workbook (.xlsx). Save it again from your "
            "spreadsheet program as .xlsx or .csv."
        )
    )


def _unreadable() -> ImportFileError:
    return ImportFileError(
        gettext(
            "This Excel workbook could not be read. Save it again from your "
            "spreadsheet program as .xlsx or .csv."
        )
    )


def _xlsx_rows(data: bytes) -> Iterator[Sequence[object]]:
    import openpyxl

    # data_only=False: a formula is read as its text ("=CONCAT(…)"), so the check can
    # say that formulas are not imported instead of taking a cached value or nothing.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        inflated = sum(info.file_size for info in archive.infolist())
    if inflated > XLSX_MAX_INFLATION * max(len(data), 64 * 1024):
        raise _not_xlsx()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a broken package
        raise _unreadable() from error
    try:
        if not workbook.worksheets:
            return
        yield from workbook.worksheets[0].iter_rows(min_row=1, values_only=True)
    except Exception as error:  # a sheet's XML can be broken past the first rows
        raise _unreadable() from error
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise ImportFileError(
            gettext(
                "This file is not a CSV text file. Save it again from your spreadsheet "
                "program as “CSV UTF-8” or as .xlsx."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on an Arabic Windows saves CSV in Windows-1256, which also holds the
        # lower-case French letters at their Windows-1252 places.
        return data.decode("cp1256", errors="replace")


def _csv_rows(data: bytes) -> Iterator[Sequence[object]]:
    text = _decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # French Excel writes ";" between cells; others "," or a tab.
    delimiter = max((";", ",", "\t"), key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        for number, row in enumerate(reader, start=1):  # noqa: B007 (used after the loop)
            yield row
    except csv.Error as error:
        raise ImportFileError(
            gettext("This CSV file could not be read near row %(row)d.") % {"row": number + 1}
        ) from error


def file_rows(uploaded: File) -> Iterator[Sequence[object]]:
    """The rows of an uploaded spreadsheet, as cells. Raises ImportFileError when the
    file is too large or is not what its name says."""
    if (uploaded.size or 0) > settings.PARTICIPANTS_IMPORT_MAX_BYTES:
        # Before reading it: the size the upload declared is enough to refuse it.
        raise too_large()
    name = uploaded.name or ""
    extension = _extension(name)
    if extension not in ("xlsx", "csv"):
        raise ImportFileError(gettext("Please choose an .xlsx or .csv file."))
    uploaded.seek(0)
    data = uploaded.read()
    if len(data) > settings.PARTICIPANTS_IMPORT_MAX_BYTES:
        raise too_large()
    if extension == "xlsx":
        if not _is_xlsx(data):
            raise _not_xlsx()
        return _xlsx_rows(data)
    if data.startswith(b"PK\x03\x04"):
        # A workbook (or any zip) renamed .csv.
        raise ImportFileError(
            gettext(
                "This file is not a CSV text file. Save it again from your spreadsheet "
                "program as “CSV UTF-8” or as .xlsx."
            )
        )
    return _csv_rows(data)
