"""Sign-ups to activities as records the registry's people hold (participants/holders.py):
moved on a merge, wiped on an erasure, dating a person's last activity, and shown in
the right-of-access export. Registered from EventsConfig.ready."""

from datetime import datetime
from typing import Any

from django.db.models import Count, Max
from django.utils.text import capfirst
from django.utils.translation import gettext

from events.models import Registration
from participants.holders import Holder
from participants.models import Participant
from participants.rights.data import record_fields
from participants.rights.display import Section, Shown, label, shown

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


def _move(keep: Participant, gone: Participant) -> None:
    Registration.objects.filter(participant=gone).update(participant=keep)


def _wipe(participant: Participant, at: datetime) -> None:
    Registration.objects.filter(participant=participant).update(
        name="", phone="", email="", anonymised_at=at
    )


def _rows(participant: Participant) -> list[dict[str, Any]]:
    registrations = (
        Registration.objects.filter(participant=participant)
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )
    return [
        {
            "activity": {
                "title": registration.event.title,
                "starts_at": registration.event.starts_at,
                "ends_at": registration.event.ends_at,
                "venue": registration.event.venue,
            },
            "attended": registration.attended_at is not None,
            **record_fields(registration, REGISTRATION_FIELDS),
        }
        for registration in registrations
    ]


def _section(rows: list[dict[str, Any]]) -> Section:
    names = [name for name in REGISTRATION_FIELDS if name != "attended_at"]
    activity_label = label(Registration, "event")
    date_label = str(capfirst(gettext("date")))
    attended_label = label(Registration, "attended_at")
    items = tuple(
        (
            Shown(activity_label, row["activity"]["title"]),
            Shown(date_label, row["activity"]["starts_at"]),
            Shown(attended_label, row["attended_at"] or gettext("no")),
            *(shown(Registration, name, row[name]) for name in names),
        )
        for row in rows
    )
    columns = (activity_label, date_label, attended_label, *(label(Registration, n) for n in names))
    return Section(
        "registrations",
        gettext("Sign-ups to activities"),
        "blocks",
        columns,
        items,
        gettext("No sign-up to an activity is linked to this record."),
    )


REGISTRATIONS = Holder(
    key="registrations",
    label=lambda: gettext("Sign-ups to activities"),
    count=lambda: Count("registrations", distinct=True),
    last_activity=lambda: Max("registrations__event__starts_at"),
    move=_move,
    wipe=_wipe,
    export_rows=_rows,
    export_section=_section,
)
