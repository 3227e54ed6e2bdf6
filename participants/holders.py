"""What else holds a person: the seam through which the apps above the registry take
part in what the registry does to a person, without the registry importing them.

An app whose records name a participant (events: sign-ups to activities) registers a
`Holder` from its `AppConfig.ready`. The registry then asks every holder to count and
move those records on a merge, to wipe them on an erasure, for the person's last
activity (retention), and for its part of the right-of-access export."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Aggregate

if TYPE_CHECKING:
    from participants.models import Participant
    from participants.sections import Section


@dataclass(frozen=True)
class Holder:
    key: str
    label: Callable[[], str]
    # An aggregate over Participant rows: how many of these records a person holds.
    count: Callable[[], Aggregate]
    # The latest moment of activity among these records, as an aggregate, or None.
    last_activity: Callable[[], Aggregate] | None
    move: Callable[["Participant", "Participant"], None]
    wipe: Callable[["Participant", datetime], None]
    # The records in the export's machine form, and as a section of the page and PDF.
    export_rows: Callable[["Participant"], list[dict[str, Any]]]
    export_section: Callable[[list[dict[str, Any]]], "Section"]


_holders: dict[str, Holder] = {}


def holder_register(holder: Holder) -> None:
    if _holders.get(holder.key, holder) is not holder:
        raise ValueError(f"a holder {holder.key!r} is registered already")
    _holders[holder.key] = holder


def holders() -> list[Holder]:
    return list(_holders.values())
