"""Who in a file may already be in the registry, or be in the file twice: the same
phone or email, or a similar name with the same birth year (the rule of
`possible_duplicates`, asked for a whole file in a few queries)."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection
from django.db.models import F
from django.db.models.functions import Lower

from participants.importing.preview import DUPLICATE, ERROR, ImportRow
from participants.importing.vocabulary import fold
from participants.models import Participant
from participants.services import possible_duplicates, trigram_threshold

# The contact fields, as a checked row holds them (the email already in lower case),
# and as the registry's column is compared with them.
CONTACTS = {"phone": F("phone"), "email": Lower("email")}
CHUNK = 2000


def contacts(values: dict[str, Any]) -> list[tuple[str, str]]:
    """The contact keys of a row: two rows, or a row and a record, that share one may
    be the same person."""
    return [(name, values[name]) for name in CONTACTS if values[name]]


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _same_contacts(rows: list[ImportRow]) -> dict[tuple[str, str], list[tuple[int, str]]]:
    """Contact key → existing records (pk, reference) holding it; one query per field
    and 2,000 values."""
    found: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for name, column in CONTACTS.items():
        wanted = sorted(
            {value for row in rows for key, value in contacts(row.values) if key == name}
        )
        active = Participant.objects.active().annotate(contact=column)
        for chunk in _chunks(wanted):
            for pk, reference, value in active.filter(contact__in=chunk).values_list(
                "pk", "reference", "contact"
            ):
                found[name, value].append((pk, reference or ""))
    return found


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


def similar_names(rows: list[ImportRow]) -> dict[int, list[tuple[int, str]]]:
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


def mark_duplicates(rows: Iterable[ImportRow]) -> None:
    """Mark as possible duplicates the rows that share a contact with an existing record
    or have a similar name and the same birth year (see similar_names), and those that
    share a contact, or the name and birth year, with an earlier row of the file."""
    valid = [row for row in rows if row.status != ERROR]
    by_contact = _same_contacts(valid)
    similar = similar_names(valid)

    first_row: dict[tuple[str, str], int] = {}
    for row in valid:
        values = row.values
        keys = contacts(values)
        found: dict[int, str] = {}
        for key in keys:
            found.update(by_contact.get(key, []))
        found.update(similar.get(row.number, []))
        row.duplicates = sorted(found.items())

        if values["birth_year"]:
            name = fold(f"{values['given_name']} {values['family_name']}")
            keys.append(("name", f"{name}|{values['birth_year']}"))
        row.duplicate_rows = sorted({first_row[key] for key in keys if key in first_row})
        for key in keys:
            first_row.setdefault(key, row.number)
        if row.duplicates or row.duplicate_rows:
            row.status = DUPLICATE
