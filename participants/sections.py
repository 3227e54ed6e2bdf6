"""The shapes of the right-of-access export as shown on the page and in the PDF: a
section of labelled values. Apart from the display, so that the holders seam (whose
holders return a section) and the display both use them without importing each other."""

from dataclasses import dataclass
from datetime import date, datetime


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
