"""The right of access (Law 09-08, art. 7; GDPR, art. 15): everything the registry holds
on one person, gathered once and shown three ways by `participants/rights_views.py`.

`participant_export_data` gathers the facts in machine form: stable English keys,
codes rather than labels, dates as `date`/`datetime` (the JSON view writes them in ISO
8601). `export_display` turns the same dict into labelled sections for the page and
the PDF, in the active language; `export_pdf` lays that page out on A4.

Registrations live in `events`, which participants may not import (DESIGN.md, the
direction of the arrows): they are reached through the reverse relation only.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop, pgettext
from django_countries import countries
from django_countries.fields import CountryField

from belfaa.bidi import ltr_html
from belfaa.pdf import html_document
from participants.models import (
    SUPPORT_REQUEST_FIELDS,
    AccessLog,
    Consent,
    Need,
    Participant,
    ParticipantMerge,
    SupportRequest,
)
from participants.selectors import absorbed_records

if TYPE_CHECKING:
    import weasyprint

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
# What a sign-up holds on the person (the person key and queue position are internal).
REGISTRATION_FIELDS = (
    "status",
    "name",
    "phone",
    "email",
    "birth_year",
    "sex",
    "group",
    "language",
    "consent_processing",
    "consent_contact",
    "consent_photos",
    "walk_in",
    "attended_at",
    "created_at",
    "cancelled_at",
    "reminder_sent_at",
    "anonymised_at",
)
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
    registrations_installed = apps.is_installed("events")
    if registrations_installed:
        registration_model: Any = Participant._meta.get_field("registrations").related_model
        lookups.append(
            Prefetch(
                "registrations",
                queryset=registration_model.objects.select_related("event").order_by(
                    "event__starts_at", "pk"
                ),
            )
        )
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
        "participant": _fields(participant, PARTICIPANT_FIELDS),
        "consents": [_fields(consent, CONSENT_FIELDS) for consent in participant.consents.all()],
        "support_requests": [
            _fields(request, SUPPORT_REQUEST_FIELDS)
            for request in participant.support_requests.all()
        ],
        "registrations": (
            [_registration(registration) for registration in participant.registrations.all()]
            if registrations_installed
            else []
        ),
        "access_log": [
            {**_fields(row, ACCESS_LOG_FIELDS), "purpose_label": row.get_purpose_display()}
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


def _fields(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
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


def _registration(registration: Any) -> dict[str, Any]:
    event = registration.event
    return {
        "activity": {
            "title": event.title,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "venue": event.venue,
        },
        "attended": registration.attended_at is not None,
        **_fields(registration, REGISTRATION_FIELDS),
    }


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


# --- Display ------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One value ready for the page: a text, a date or a moment (the template formats
    it in the active language and time zone), or a list of texts."""

    label: str
    value: str | date | datetime | None = None
    items: tuple[str, ...] = ()
    is_list: bool = False
    ltr: bool = False


@dataclass(frozen=True)
class Section:
    """A part of the document: one record's fields ("fields"), or several items as a
    table ("table") or one block each ("blocks")."""

    key: str
    title: str
    layout: str
    columns: tuple[str, ...]
    items: tuple[tuple[Shown, ...], ...]
    empty: str = ""
    entries: tuple["Entry", ...] = ()


@dataclass(frozen=True)
class Entry:
    """One change in the history: what, when, by whom, why, and each field before and
    after ("history" layout)."""

    title: str
    at: datetime
    by: str
    reason: str
    changes: tuple[tuple[str, Shown, Shown], ...]


@dataclass(frozen=True)
class ExportDisplay:
    reference: str
    exported_at: datetime
    anonymised_at: datetime | None
    sections: tuple[Section, ...]


