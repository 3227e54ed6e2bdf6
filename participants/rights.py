"""The right of access (Law 09-08, art. 7; GDPR, art. 15): everything the registry holds
on one person, gathered once and shown three ways by `participants/rights_views.py`.

`participant_export_data` gathers the facts in machine form: stable English keys,
codes rather than labels, dates as `date`/`datetime` (the JSON view writes them in ISO
8601). `export_display` turns the same dict into labelled sections for the page and
the PDF, in the active language; `export_pdf` lays that page out on A4.

Registrations live in `events`, which participants may not import (DESIGN.md, the
direction of the arrows): they are reached through the reverse relation only.
"""

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
from django.utils.translation import gettext
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
    SupportRequest,
)

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
ACCESS_LOG_FIELDS = ("at", "user", "fields", "purpose")


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
    access_log = AccessLog.objects.filter(reference=participant.reference).select_related("user")

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
        "access_log": [_fields(row, ACCESS_LOG_FIELDS) for row in access_log],
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
