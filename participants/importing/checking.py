"""The checks of a file's header, of each cell and each row, and the dry run that puts
reading, checking and the duplicate search together and writes nothing."""

import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext
from django_countries import countries

from belfaa.validators import clean_email, clean_person_name, clean_phone, clean_year
from participants.importing.duplicates import mark_duplicates
from participants.importing.preview import ERROR, ImportPreview, ImportRow, ImportSheet
from participants.importing.reading import ImportFileError, file_rows
from participants.importing.vocabulary import (
    ARABIC_LETTERS,
    COLUMNS,
    GROUPS,
    IMPORTABLE_FIELDS,
    NEED_SEPARATORS,
    NEEDS,
    REQUIRED_COLUMNS,
    SENSITIVE,
    SEXES,
    TOTALS,
    ambiguous_demonyms,
    country_lookup,
    fold,
)
from participants.models import Need, Participant

HEADER_SEARCH_ROWS = 10
# What a column may be read as: a field, a full name to split, or a date of birth.
MAPPED_FIELDS = (*IMPORTABLE_FIELDS, "full_name", "birth_date")
LANGUAGES_MAX = 200
# A date as typed, or as a CSV export writes a date cell (with a time of midnight).
TIME_SUFFIX = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
DATE_PATTERN = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})" + TIME_SUFFIX)
ISO_DATE_PATTERN = re.compile(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})" + TIME_SUFFIX)
# Excel counts days from 1899-12-30. A serial of five digits (with a fraction when the
# cell held a time too) is a date from 1927 on; a shorter number reads as a year.
EXCEL_SERIAL_PATTERN = re.compile(r"\d{5}(\.\d+)?")
EXCEL_EPOCH = date(1899, 12, 30)
YEAR_PATTERN = re.compile(r"\d{4}(\.0+)?")
# Words that belong to the family name that follows them, as fold() writes them.
NAME_PARTICLES = frozenset(
    ("el", "al", "ben", "bin", "bent", "ait", "ould", "abou", "abu", "de", "du", "da", "dos",
     "van", "von", "le", "la")
)  # fmt: skip


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


SHOWN_MAX = 40


def _shown(value: str) -> str:
    """A cell's text quoted in a message: short, and with no character that could hide
    or reorder the text around it."""
    value = "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cf") else c for c in value)
    return value if len(value) <= SHOWN_MAX else value[: SHOWN_MAX - 1] + "…"


def cell_shown(value: object) -> str:
    """A cell as the page shows it among a column's sample values."""
    return _shown(_text(value))


def _blank(row: Sequence[object]) -> bool:
    return all(not _text(cell) for cell in row)


def _name(raw: object, *, required: bool) -> str:
    value = "" if raw is None else str(raw)
    if not value.strip():
        if required:
            raise ValidationError(gettext("A given name is needed."), code="required")
        return ""
    return clean_person_name(value)


def _choice(raw: object, table: dict[str, str], message: str) -> str:
    value = _text(raw)
    found = table.get(fold(value))
    if found is None:
        raise ValidationError(message % {"value": _shown(value)}, code="invalid")
    return found


def _year(raw: object) -> int | None:
    value = _text(raw)
    if not value:
        return None
    if isinstance(raw, datetime | date) or _date_parts(value) is not None:
        # A whole date (or an Excel serial) in the year column: its year is what we
        # keep anyway.
        return _birth_date_year(raw)
    if not YEAR_PATTERN.fullmatch(value):
        raise ValidationError(
            gettext("“%(value)s” is not a year: write it with four digits, e.g. 1998.")
            % {"value": _shown(value)},
            code="invalid",
        )
    return clean_year(int(float(value)))


