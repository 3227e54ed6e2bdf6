"""The right of access (Law 09-08, art. 7; GDPR, art. 15): everything the registry holds
on one person, gathered once in machine form: stable English keys, codes rather than
labels, dates as `date`/`datetime` (the JSON view writes them in ISO 8601).
`rights.display` turns it into labelled sections for the page and the PDF.

What the apps above the registry hold on the person (sign-ups to activities) comes
from their holders (`participants/holders.py`), each under its own key.
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django_countries.fields import CountryField

from participants.holders import holders
from participants.models import (
    SUPPORT_REQUEST_FIELDS,
    AccessLog,
    Consent,
    Participant,
    ParticipantMerge,
    SupportRequest,
)
from participants.selectors import absorbed_records

if TYPE_CHECKING:
    pass

EXPORT_VERSION = 1
TEMPLATE = "participants/access_export.html"

# Every stored field of a record, named as in the model. A field added to the model
# must be added here, or to NOT_EXPORTED with a reason (a test holds both lists to the
# model), so that no personal data is silently left out of an export.
PARTICIPANT_FIELDS = (
    "reference",
    "given_name",
    "family_name",
    "sex",
    "birth_year",
    "nationality",
    "group",
    "neighbourhood",
    "country_of_residence",
    "arrival_year",
    "languages",
    "phone",
    "email",
    "needs",
    "legal_status",
    "id_document_type",
    "id_document_number",
    "notes",
    "created_at",
    "updated_at",
    "retention_warned_at",
    "anonymised_at",
)
NOT_EXPORTED = {"id": "internal row number; the reference names the record"}
RECORD_KEEPING_FIELDS = ("created_at", "updated_at", "retention_warned_at", "anonymised_at")
SENSITIVE_PARTICIPANT_FIELDS = ("legal_status", "id_document_type", "id_document_number", "notes")

CONSENT_FIELDS = ("purpose", "partner", "given_at", "method", "recorded_by", "withdrawn_at")
# Typed in Latin script whatever the language: isolated left to right even on an
# Arabic page, so that "+212 6…" does not become "212 6…+" (belfaa/bidi.py).
LATIN_IDENTIFIERS = frozenset({"phone", "email", "id_document_number"})
# The staff member's address (ip) is about the staff member, not the person.
ACCESS_LOG_FIELDS = ("at", "user", "reference", "fields", "purpose")


def participant_export_data(participant: Participant) -> dict[str, Any]:
    """Everything held on one person, sensitive part included, as plain data.

    A fixed number of queries whatever the number of consents, support requests,
    registrations and log rows. The caller displays the sensitive part, so it must
    call `access_log_write` in the same transaction. Activity titles are read in the
    active language (with modeltranslation's fallbacks).
    """
    lookups: list[str | Prefetch[Any]] = [
        Prefetch("consents", queryset=Consent.objects.select_related("partner", "recorded_by")),
        Prefetch("support_requests", queryset=SupportRequest.objects.select_related("referred_to")),
    ]
    prefetch_related_objects([participant], *lookups)
    absorbed = absorbed_records(participant)
    # Rows logged under a record merged into this one are about this person too.
    references = [participant.reference, *(record.reference for record in absorbed)]
    access_log = AccessLog.objects.filter(reference__in=references).select_related("user")
    merges = ParticipantMerge.objects.filter(merged__in=absorbed).select_related(
        "merged", "kept", "merged_by"
    )

    return {
        "version": EXPORT_VERSION,
        "exported_at": timezone.now(),
        "participant": record_fields(participant, PARTICIPANT_FIELDS),
        "consents": [
            record_fields(consent, CONSENT_FIELDS) for consent in participant.consents.all()
        ],
        "support_requests": [
            record_fields(request, SUPPORT_REQUEST_FIELDS)
            for request in participant.support_requests.all()
        ],
        **{holder.key: holder.export_rows(participant) for holder in holders()},
        "access_log": [
            {**record_fields(row, ACCESS_LOG_FIELDS), "purpose_label": row.get_purpose_display()}
            for row in access_log
        ],
        "merged_records": [
            {
                "reference": merge.merged.reference,
                "into": merge.kept.reference,
                "merged_at": merge.merged_at,
                "merged_by": _value(merge, "merged_by"),
            }
            for merge in sorted(merges, key=lambda merge: absorbed.index(merge.merged))
        ],
        "history": _history([participant.pk, *(record.pk for record in absorbed)]),
    }


def record_fields(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of a record in the export's machine form."""
    return {name: _value(instance, name) for name in names}


def _value(instance: models.Model, name: str) -> Any:
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if field.is_relation:
        if value is None:
            return None
        if isinstance(value, models.Model) and hasattr(value, "get_full_name"):
            return {"name": value.get_full_name(), "email": getattr(value, "email", "")}
        return str(value)
    if isinstance(field, CountryField):
        return value.code or ""  # the ISO 3166 code
    if isinstance(value, list):
        return list(value)
    return value


# --- History ------------------------------------------------------------------------

# The history kept of each kind of record (django-simple-history), and which of its
# fields an entry shows: the reference names the record, the entry has its own time.
HISTORY_MODELS: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "participant": (
        Participant,
        tuple(n for n in PARTICIPANT_FIELDS if n not in {"reference", "created_at", "updated_at"}),
    ),
    "consent": (Consent, ("participant", *CONSENT_FIELDS)),
    "support_request": (SupportRequest, ("participant", *SUPPORT_REQUEST_FIELDS)),
}
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
ABOUT = {"consent": "purpose", "support_request": "kind"}


