"""Import of people from the spreadsheets staff keep (XLSX or CSV), in two steps:
`import_dry_run` reads and checks a file and writes nothing; `import_apply` writes the
rows the staff member chose, in one transaction, through `participants_create_many`.

What a file may hold: a header row (French, English or Arabic names, any case, stray
spaces) and one person per row. Decisions worth knowing:
- The header is the first row, or the first of the first ten rows that names a given
  name column (some sheets have a title above). Row numbers are the spreadsheet's own.
- Only the first sheet of a workbook is read. Formulas count by their saved value.
- Given name and group are needed; family name, birth year, nationality, phone, email,
  languages and needs may be empty. An empty sex means "unspecified" (the model has no
  "unknown"); any other unreadable value is an error.
- A birth date (dd/mm/yyyy, or a date cell) keeps only its year.
- Sensitive fields (legal status, identity document, notes) are never read, even if the
  file has such columns; the preview names the columns it left out.
- Consent is not imported: it is recorded per person, with its date and method.
"""

import csv
import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import EmailValidator, validate_email
from django.db import connection, models, transaction
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from django_countries import countries

from belfaa.models import User
from belfaa.validators import clean_person_name, clean_phone, clean_year
from participants.models import Need, Participant
from participants.services import (
    participants_create_many,
    possible_duplicates,
    trigram_threshold,
)

CREATE = "create"
DUPLICATE = "duplicate"
ERROR = "error"

# The fields a file may set; nothing else ever reaches participants_create_many.
IMPORTABLE_FIELDS = (
    "given_name",
    "family_name",
    "sex",
    "birth_year",
    "nationality",
    "group",
    "phone",
    "email",
    "languages",
    "needs",
)
REQUIRED_COLUMNS = ("given_name", "group")
HEADER_SEARCH_ROWS = 10
# A workbook is a zip of XML: refuse one that inflates far beyond any real sheet.
XLSX_MAX_INFLATION = 40
LANGUAGES_MAX = 200
EMAIL_MAX = 254


# Tatweel and the middle dot go; alef maqsura reads as yeh, teh marbuta as heh, the
# typographic apostrophe as the plain one, the underscore as a space.
FOLDED = str.maketrans(
    {
        "\u0640": None,
        "\u00b7": None,
        "\u0649": "\u064a",
        "\u0629": "\u0647",
        "\u2019": "'",
        "_": " ",
    }
)