def _date_parts(value: str) -> tuple[int, int, int] | None:
    """Day, month and year of a date as staff type it, or of an Excel serial number."""
    match = DATE_PATTERN.fullmatch(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return day, month, year
    match = ISO_DATE_PATTERN.fullmatch(value)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return day, month, year
    if EXCEL_SERIAL_PATTERN.fullmatch(value):
        when = EXCEL_EPOCH + timedelta(days=int(float(value)))
        return when.day, when.month, when.year
    return None


def _birth_date_year(raw: object) -> int | None:
    if isinstance(raw, datetime | date):
        return clean_year(raw.year)
    value = _text(raw)
    if not value:
        return None
    if YEAR_PATTERN.fullmatch(value):
        # A year alone in a date column: the year is all we keep anyway.
        return clean_year(int(float(value)))
    parts = _date_parts(value)
    try:
        if parts is None:
            raise ValueError(value)
        day, month, year = parts
        date(year, month, day)
    except ValueError:
        raise ValidationError(
            gettext("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 23/04/1998.")
            % {"value": _shown(value)},
            code="invalid",
        ) from None
    return clean_year(year)


def split_full_name(value: str) -> tuple[str, str]:
    """Given and family name from one full-name cell, by the conventions staff use: a
    comma ("Keita, Fanta"), a family name in capitals before or after the given name
    ("KEITA Fanta", "Fanta KEITA"), otherwise the last word and the particles before it
    ("El", "Ben", "Ait", "Ould", "de"…) for Latin script. Arabic
    script has no capitals and no fixed order in these lists, so the whole name stays
    as typed, in the given-name field (the one field a person always has)."""
    value = " ".join(value.split())
    if not value:
        return "", ""
    if "," in value:
        family, _, given = value.partition(",")
        return given.strip(), family.strip()
    if ARABIC_LETTERS.search(value):
        return value, ""
    words = value.split(" ")
    if len(words) == 1:
        return value, ""
    capitals = [w.isupper() and any(c.isalpha() for c in w) for w in words]
    if capitals[0] and not all(capitals):
        count = capitals.index(False)
        return " ".join(words[count:]), " ".join(words[:count])
    if capitals[-1] and not all(capitals):
        count = capitals[::-1].index(False)
        return " ".join(words[:-count]), " ".join(words[-count:])
    # The last word, with the particles before it: "Youssef El Amrani" is El Amrani.
    count = 1
    while count < len(words) - 1 and fold(words[-count - 1]) in NAME_PARTICLES:
        count += 1
    return " ".join(words[:-count]), " ".join(words[-count:])


def _nationality(raw: object) -> str:
    value = _text(raw)
    if not value:
        return ""
    code = country_lookup().get(fold(value))
    choices = ambiguous_demonyms().get(fold(value))
    if code is None and choices:
        raise ValidationError(
            gettext(
                "“%(value)s” may mean more than one country: %(choices)s. Write the "
                "country's name or its ISO code."
            )
            % {
                "value": _shown(value),
                "choices": ", ".join(f"{countries.name(choice)} ({choice})" for choice in choices),
            },
            code="ambiguous",
        )
    if code is None:
        raise ValidationError(
            gettext(
                "Unknown country “%(value)s”: write its name (in French, English or Arabic) "
                "or its ISO code, e.g. SN."
            )
            % {"value": _shown(value)},
            code="invalid",
        )
    return code


def _phone(raw: object) -> str:
    # A number typed into a number cell loses its leading 0; the Moroccan default
    # region puts it back together (612345678 is 0612345678).
    return clean_phone(_text(raw))


def _languages(raw: object) -> str:
    value = " ".join(_text(raw).split())
    if len(value) > LANGUAGES_MAX:
        raise ValidationError(
            gettext("At most %(max)d characters.") % {"max": LANGUAGES_MAX}, code="max_length"
        )
    return value


def _needs(raw: object) -> list[str]:
    found: list[str] = []
    for part in NEED_SEPARATORS.split(_text(raw)):
        if not part.strip():
            continue
        need = NEEDS.get(fold(part))
        if need is None:
            raise ValidationError(
                gettext("Unknown need “%(value)s”. The needs are: %(known)s.")
                % {"value": _shown(part.strip()), "known": ", ".join(str(n.label) for n in Need)},
                code="invalid",
            )
        if need not in found:
            found.append(need)
    return found


def _group_message() -> str:
    return gettext("Unknown group “%(value)s”: write newcomer, MRE, local youth or other.")


def _sex_message() -> str:
    return gettext(
        "Unknown sex “%(value)s”: write F or M (femme/homme, أنثى/ذكر), or leave the cell empty."
    )


def _messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


# --- The dry run --------------------------------------------------------------


def _label(name: str) -> str:
    model_field = Participant._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    return str(capfirst(model_field.verbose_name))


def _header(rows: Iterator[Sequence[object]]) -> tuple[int, list[str]]:
    """The row number and cells of the header: the first row naming a given-name column,
    among the first rows that are not blank; else the one of them naming most columns
    (the staff member then says which column is which)."""
    seen = 0
    best: tuple[int, list[str], int] = (0, [], 0)
    for number, row in enumerate(rows, start=1):
        if _blank(row):
            continue
        cells = [_text(cell) for cell in row]
        known = {COLUMNS[fold(cell)] for cell in cells if fold(cell) in COLUMNS}
        if {"given_name", "full_name"} & known:
            return number, cells
        if len(known) > best[2]:
            best = (number, cells, len(known))
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    number, cells, known_count = best
    if known_count:
        return number, cells
    raise ImportFileError(
        gettext(
            "No header row was found: the first row must name the columns, for example "
            "given name, family name, sex, group."
        )
    )


def _columns(
    header: list[str], mapping: dict[int, str] | None
) -> tuple[dict[str, int], list[str], list[str], list[tuple[str, str]]]:
    """Field → position, by the header's names or by the staff member's mapping (column
    index → field), the header cells left out (other, and sensitive), and the pairs of
    header cells that name the same field (the staff member then chooses: nothing is
    guessed). A sensitive column is never read, whatever a mapping says."""
    positions: dict[str, int] = {}
    ignored: list[str] = []
    sensitive: list[str] = []
    doubled: list[tuple[str, str]] = []
    for position, cell in enumerate(header):
        key = fold(cell)
        if key in SENSITIVE:
            sensitive.append(cell)
            continue
        if mapping is not None:
            field_name = mapping.get(position)
            if field_name not in MAPPED_FIELDS or field_name in positions:
                field_name = None
        else:
            field_name = COLUMNS.get(key) if key else None
        if field_name is None:
            if key:
                ignored.append(cell)
            continue
        if field_name in positions:
            doubled.append((header[positions[field_name]], cell))
            continue
        positions[field_name] = position
    if "full_name" in positions and "given_name" not in positions:
        positions["given_name"] = positions["full_name"]
    return positions, ignored, sensitive, doubled


def missing_message(preview: ImportPreview) -> str:
    """Why the columns must be chosen: two columns that mean the same thing, or the
    columns recognised and the required ones not found."""
    said = [
        gettext("Two columns of the file mean the same thing: “%(first)s” and “%(second)s”.")
        % {"first": first, "second": second}
        for first, second in preview.doubled
    ]
    if preview.missing:
        said.append(
            gettext("Recognised columns: %(recognised)s. Missing required columns: %(missing)s.")
            % {
                "recognised": ", ".join(preview.recognised_columns) or "—",
                "missing": ", ".join(_label(name) for name in preview.missing),
            }
        )
    return " ".join(said)


def _check(
    number: int, row: Sequence[object], header: list[str], positions: dict[str, int]
) -> ImportRow:
    result = ImportRow(number=number)

    def cell(name: str) -> object:
        position = positions.get(name)
        if position is None or position >= len(row):
            return None
        value = row[position]
        return value.strip() if isinstance(value, str) else value

    checks: list[tuple[str, Any]] = [
        ("given_name", lambda raw: _name(raw, required=True)),
        ("family_name", lambda raw: _name(raw, required=False)),
        ("sex", lambda raw: _choice(raw, SEXES, _sex_message())),
        ("birth_year", _year),
        ("nationality", _nationality),
        ("group", _group),
        ("phone", _phone),
        ("email", lambda raw: clean_email(_text(raw))),
        ("languages", _languages),
        ("needs", _needs),
    ]
    formulas = [
        header[position] if position < len(header) else ""
        for position, value in enumerate(row)
        if isinstance(value, str) and value.startswith("=") and len(value) > 1
    ]
    if formulas:
        result.errors += [
            (column, gettext("This cell holds a formula: formulas are not imported."))
            for column in formulas
        ]
        result.status = ERROR
        return result
    full_name = "full_name" in positions and "family_name" not in positions
    full_values: dict[str, str] = {}
    if full_name:
        given_part, family_part = split_full_name(_text(cell("full_name")))
        full_values = {"given_name": given_part, "family_name": family_part}
    for name, check in checks:
        raw = full_values[name] if full_name and name in full_values else cell(name)
        try:
            result.values[name] = check(raw)
        except ValidationError as error:
            column = header[positions[name]] if name in positions else ""
            result.errors += [(column, message) for message in _messages(error)]
    if "birth_date" in positions:
        column = header[positions["birth_date"]]
        try:
            from_date = _birth_date_year(cell("birth_date"))
        except ValidationError as error:
            result.errors += [(column, message) for message in _messages(error)]
        else:
            given = result.values.get("birth_year")
            if from_date is not None and given is not None and from_date != given:
                result.errors.append(
                    (column, gettext("The birth year and the date of birth do not agree."))
                )
            elif given is None and "birth_year" in result.values:
                result.values["birth_year"] = from_date
    if result.errors:
        result.status = ERROR
    return result


def _group(raw: object) -> str:
    if not _text(raw):
        raise ValidationError(
            gettext("A group is needed: newcomer, MRE, local youth or other."), code="required"
        )
    return _choice(raw, GROUPS, _group_message())


def _total(row: Sequence[object]) -> bool:
    """A closing total row ("Total", "المجموع" and a count): skipped, not a person."""
    cells = [_text(cell) for cell in row if _text(cell)]
    return bool(cells) and fold(cells[0]) in TOTALS


def sheet_read(uploaded: File) -> ImportSheet:
    """The header and the rows under it, kept so that a check can be run again with the
    staff member's choice of columns. Cells of sensitive columns are dropped here: they
    are never kept, even for a moment in the cache. Raises ImportFileError when the file
    is unusable or has no header."""
    rows = list(file_rows(uploaded))
    header_number, header = _header(iter(rows))
    hidden = {position for position, cell in enumerate(header) if fold(cell) in SENSITIVE}
    numbered = [
        (number, [None if position in hidden else cell for position, cell in enumerate(row)])
        for number, row in enumerate(rows[header_number:], start=header_number + 1)
        if not _blank(row)
    ]
    return ImportSheet(
        file_name=(uploaded.name or "").rsplit("/", 1)[-1], header=header, rows=numbered
    )


def sheet_check(
    sheet: ImportSheet, *, mapping: dict[int, str] | None = None, remembered: bool = False
) -> ImportPreview:
    """Check the rows of a sheet, with the columns its header names or those of
    `mapping` (column index → field). Writes nothing. When a required column is not
    found, the preview has no rows and names it in `missing`. Raises ImportFileError
    when two columns mean the same thing or there is no row."""
    positions, ignored, sensitive, doubled = _columns(sheet.header, mapping)
    preview = ImportPreview(
        file_name=sheet.file_name,
        rows=[],
        ignored_columns=ignored,
        sensitive_columns=sensitive,
        sheet=sheet,
        columns={
            position: name
            for name, position in positions.items()
            if not (name == "given_name" and positions.get("full_name") == position)
        },
        missing=tuple(name for name in REQUIRED_COLUMNS if name not in positions),
        doubled=tuple(doubled),
        remembered=remembered,
    )
    totals = [number for number, row in sheet.rows if _total(row)]
    if not [number for number, _row in sheet.rows if number not in totals]:
        raise ImportFileError(gettext("The file has no rows to import."))
    if preview.needs_columns:
        return preview
    preview.rows = [
        _check(number, row, sheet.header, positions)
        for number, row in sheet.rows
        if number not in totals
    ]
    preview.total_rows = totals
    mark_duplicates(preview.rows)
    return preview


def import_dry_run(uploaded: File, mapping: dict[int, str] | None = None) -> ImportPreview:
    """Read and check a spreadsheet of people and say, row by row, what an import would
    do, with the columns its header names or those of `mapping`. Writes nothing. Raises
    ImportFileError when the file as a whole is unusable, a required column included."""
    preview = sheet_check(sheet_read(uploaded), mapping=mapping)
    if preview.needs_columns:
        raise ImportFileError(missing_message(preview))
    return preview
