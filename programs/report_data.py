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
from dataclasses import dataclass, field, replace
from datetime import date
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
    # The columns that together name a row: the CSV's "line" (the others are its values).
    key_columns: tuple[int, ...] = (0,)


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
    # The first year of the plan the year falls in (report_build fills it): where a
    # cumulative report starts.
    plan_start: int | None = None

    @property
    def first_year(self) -> int:
        return self.plan_start if self.cumulative and self.plan_start else self.year

    def dates(self) -> tuple[date, date]:
        """The local dates the figures count over, both included."""
        return date(self.first_year, 1, 1), date(self.year, 12, 31)

    def label(self) -> str:
        """ "2025", or "2021-2025" for the plan so far (isolated where drawn in HTML)."""
        if self.first_year == self.year:
            return str(self.year)
        return f"{self.first_year}-{self.year}"

    def previous(self) -> "Scope | None":
        """The same figures one year earlier, shown beside them; None when a cumulative
        report is at the plan's first year (there is no plan so far before it)."""
        if self.cumulative and self.year - 1 < self.first_year:
            return None
        return replace(self, year=self.year - 1)


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


# The name of a partner organisation, for the partner version's title and the checks of
# the command: `partners` sits above `programs`, so an app above it registers how to
# find one (events, from its AppConfig.ready).
_organisation_names: list[Callable[[int], str | None]] = []


def organisation_name_register(lookup: Callable[[int], str | None]) -> None:
    if lookup not in _organisation_names:
        _organisation_names.append(lookup)


def organisation_name(pk: int) -> str | None:
    """The partner's name, or None when no partner has this id."""
    for lookup in _organisation_names:
        name = lookup(pk)
        if name is not None:
            return name
    return None