def fold(text: str) -> str:
    """A key for matching headers and values: case, accents, Arabic vowel marks, alef
    and yeh forms, tatweel, underscores and spacing do not count."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(FOLDED)
    return " ".join(text.split()).strip(" :*.")


# Header names as staff write them. The key is the model field; "birth_date" is read
# into birth_year.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "given_name": (
        "prénom", "prénoms", "given name", "first name", "الاسم الشخصي", "الإسم الشخصي",
    ),
    "family_name": (
        "nom", "nom de famille", "family name", "last name", "surname",
        "الاسم العائلي", "الإسم العائلي", "النسب",
    ),
    "sex": ("sexe", "sex", "genre", "gender", "الجنس"),
    "birth_year": (
        "année de naissance", "birth year", "year of birth", "سنة الازدياد", "سنة الولادة",
    ),
    "birth_date": (
        "date de naissance", "date of birth", "birth date", "تاريخ الازدياد", "تاريخ الولادة",
    ),
    "nationality": ("nationalité", "nationality", "الجنسية"),
    "group": ("groupe", "group", "الفئة"),
    "phone": (
        "téléphone", "tél", "tel", "gsm", "phone", "phone number", "الهاتف", "رقم الهاتف",
    ),
    "email": (
        "email", "e-mail", "courriel", "adresse e-mail", "adresse email", "email address",
        "البريد الإلكتروني", "البريد الالكتروني",
    ),
    "languages": (
        "langues", "langues parlées", "languages", "languages spoken", "اللغات",
        "اللغات المتحدث بها",
    ),
    "needs": ("besoins", "needs", "الاحتياجات", "الحاجيات"),
}  # fmt: skip
# Columns that look like the sensitive part of a record: named in the preview as left out.
SENSITIVE_ALIASES = (
    "statut", "statut juridique", "statut légal", "statut administratif", "legal status",
    "status", "الوضعية القانونية", "الوضعية الإدارية", "pièce d'identité", "document",
    "identity document", "numéro de document", "document number", "passeport", "passport",
    "cin", "carte de séjour", "residence card", "notes", "note", "remarques", "observations",
    "remarque", "commentaire", "commentaires", "ملاحظات", "ملاحظة",
)  # fmt: skip

SEX_ALIASES: dict[str, tuple[str, ...]] = {
    Participant.Sex.FEMALE: ("f", "femme", "féminin", "female", "woman", "أنثى"),
    Participant.Sex.MALE: ("m", "h", "homme", "masculin", "male", "man", "ذكر"),
    Participant.Sex.UNSPECIFIED: ("", "unspecified", "non précisé", "-", "—", "?"),
}
GROUP_ALIASES: dict[str, tuple[str, ...]] = {
    Participant.Group.NEWCOMER: (
        "newcomer", "nouvel arrivant", "nouvelle arrivante", "nouvel·le arrivant·e",
        "nouveaux arrivants", "migrant", "migrante", "وافد", "وافد جديد", "الوافدين الجدد",
        "من الوافدين الجدد", "مهاجر",
    ),
    Participant.Group.MRE: (
        "mre", "moroccan living abroad", "marocain résidant à l'étranger",
        "marocaine résidant à l'étranger", "marocain du monde", "مغاربة العالم",
        "من مغاربة العالم", "مغربي مقيم بالخارج",
    ),
    Participant.Group.LOCAL_YOUTH: (
        "local youth", "local_youth", "jeune local", "jeune locale", "jeunes locaux",
        "jeunesse locale", "شباب محلي", "الشباب المحلي", "شاب محلي",
    ),
    Participant.Group.OTHER: ("other", "autre", "أخرى", "اخرى", "آخر"),
}  # fmt: skip
NEED_ALIASES: dict[str, tuple[str, ...]] = {
    Need.LANGUAGE: (
        "language", "language classes", "langue", "langues", "cours de langue",
        "cours de langues", "لغة", "اللغة", "دروس اللغة",
    ),
    Need.HEALTH: ("health", "santé", "صحة", "الصحة"),
    Need.EDUCATION: ("education", "éducation", "scolarité", "école", "تعليم", "التعليم"),
    Need.EMPLOYMENT: (
        "employment", "employment and training", "emploi", "formation", "emploi et formation",
        "travail", "شغل", "الشغل", "التشغيل", "عمل", "تكوين",
    ),
    Need.LEGAL: (
        "legal", "legal and administrative", "juridique", "administratif",
        "juridique et administratif", "papiers", "قانوني", "إداري", "قانوني وإداري",
    ),
    Need.HOUSING: ("housing", "logement", "سكن", "السكن"),
    Need.SOCIAL: (
        "social", "social assistance", "aide sociale", "assistance sociale",
        "مساعدة اجتماعية", "اجتماعي",
    ),
    Need.INVESTMENT: (
        "investment", "investment project", "investissement", "projet d'investissement",
        "استثمار", "مشروع استثماري",
    ),
}  # fmt: skip
NEED_SEPARATORS = re.compile(r"[,;،؛/\n]")
DATE_PATTERN = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
YEAR_PATTERN = re.compile(r"\d{4}(\.0+)?")


def _lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, words in aliases.items():
        for word in (value, *words):
            table[fold(word)] = value
    return table


COLUMNS = _lookup(COLUMN_ALIASES)
SEXES = _lookup(SEX_ALIASES)
GROUPS = _lookup(GROUP_ALIASES)
NEEDS = _lookup(NEED_ALIASES)
SENSITIVE = {fold(word) for word in SENSITIVE_ALIASES}
_countries: dict[str, str] = {}


def country_lookup() -> dict[str, str]:
    """Folded ISO codes (alpha-2 and alpha-3) and names in English, French and Arabic,
    from django-countries' own translations, built once."""
    if not _countries:
        table: dict[str, str] = {}
        for language in ("en", "fr", "ar"):
            with translation.override(language):
                for country in countries:
                    table[fold(str(country.name))] = country.code
        for country in countries:
            table[fold(country.code)] = country.code
            alpha3 = countries.alpha3(country.code)
            if alpha3:
                table[fold(alpha3)] = country.code
        _countries.update(table)
    return _countries