def export_display(data: dict[str, Any]) -> ExportDisplay:
    """The export as the page and the PDF show it, labelled in the active language:
    field names as the models name them, choices by their translated labels, countries
    by name, yes or no for flags."""
    person = data["participant"]
    situation = [
        name
        for name in PARTICIPANT_FIELDS
        if name not in SENSITIVE_PARTICIPANT_FIELDS and name not in RECORD_KEEPING_FIELDS
    ]
    sections = [
        _one("person", gettext("Personal details"), Participant, person, situation),
        _one(
            "sensitive",
            gettext("Sensitive details"),
            Participant,
            person,
            SENSITIVE_PARTICIPANT_FIELDS,
        ),
        _many(
            "consents",
            gettext("Consents"),
            "table",
            Consent,
            data["consents"],
            CONSENT_FIELDS,
            gettext("No consent is recorded."),
        ),
        _many(
            "support_requests",
            gettext("Support requests"),
            "blocks",
            SupportRequest,
            data["support_requests"],
            SUPPORT_REQUEST_FIELDS,
            gettext("No support request is recorded."),
        ),
    ]
    if apps.is_installed("events"):
        sections.append(_registrations(data["registrations"]))
    sections.append(_history_section(data["history"]))
    if data["merged_records"]:
        sections.append(_merged_section(data["merged_records"]))
    sections += [
        _many(
            "access_log",
            gettext("Who looked at the sensitive details"),
            "table",
            AccessLog,
            data["access_log"],
            ACCESS_LOG_FIELDS,
            gettext("No one has looked at the sensitive details."),
        ),
        _one("record", gettext("Record keeping"), Participant, person, RECORD_KEEPING_FIELDS),
    ]
    return ExportDisplay(
        reference=person["reference"],
        exported_at=data["exported_at"],
        anonymised_at=person["anonymised_at"],
        sections=tuple(sections),
    )


def _history_section(rows: list[dict[str, Any]]) -> Section:
    entries = []
    for row in rows:
        model, _names = HISTORY_MODELS[row["record"]]
        entries.append(
            Entry(
                title=_entry_title(row),
                at=row["at"],
                by=row["by"]["name"] if row["by"] else gettext("not recorded"),
                reason=_reason(row["reason"]),
                changes=tuple(
                    (
                        _label(model, change["field"]),
                        _shown(model, change["field"], change["old"]),
                        _shown(model, change["field"], change["new"]),
                    )
                    for change in row["changes"]
                ),
            )
        )
    return Section(
        "history",
        gettext("History of the record"),
        "history",
        (gettext("Field"), gettext("Before"), gettext("After")),
        (),
        gettext("No change is recorded."),
        tuple(entries),
    )


def _entry_title(row: dict[str, Any]) -> str:
    what = {
        "participant": gettext("Record %(reference)s"),
        "consent": gettext("Consent (%(detail)s)"),
        "support_request": gettext("Support request (%(detail)s)"),
    }[row["record"]]
    detail = ""
    if row["record"] != "participant":
        model, _names = HISTORY_MODELS[row["record"]]
        detail = str(_shown(model, ABOUT[row["record"]], row["about"]).value or "—")
    happened = {
        "created": pgettext("history entry", "created"),
        "changed": pgettext("history entry", "changed"),
        "deleted": pgettext("history entry", "deleted"),
    }.get(row["type"], row["type"])
    return f"{what % {'reference': row['reference'] or '—', 'detail': detail}} · {happened}"


# Why a change was made, as the services write it (in English, in the history table).
REASONS = (
    (re.compile(r"^import$"), gettext_noop("imported from a file")),
    (re.compile(r"^erased on request$"), gettext_noop("erased on request")),
    (
        re.compile(r"^retention period over$"),
        gettext_noop("anonymised at the end of the retention period"),
    ),
    (
        re.compile(r"^merged with (?P<reference>\S+)$"),
        gettext_noop("merged with record %(reference)s"),
    ),
    (
        re.compile(r"^merged into (?P<reference>\S+)$"),
        gettext_noop("merged into record %(reference)s"),
    ),
    (
        re.compile(r"^moved from (?P<reference>\S+) \(merge\)$"),
        gettext_noop("moved from record %(reference)s (merge)"),
    ),
)


def _reason(text: str) -> str:
    for pattern, label in REASONS:
        if found := pattern.match(text):
            return gettext(label) % found.groupdict()
    return text


def _merged_section(rows: list[dict[str, Any]]) -> Section:
    columns = (
        capfirst(gettext("record")),
        capfirst(gettext("merged into")),
        _label(ParticipantMerge, "merged_at"),
        _label(ParticipantMerge, "merged_by"),
    )
    items = tuple(
        (
            Shown(columns[0], row["reference"], ltr=True),
            Shown(columns[1], row["into"], ltr=True),
            Shown(columns[2], row["merged_at"]),
            _shown(ParticipantMerge, "merged_by", row["merged_by"]),
        )
        for row in rows
    )
    return Section(
        "merged_records", gettext("Records merged into this one"), "table", columns, items
    )


