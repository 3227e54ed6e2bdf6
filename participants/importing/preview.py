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
class ImportPreview:
    file_name: str
    rows: list[ImportRow]
    # Header cells as typed, of the columns that were not read.
    ignored_columns: list[str] = field(default_factory=list)
    sensitive_columns: list[str] = field(default_factory=list)
    # Row numbers read as a closing total ("Total", "المجموع"): left out, and said so.
    total_rows: list[int] = field(default_factory=list)

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
