"""Which column is which, when the header's names are not enough: the staff member's
choice, per column, checked before it is used, and remembered for the next file with
the same headers (`ImportMapping`, keyed by a hash of the folded headers in order)."""

import hashlib
import re
from typing import Any

from django import forms
from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

from belfaa.models import User
from participants.importing.checking import MAPPED_FIELDS, cell_shown
from participants.importing.preview import ImportSheet
from participants.importing.vocabulary import SENSITIVE, fold
from participants.models import ImportMapping, Participant

LEAVE_OUT = ""
SAMPLES = 2
FIELD_PREFIX = "column-"
FIELD_NAME = re.compile(rf"{FIELD_PREFIX}(\d+)")
# The order staff read a record in.
CHOICE_ORDER = (
    "given_name",
    "family_name",
    "full_name",
    "sex",
    "birth_year",
    "birth_date",
    "nationality",
    "group",
    "phone",
    "email",
    "languages",
    "needs",
)
assert set(CHOICE_ORDER) == set(MAPPED_FIELDS)


def header_signature(header: list[str]) -> str:
    """The same headers in the same order, whatever their case, accents or spacing, give
    the same signature; empty cells at the end do not count."""
    folded = [fold(cell) for cell in header]
    while folded and not folded[-1]:
        folded.pop()
    return hashlib.sha256("\x1f".join(folded).encode()).hexdigest()


def is_sensitive(cell: str) -> bool:
    return fold(cell) in SENSITIVE


def mapping_remembered(*, header: list[str]) -> dict[int, str] | None:
    """The column choices saved for these headers, if any."""
    saved = ImportMapping.objects.filter(signature=header_signature(header)).first()
    if saved is None:
        return None
    return {int(position): name for position, name in saved.columns.items()}


def mapping_save(*, header: list[str], columns: dict[int, str], by: User) -> None:
    ImportMapping.objects.update_or_create(
        signature=header_signature(header),
        defaults={
            "headers": header,
            "columns": {str(position): name for position, name in sorted(columns.items())},
            "saved_by": by,
        },
    )


def _choice_label(name: str) -> str:
    if name == "full_name":
        return gettext("Full name (to be split)")
    if name == "birth_date":
        return gettext("Date of birth")
    model: type[Model] = Participant
    return str(capfirst(model._meta.get_field(name).verbose_name))  # type: ignore[union-attr]


class ColumnsForm(forms.Form):
    """One select per column of the file, sensitive columns excepted (they are named as
    left out, and can be mapped to nothing). Refuses a field not offered, a field
    chosen for two columns, and a column the file does not have."""

    def __init__(self, *args: Any, sheet: ImportSheet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        choices = [(LEAVE_OUT, gettext("Leave out"))]
        choices += [(name, _choice_label(name)) for name in CHOICE_ORDER]
        invalid = gettext_lazy("“%(value)s” is not one of the fields offered.")
        for position, cell in enumerate(sheet.header):
            if is_sensitive(cell):
                continue
            self.fields[f"{FIELD_PREFIX}{position}"] = forms.ChoiceField(
                label=cell or gettext("Column %(number)d") % {"number": position + 1},
                choices=choices,
                required=False,
                error_messages={"invalid_choice": invalid},
            )

    def columns(self) -> list[dict[str, Any]]:
        """Each column of the file, for the page: its header, a few values, its select
        (None for a sensitive column)."""
        shown: list[dict[str, Any]] = []
        for position, cell in enumerate(self.sheet.header):
            name = f"{FIELD_PREFIX}{position}"
            if name not in self.fields:
                shown.append({"header": cell, "field": None, "samples": []})
                continue
            samples = [
                cell_shown(row[position])
                for _number, row in self.sheet.rows
                if position < len(row) and cell_shown(row[position])
            ][:SAMPLES]
            shown.append({"header": cell, "field": self[name], "samples": samples})
        return shown

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for key in self.data:
            match = FIELD_NAME.fullmatch(key)
            if key.startswith(FIELD_PREFIX) and key not in self.fields:
                position = int(match.group(1)) if match else -1
                if 0 <= position < len(self.sheet.header):
                    raise forms.ValidationError(
                        gettext("“%(column)s” holds sensitive data: it cannot be imported.")
                        % {"column": self.sheet.header[position]},
                        code="sensitive",
                    )
                raise forms.ValidationError(
                    gettext("The form names a column the file does not have."), code="column"
                )
        chosen: dict[str, str] = {}
        for name, value in cleaned.items():
            if value == LEAVE_OUT:
                continue
            if value in chosen:
                raise forms.ValidationError(
                    gettext(
                        "Two columns are marked as “%(field)s”: “%(first)s” and “%(second)s”. "
                        "Choose it for one column only."
                    )
                    % {
                        "field": _choice_label(value),
                        "first": self.fields[chosen[value]].label,
                        "second": self.fields[name].label,
                    },
                    code="twice",
                )
            chosen[value] = name
        return cleaned

    def mapping(self) -> dict[int, str]:
        """Column index → field, of a valid form."""
        return {
            int(name.removeprefix(FIELD_PREFIX)): value
            for name, value in self.cleaned_data.items()
            if value != LEAVE_OUT
        }
