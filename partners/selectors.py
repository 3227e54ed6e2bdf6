"""Reads of the partners' records that several screens and the measures share."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from partners.models import Contribution


@dataclass
class Totals:
    """Contributions added up in Decimal: in dirhams (at each row's own rate) and in
    the currency they were given in."""

    mad: Decimal = Decimal("0.00")
    by_year_mad: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_partner_mad: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_partner_year_mad: dict[tuple[int, int], Decimal] = field(
        default_factory=lambda: defaultdict(Decimal)
    )
    by_currency: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_year_currency: dict[tuple[int, str], Decimal] = field(
        default_factory=lambda: defaultdict(Decimal)
    )
    by_partner_currency: dict[tuple[int, str], Decimal] = field(
        default_factory=lambda: defaultdict(Decimal)
    )


def contribution_totals(contributions: Iterable[Contribution]) -> Totals:
    totals = Totals()
    for row in contributions:
        mad, amount = row.amount_mad, Decimal(row.amount)
        totals.mad += mad
        totals.by_year_mad[row.year] += mad
        totals.by_partner_mad[row.organisation_id] += mad
        totals.by_partner_year_mad[(row.organisation_id, row.year)] += mad
        totals.by_currency[row.currency] += amount
        totals.by_year_currency[(row.year, row.currency)] += amount
        totals.by_partner_currency[(row.organisation_id, row.currency)] += amount
    return totals