def _history(participant_ids: list[int]) -> list[dict[str, Any]]:
    """Every change kept in the history of the records, their consents and their
    support requests, oldest first: when, by whom (a member of staff), why, and each
    field changed with its value before and after (codes, as in the rest of the data).
    A fixed number of queries: one per kind of record, one per kind of linked record."""
    rows: list[tuple[str, Any]] = []
    for kind, (model, _names) in HISTORY_MODELS.items():
        key = "id" if model is Participant else "participant_id"
        history = model.history.filter(**{f"{key}__in": participant_ids})  # type: ignore[attr-defined]
        rows += [(kind, row) for row in history.select_related("history_user")]
    rows.sort(key=lambda item: (item[1].history_date, item[1].history_id))
    linked = _linked_names(rows)
    previous: dict[tuple[str, int], Any] = {}
    entries = []
    for kind, row in rows:
        model, names = HISTORY_MODELS[kind]
        before = previous.get((kind, row.id))
        previous[(kind, row.id)] = row
        entries.append(
            {
                "record": kind,
                # What the consent or the request is about, whatever changed in it.
                "about": getattr(row, ABOUT[kind]) if kind in ABOUT else None,
                "reference": linked[Participant].get(
                    row.id if model is Participant else row.participant_id
                ),
                "at": row.history_date,
                "type": HISTORY_TYPES.get(row.history_type, row.history_type),
                "by": _value(row, "history_user"),
                "reason": row.history_change_reason or "",
                "changes": [] if row.history_type == "-" else _changes(before, row, names, linked),
            }
        )
    return entries


def _changes(
    before: Any, row: Any, names: Sequence[str], linked: dict[Any, dict[int, Any]]
) -> list[dict[str, Any]]:
    """The fields that differ from the previous version; for a creation, those set."""
    changes = []
    for name in names:
        old, new = _past(before, name, linked), _past(row, name, linked)
        if (before is None and new not in (None, "", [])) or (before is not None and old != new):
            changes.append({"field": name, "old": old, "new": new})
    return changes


def _past(row: Any, name: str, linked: dict[Any, dict[int, Any]]) -> Any:
    """A field's value in one historical row, in the data's machine form."""
    if row is None:
        return None
    field = row._meta.get_field(name)
    if field.is_relation:
        pk = getattr(row, field.attname)
        return None if pk is None else linked[field.related_model].get(pk, str(pk))
    value = getattr(row, name)
    if isinstance(field, CountryField):
        return value.code or ""
    return list(value) if isinstance(value, list) else value


def _linked_names(rows: list[tuple[str, Any]]) -> dict[Any, dict[int, Any]]:
    """What the linked records are called (a neighbourhood, a partner, a member of
    staff, a record's reference), one query per kind of linked record."""
    wanted: dict[Any, set[int]] = {Participant: set()}
    for kind, row in rows:
        model, fields = HISTORY_MODELS[kind]
        if model is Participant:
            wanted[Participant].add(row.id)
        for name in fields:
            field = row._meta.get_field(name)
            if field.is_relation and getattr(row, field.attname) is not None:
                wanted.setdefault(field.related_model, set()).add(getattr(row, field.attname))
    names: dict[Any, dict[int, Any]] = {}
    for related, pks in wanted.items():
        found = related._default_manager.in_bulk(pks) if pks else {}
        names[related] = {
            pk: (
                instance.reference
                if related is Participant
                else {"name": instance.get_full_name(), "email": instance.email}
                if hasattr(instance, "get_full_name")
                else str(instance)
            )
            for pk, instance in found.items()
        }
    return names
