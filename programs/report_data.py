"""What a PAC report is made of, independent of how it is drawn.

The report is computed once into these plain objects; the HTML page, the PDF, the
XLSX workbook and the CSV are all drawn from the same `Report`, so the four never
disagree. Figures are numbers (`int` or `Decimal`), a suppressed cell of the partner
version, or text; labels are already translated (the report is built inside
`translation.override(language)`).

Apps above `programs` add their own sections (the activities' "what we heard" for
instance) through `section_register`, from their `AppConfig.ready`; the report code
never imports them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from programs.suppression import Suppressed

Cell = int | Decimal | str | Suppressed | None


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    # Index of the columns that hold numbers (drawn right-aligned, written as numbers).
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Chart:
    """A chart already drawn as SVG markup on the server (same on screen and in PDF)."""

    title: str
    svg: str


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Scope:
    """Which report is asked for: one year (or the plan so far up to it), for staff or
    restricted to one partner organisation (small cells suppressed)."""

    year: int
    cumulative: bool = False
    organisation_id: int | None = None


@dataclass(frozen=True)
class Report:
    title: str
    scope: Scope
    language: str
    sections: list[Section]
    notes: list[str] = field(default_factory=list)


SectionBuilder = Callable[[Scope], Section | None]
_SECTIONS: dict[str, tuple[int, SectionBuilder]] = {}


def section_register(key: str, *, order: int, builder: SectionBuilder) -> None:
    """Add a section that an app above `programs` computes; `order` places it."""
    _SECTIONS[key] = (order, builder)


def registered_sections() -> list[tuple[int, str, SectionBuilder]]:
    return sorted((order, key, builder) for key, (order, builder) in _SECTIONS.items())