STATUS_LABELS = {
    CREATE: gettext_lazy("to create"),
    DUPLICATE: gettext_lazy("possible duplicate"),
    ERROR: gettext_lazy("error"),
}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the staff member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ImportRow:
    number: int
    status: str = CREATE
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    # Existing records that may be the same person, as (pk, reference).
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    # Earlier rows of the same file that may be the same person.
    duplicate_rows: list[int] = field(default_factory=list)

    @property
    def status_display(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def sex_display(self) -> str:
        return str(Participant.Sex(self.values["sex"]).label) if self.values.get("sex") else ""

    @property
    def group_display(self) -> str:
        group = self.values.get("group")
        return str(Participant.Group(group).label) if group else ""

    @property
    def nationality_display(self) -> str:
        code = self.values.get("nationality")
        return str(countries.name(code)) if code else ""

    @property
    def needs_display(self) -> str:
        return ", ".join(str(Need(need).label) for need in self.values.get("needs", []))


@dataclass
class ImportPreview:
    file_name: str
    rows: list[ImportRow]
    # Header cells as typed, of the columns that were not read.
    ignored_columns: list[str] = field(default_factory=list)
    sensitive_columns: list[str] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def to_create(self) -> int:
        return self._count(CREATE)

    @property
    def duplicates(self) -> int:
        return self._count(DUPLICATE)

    @property
    def with_errors(self) -> int:
        return self._count(ERROR)


# --- Reading the file ---------------------------------------------------------


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

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        inflated = sum(info.file_size for info in archive.infolist())
    if inflated > XLSX_MAX_INFLATION * max(len(data), 64 * 1024):
        raise _not_xlsx()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
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


def _rows(uploaded: File) -> Iterator[Sequence[object]]:
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


def too_large() -> ImportFileError:
    return ImportFileError(
        gettext("This file is too large: at most %(size)s.")
        % {"size": filesizeformat(settings.PARTICIPANTS_IMPORT_MAX_BYTES)}
    )


# --- Checking cells -----------------------------------------------------------


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
    if isinstance(raw, datetime | date) or DATE_PATTERN.fullmatch(value):
        # A whole date in the year column: its year is what we keep anyway.
        return _birth_date_year(raw)
    if not YEAR_PATTERN.fullmatch(value):
        raise ValidationError(
            gettext("“%(value)s” is not a year: write it with four digits, e.g. 1998.")
            % {"value": _shown(value)},
            code="invalid",
        )
    return clean_year(int(float(value)))


def _birth_date_year(raw: object) -> int | None:
    if isinstance(raw, datetime | date):
        return clean_year(raw.year)
    value = _text(raw)
    if not value:
        return None
    match = DATE_PATTERN.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        day, month, year = (int(part) for part in match.groups())
        date(year, month, day)
    except ValueError:
        raise ValidationError(
            gettext("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 23/04/1998.")
            % {"value": _shown(value)},
            code="invalid",
        ) from None
    return clean_year(year)


def _nationality(raw: object) -> str:
    value = _text(raw)
    if not value:
        return ""
    code = country_lookup().get(fold(value))
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


def _email(raw: object) -> str:
    value = _text(raw).lower()
    if not value:
        return ""
    if len(value) > EMAIL_MAX:
        raise ValidationError(EmailValidator.message, code="invalid")
    validate_email(value)
    return value


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
    among the first rows that are not blank."""
    seen = 0
    for number, row in enumerate(rows, start=1):
        if _blank(row):
            continue
        cells = [_text(cell) for cell in row]
        if any(COLUMNS.get(fold(cell)) == "given_name" for cell in cells):
            return number, cells
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    raise ImportFileError(
        gettext(
            "No header row was found: the first row must name the columns, for example "
            "given name, family name, sex, group."
        )
    )


def _columns(header: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Field → position, and the header cells left out (other, and sensitive)."""
    positions: dict[str, int] = {}
    ignored: list[str] = []
    sensitive: list[str] = []
    for position, cell in enumerate(header):
        key = fold(cell)
        if not key:
            continue
        field_name = COLUMNS.get(key)
        if field_name is None:
            (sensitive if key in SENSITIVE else ignored).append(cell)
            continue
        if field_name in positions:
            raise ImportFileError(
                gettext(
                    "Two columns of the file mean the same thing: “%(first)s” and “%(second)s”."
                )
                % {"first": header[positions[field_name]], "second": cell}
            )
        positions[field_name] = position
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        labels = [_label(name) for name in missing]
        raise ImportFileError(
            gettext("The file has no column for: %(columns)s.") % {"columns": ", ".join(labels)}
        )
    return positions, ignored, sensitive


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
        ("email", _email),
        ("languages", _languages),
        ("needs", _needs),
    ]
    for name, check in checks:
        raw = cell(name)
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