def _one(
    key: str, title: str, model: type[models.Model], row: dict[str, Any], names: Sequence[str]
) -> Section:
    shown = tuple(_shown(model, name, row[name]) for name in names)
    return Section(key, title, "fields", tuple(s.label for s in shown), (shown,))


def _many(
    key: str,
    title: str,
    layout: str,
    model: type[models.Model],
    rows: list[dict[str, Any]],
    names: Sequence[str],
    empty: str,
) -> Section:
    return Section(
        key,
        title,
        layout,
        tuple(_label(model, name) for name in names),
        tuple(tuple(_shown(model, name, row[name]) for name in names) for row in rows),
        empty,
    )


def _registrations(rows: list[dict[str, Any]]) -> Section:
    model: type[models.Model] = Participant._meta.get_field("registrations").related_model
    names = [name for name in REGISTRATION_FIELDS if name != "attended_at"]
    activity_label = _label(model, "event")
    date_label = capfirst(gettext("date"))
    attended_label = _label(model, "attended_at")
    items = []
    for row in rows:
        attended_at = row["attended_at"]
        items.append(
            (
                Shown(activity_label, row["activity"]["title"]),
                Shown(date_label, row["activity"]["starts_at"]),
                Shown(attended_label, attended_at if attended_at else gettext("no")),
                *(_shown(model, name, row[name]) for name in names),
            )
        )
    columns = (activity_label, date_label, attended_label, *(_label(model, n) for n in names))
    return Section(
        "registrations",
        gettext("Sign-ups to activities"),
        "blocks",
        columns,
        tuple(items),
        gettext("No sign-up to an activity is linked to this record."),
    )


def _label(model: type[models.Model], name: str) -> str:
    if model is AccessLog and name == "purpose":
        # The model calls it "where" (the screen that showed the record); the person
        # reads it as the purpose of the access.
        return str(capfirst(gettext("purpose")))
    field = model._meta.get_field(name)
    return str(capfirst(getattr(field, "verbose_name", name)))


def _shown(model: type[models.Model], name: str, value: Any) -> Shown:
    label = _label(model, name)
    field = model._meta.get_field(name)
    if value is None or value == "":
        return Shown(label)
    if isinstance(value, bool):
        return Shown(label, gettext("yes") if value else gettext("no"))
    if isinstance(value, dict):  # a member of staff
        return Shown(
            label,
            items=tuple(v for v in (value["name"], ltr_html(value["email"])) if v),
            is_list=True,
        )
    if isinstance(value, list):
        return Shown(label, items=tuple(_item(model, name, v) for v in value), is_list=True)
    if isinstance(value, date | datetime):
        return Shown(label, value)
    if isinstance(field, CountryField):
        return Shown(label, str(countries.name(value)) or str(value))
    choices = getattr(field, "flatchoices", None)
    if choices:
        return Shown(label, str(dict(choices).get(value, value)))
    return Shown(label, str(value), ltr=name in LATIN_IDENTIFIERS)


def _item(model: type[models.Model], name: str, value: Any) -> str:
    if model is Participant and name == "needs":
        return str(Need(value).label) if value in Need.values else str(value)
    if model is AccessLog and name == "fields":
        return _field_label(str(value))
    return str(value)


def _field_label(name: str) -> str:
    """A logged field name as the person would read it."""
    for model in (Participant, SupportRequest):
        try:
            return _label(model, name)
        except FieldDoesNotExist:
            continue
    return name


# --- PDF ----------------------------------------------------------------------------


def export_document(data: dict[str, Any]) -> "weasyprint.Document":
    """The export laid out on A4 pages, in the active language. Returned rather than
    written so that tests can read the pages' text without parsing the PDF. The
    template inlines everything it needs (belfaa.pdf fetches data: URLs only)."""
    html = render_to_string(TEMPLATE, {"export": export_display(data), "pdf": True})
    return html_document(html)


def export_pdf(data: dict[str, Any]) -> bytes:
    """The export as PDF bytes, in the active language."""
    pdf: bytes = export_document(data).write_pdf()
    return pdf
