"""The measures registry: what the action plan's indicators can count from the records.

`programs` holds the plan and the report but not the facts: activities live in
`events`, people and support requests in `participants`, money in `partners`. Each of
those apps declares the measures its records support and registers them here from its
`AppConfig.ready`, so the report asks for a measure by its code and `programs` never
imports the apps above it. A measure counts over a range of local dates, takes named
parameters from a closed list of choices, and may be broken down by a few named
dimensions (group, sex, age band, or one of its own such as the kind of activity)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from belfaa.choices import Sex

type Label = str | Promise
# Money is Decimal (never float); counts are int.
type Number = int | Decimal
type Figure = Number | dict[str, Number]

# (code, lowest age, highest age): the age bands every measure of people uses, so that
# figures from different apps can sit side by side in the report.
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("0-14", 0, 14),
    ("15-17", 15, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35-59", 35, 59),
    ("60+", 60, 200),
)
UNKNOWN = "unknown"

# The breakdowns the report knows how to label; a measure names those it supports.
BREAKDOWNS: dict[str, Label] = {
    "group": _("group"),
    "sex": _("sex"),
    "age_band": _("age band"),
    "kind": _("kind"),
    "status": _("status"),
    "outcome": _("outcome"),
    "partner": _("partner"),
    "programme": _("programme"),
    "year": _("year"),
    "theme": _("theme"),
}


class MeasureError(ValueError):
    """A measure asked for with a code, a parameter or a breakdown it does not have."""


@dataclass(frozen=True)
class Parameter:
    name: str
    label: Label
    choices: Sequence[tuple[str, Label]]

    def check(self, value: str) -> str:
        if value not in {code for code, _label in self.choices}:
            raise MeasureError(f"{value!r} is not a choice of the parameter {self.name!r}")
        return value


@dataclass(frozen=True)
class Measure:
    """One countable fact. `counter(start, end, by, **params)` returns the total when
    `by` is None, else a mapping from each breakdown value to its count."""

    code: str
    label: Label
    unit: str
    counter: Callable[..., Figure]
    parameters: tuple[Parameter, ...] = ()
    breakdowns: tuple[str, ...] = ()
    description: Label = ""
    # The labels of a breakdown's values, (breakdown, choices), where they are neither a
    # parameter's choices nor a sex or an age band (see value_label).
    labels: tuple[tuple[str, Sequence[tuple[str, Label]]], ...] = ()
    # Whether the counter takes `organisation=<id>` and then counts only that partner's
    # records (its activities, agreements, referrals): the partner version of the report.
    by_organisation: bool = False

    def value(
        self,
        *,
        start: date,
        end: date,
        by: str | None = None,
        organisation: int | None = None,
        **params: str,
    ) -> Figure:
        if organisation is not None:
            if not self.by_organisation:
                raise MeasureError(f"{self.code} cannot be restricted to one partner")
            params_or_scope: dict[str, object] = {"organisation": organisation}
        else:
            params_or_scope = {}
        if start > end:
            raise MeasureError("the range ends before it starts")
        if by is not None and by not in self.breakdowns:
            raise MeasureError(f"{self.code} cannot be broken down by {by!r}")
        known = {parameter.name: parameter for parameter in self.parameters}
        unknown = set(params) - set(known)
        if unknown:
            raise MeasureError(f"{self.code} takes no parameter {sorted(unknown)}")
        checked = {name: known[name].check(value) for name, value in params.items()}
        return self.counter(start=start, end=end, by=by, **checked, **params_or_scope)

    def value_label(self, by: str, code: object) -> Label:
        """How the report names one value of a breakdown (a code of the database)."""
        if code is None or code == "" or code == UNKNOWN:
            return _("unknown")
        for name, choices in self.labels:
            if name == by:
                return dict(choices).get(str(code), str(code))
        for parameter in self.parameters:
            if parameter.name == by:
                return dict(parameter.choices).get(str(code), str(code))
        if by == "sex":
            return dict(Sex.choices).get(str(code), str(code))
        return str(code)


class Unit:
    PEOPLE = "people"
    ACTIVITIES = "activities"
    REGISTRATIONS = "registrations"
    REQUESTS = "requests"
    MAD = "MAD"
    AGREEMENTS = "agreements"
    COMMITMENTS = "commitments"
    STATEMENTS = "statements"


UNITS: dict[str, Label] = {
    Unit.PEOPLE: _("people"),
    Unit.ACTIVITIES: _("activities"),
    Unit.REGISTRATIONS: _("registrations"),
    Unit.REQUESTS: _("support requests"),
    Unit.MAD: _("dirhams (MAD)"),
    Unit.AGREEMENTS: _("agreements"),
    Unit.COMMITMENTS: _("commitments"),
    Unit.STATEMENTS: _("concerns and proposals"),
}

_registry: dict[str, Measure] = {}


def measure_register(measure: Measure) -> Measure:
    """Add a measure (from an AppConfig.ready). A code is registered once."""
    unknown = set(measure.breakdowns) - set(BREAKDOWNS)
    if unknown:
        raise MeasureError(f"{measure.code}: unknown breakdowns {sorted(unknown)}")
    if measure.unit not in UNITS:
        raise MeasureError(f"{measure.code}: unknown unit {measure.unit!r}")
    if _registry.get(measure.code, measure) is not measure:
        raise MeasureError(f"a measure {measure.code!r} is registered already")
    _registry[measure.code] = measure
    return measure


def measure_get(code: str) -> Measure:
    try:
        return _registry[code]
    except KeyError:
        raise MeasureError(f"no measure {code!r} is registered") from None


def measures() -> list[Measure]:
    return [_registry[code] for code in sorted(_registry)]


def age_band(*, known: Q) -> Case:
    """The age band of a queryset's `age` annotation, as SQL; `known` says when the
    birth year is set (an unknown one falls in UNKNOWN)."""
    return Case(
        *[
            When(known & Q(age__gte=low, age__lte=high), then=Value(code))
            for code, low, high in AGE_BANDS
        ],
        default=Value(UNKNOWN),
    )


def local_days(start: date, end: date) -> tuple[datetime, datetime]:
    """The first and the last instant of a range of local dates, for `field__range` on
    a datetime column: a plain comparison the database can use an index for, where
    `field__date__range` would convert every row's value first."""
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end, time.max, tzinfo=tz)


def localised(path: str) -> Coalesce:
    """A translated field across a relation (e.g. "referred_to__name") in the active
    language, or its default-language value where that translation is empty: a
    breakdown by partner names the partners in the report's language."""
    language = translation.get_language() or "ar"
    return Coalesce(NullIf(F(build_localized_fieldname(path, language)), Value("")), F(path))