def _chunks(items: list[str], size: int = 2000) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# possible_duplicates' name rule on PostgreSQL, for every row of a file in one query:
# same birth year and trigram similarity at least SIMILARITY (`%` with the threshold
# set by services.trigram_threshold), answered by the (birth_year, name) GiST index;
# the year is a smallint like the column, or the index cannot use it. LATERAL with
# OFFSET 0 keeps the planner to one index scan per row (a merge join over all the
# people born the same years took 40 s for 10,000 rows against 100,000 records).
SIMILAR_NAMES_SQL = """
SELECT v.number, p.id, p.reference
FROM unnest(%s::integer[], %s::text[], %s::smallint[]) AS v(number, name, year)
CROSS JOIN LATERAL (
    SELECT q.id, q.reference FROM {table} q
    WHERE q.birth_year = v.year
      AND lower(q.given_name || ' ' || q.family_name) %% v.name
      AND q.anonymised_at IS NULL
    OFFSET 0
) AS p
ORDER BY v.number, p.id
"""
SIMILAR_PER_ROW_MAX = 10


def _similar_names(rows: list[ImportRow]) -> dict[int, list[tuple[int, str]]]:
    """Row number → existing records with a similar name and the same birth year.
    On PostgreSQL one query for the whole file (a query per row took 27 s for 10,000
    rows against 5,000 records); elsewhere possible_duplicates row by row."""
    asked = [row for row in rows if row.values["birth_year"]]
    years_in_registry = set(
        Participant.objects.active()
        .filter(birth_year__in={row.values["birth_year"] for row in asked})
        .values_list("birth_year", flat=True)
        .distinct()
    )
    asked = [row for row in asked if row.values["birth_year"] in years_in_registry]
    similar: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not asked:
        return similar
    if connection.vendor == "postgresql":
        sql = SIMILAR_NAMES_SQL.format(table=connection.ops.quote_name(Participant._meta.db_table))
        params: list[Any] = [
            [row.number for row in asked],
            [
                f"{row.values['given_name']} {row.values['family_name']}".strip().lower()
                for row in asked
            ],
            [row.values["birth_year"] for row in asked],
        ]
        with trigram_threshold(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            for number, pk, reference in cursor.fetchall():
                if len(similar[number]) < SIMILAR_PER_ROW_MAX:
                    similar[number].append((pk, reference or ""))
        return similar
    for row in asked:
        similar[row.number] = [
            (participant.pk, participant.reference or "")
            for participant in possible_duplicates(
                given_name=row.values["given_name"],
                family_name=row.values["family_name"],
                birth_year=row.values["birth_year"],
            )
        ]
    return similar


def _mark_duplicates(rows: Iterable[ImportRow]) -> None:
    """Existing records with the same phone or email (one query per 2,000 values), or a
    similar name with the same birth year (see _similar_names); and earlier rows of the
    file with the same phone, email, or name and birth year."""
    valid = [row for row in rows if row.status != ERROR]
    phones = sorted({row.values["phone"] for row in valid if row.values["phone"]})
    emails = sorted({row.values["email"] for row in valid if row.values["email"]})
    by_phone: dict[str, list[tuple[int, str]]] = defaultdict(list)
    by_email: dict[str, list[tuple[int, str]]] = defaultdict(list)
    active = Participant.objects.active().annotate(email_lower=Lower("email"))
    for chunk in _chunks(phones):
        for pk, reference, phone in active.filter(phone__in=chunk).values_list(
            "pk", "reference", "phone"
        ):
            by_phone[phone].append((pk, reference or ""))
    for chunk in _chunks(emails):
        for pk, reference, email in active.filter(email_lower__in=chunk).values_list(
            "pk", "reference", "email_lower"
        ):
            by_email[email].append((pk, reference or ""))
    similar = _similar_names(valid)

    first_row: dict[tuple[str, str], int] = {}
    for row in valid:
        values = row.values
        found: dict[int, str] = {}
        for pk, reference in by_phone.get(values["phone"], []) + by_email.get(values["email"], []):
            found[pk] = reference
        found.update(similar.get(row.number, []))
        row.duplicates = sorted(found.items())

        keys = [("phone", values["phone"]), ("email", values["email"])]
        if values["birth_year"]:
            name = fold(f"{values['given_name']} {values['family_name']}")
            keys.append(("name", f"{name}|{values['birth_year']}"))
        earlier = sorted({first_row[key] for key in keys if key[1] and key in first_row})
        row.duplicate_rows = earlier
        for key in keys:
            if key[1]:
                first_row.setdefault(key, row.number)
        if row.duplicates or row.duplicate_rows:
            row.status = DUPLICATE


def import_dry_run(uploaded: File) -> ImportPreview:
    """Read and check a spreadsheet of people and say, row by row, what an import would
    do. Writes nothing. Raises ImportFileError when the file as a whole is unusable."""
    if (uploaded.size or 0) > settings.PARTICIPANTS_IMPORT_MAX_BYTES:
        raise too_large()
    rows = _rows(uploaded)
    header_number, header = _header(rows)
    positions, ignored, sensitive = _columns(header)
    checked = [
        _check(number, row, header, positions)
        for number, row in enumerate(rows, start=header_number + 1)
        if not _blank(row)
    ]
    if not checked:
        raise ImportFileError(gettext("The file has no rows to import."))
    _mark_duplicates(checked)
    return ImportPreview(
        file_name=(uploaded.name or "").rsplit("/", 1)[-1],
        rows=checked,
        ignored_columns=ignored,
        sensitive_columns=sensitive,
    )


# --- Writing ------------------------------------------------------------------

ALL_OR_NOTHING = "all"
VALID_ONLY = "valid"


class ImportHasErrors(Exception):
    """All-or-nothing was asked and some rows have errors: nothing was written."""


def rows_to_write(preview: ImportPreview, *, mode: str, create_duplicates: bool) -> list[ImportRow]:
    if mode not in (ALL_OR_NOTHING, VALID_ONLY):
        raise ValueError(f"unknown import mode {mode!r}")
    if mode == ALL_OR_NOTHING and preview.with_errors:
        raise ImportHasErrors
    wanted = {CREATE, DUPLICATE} if create_duplicates else {CREATE}
    return [row for row in preview.rows if row.status in wanted]


@transaction.atomic
def import_apply(
    *,
    preview: ImportPreview,
    mode: str,
    create_duplicates: bool = False,
    by: User | None = None,
) -> list[Participant]:
    """Create the chosen rows of a dry run, all in one transaction: every row or none.
    mode "all" writes nothing if any row has an error (raises ImportHasErrors);
    mode "valid" writes the rows without errors. Possible duplicates are skipped
    unless create_duplicates."""
    rows = rows_to_write(preview, mode=mode, create_duplicates=create_duplicates)
    return participants_create_many(
        [{name: row.values[name] for name in IMPORTABLE_FIELDS} for row in rows],
        change_reason="import",
        by=by,
    )
