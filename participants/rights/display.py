"""The right-of-access export as the page and the PDF show it: labelled sections in
the active language, laid out on A4 for the PDF."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.loader import render_to_string
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop, pgettext
from django_countries import countries
from django_countries.fields import CountryField

from belfaa.bidi import ltr_html
from belfaa.pdf import html_document
from participants.holders import holders
from participants.models import (
    SUPPORT_REQUEST_FIELDS,
    AccessLog,
    Consent,
    Need,
    Participant,
    ParticipantMerge,
    SupportRequest,
)
from participants.rights.data import (
    ABOUT,
    ACCESS_LOG_FIELDS,
    CONSENT_FIELDS,
    HISTORY_MODELS,
    LATIN_IDENTIFIERS,
    PARTICIPANT_FIELDS,
    RECORD_KEEPING_FIELDS,
    SENSITIVE_PARTICIPANT_FIELDS,
)
from participants.sections import Entry, Section, Shown

if TYPE_CHECKING:
    import weasyprint

TEMPLATE = "participants/access_export.html"


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
    sections += [holder.export_section(data[holder.key]) for holder in holders()]
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
                        label(model, change["field"]),
                        shown(model, change["field"], change["old"]),
                        shown(model, change["field"], change["new"]),
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
        detail = str(shown(model, ABOUT[row["record"]], row["about"]).value or "—")
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
    for pattern, reason_label in REASONS:
        if found := pattern.match(text):
            return gettext(reason_label) % found.groupdict()
    return text


def _merged_section(rows: list[dict[str, Any]]) -> Section:
    columns = (
        capfirst(gettext("record")),
        capfirst(gettext("merged into")),
        label(ParticipantMerge, "merged_at"),
        label(ParticipantMerge, "merged_by"),
    )
    items = tuple(
        (
            Shown(columns[0], row["reference"], ltr=True),
            Shown(columns[1], row["into"], ltr=True),
            Shown(columns[2], row["merged_at"]),
            shown(ParticipantMerge, "merged_by", row["merged_by"]),
        )
        for row in rows
    )
    return Section(
        "merged_records", gettext("Records merged into this one"), "table", columns, items
    )


def _one(
    key: str, title: str, model: type[models.Model], row: dict[str, Any], names: Sequence[str]
) -> Section:
    values = tuple(shown(model, name, row[name]) for name in names)
    return Section(key, title, "fields", tuple(v.label for v in values), (values,))


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
        tuple(label(model, name) for name in names),
        tuple(tuple(shown(model, name, row[name]) for name in names) for row in rows),
        empty,
    )


def label(model: type[models.Model], name: str) -> str:
    if model is AccessLog and name == "purpose":
        # The model calls it "where" (the screen that showed the record); the person
        # reads it as the purpose of the access.
        return str(capfirst(gettext("purpose")))
    field = model._meta.get_field(name)
    return str(capfirst(getattr(field, "verbose_name", name)))


def shown(model: type[models.Model], name: str, value: Any) -> Shown:
    text = label(model, name)
    field = model._meta.get_field(name)
    if value is None or value == "":
        return Shown(text)
    if isinstance(value, bool):
        return Shown(text, gettext("yes") if value else gettext("no"))
    if isinstance(value, dict):  # a member of staff
        return Shown(
            text,
            items=tuple(v for v in (value["name"], ltr_html(value["email"])) if v),
            is_list=True,
        )
    if isinstance(value, list):
        return Shown(text, items=tuple(_item(model, name, v) for v in value), is_list=True)
    if isinstance(value, date | datetime):
        return Shown(text, value)
    if isinstance(field, CountryField):
        return Shown(text, str(countries.name(value)) or str(value))
    choices = getattr(field, "flatchoices", None)
    if choices:
        return Shown(text, str(dict(choices).get(value, value)))
    return Shown(text, str(value), ltr=name in LATIN_IDENTIFIERS)


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
            return label(model, name)
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
