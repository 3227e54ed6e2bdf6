"""What a dry run says about a file: each row with its status, values and errors."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy
from django_countries import countries

from participants.models import Need, Participant

CREATE = "create"
DUPLICATE = "duplicate"
ERROR = "error"

STATUS_LABELS = {
    CREATE: gettext_lazy("to create"),
    DUPLICATE: gettext_lazy("possible duplicate"),
    ERROR: gettext_lazy("error"),
}


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
class ImportSheet:
    """A file as read: its header as typed and its non-blank rows under it, numbered as
    in the spreadsheet, with the cells of sensitive columns dropped."""

    file_name: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]


@dataclass
class ImportPreview:
    file_name: str
    rows: list[ImportRow]
    # Header cells as typed, of the columns that were not read.
    ignored_columns: list[str] = field(default_factory=list)
    sensitive_columns: list[str] = field(default_factory=list)
    # Row numbers read as a closing total ("Total", "المجموع"): left out, and said so.
    total_rows: list[int] = field(default_factory=list)
    # The file as read, for checking it again with other column choices.
    sheet: ImportSheet | None = None
    # The columns read: column index → field ("full_name" and "birth_date" included).
    columns: dict[int, str] = field(default_factory=dict)
    # Required fields no column gives: then there are no rows, and the staff member is
    # asked which column is which. (Defaults that are class attributes: a preview kept
    # in the cache before these fields existed still reads.)
    missing: tuple[str, ...] = ()
    # Pairs of header cells naming the same field: the staff member chooses, as above.
    doubled: tuple[tuple[str, str], ...] = ()
    # The columns were those a staff member chose for a file with the same headers.
    remembered: bool = False

    @property
    def needs_columns(self) -> bool:
        """No row is checked until the staff member says which column is which."""
        return bool(self.missing or self.doubled)

    @property
    def recognised_columns(self) -> list[str]:
        if self.sheet is None:
            return []
        header = self.sheet.header
        return [header[position] for position in sorted(self.columns) if position < len(header)]

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
