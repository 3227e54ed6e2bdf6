"""Reads of the partners' records that several screens and the measures share."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from partners.models import Commitment, Contribution


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


def organisation_contributions(organisation_id: int) -> list[Contribution]:
    """Every party's contributions to the agreements this organisation is a party to.

    A shared convention's budget is known to all its signatories, so a partner sees
    the other parties' contributions on the agreements it is party to, and nothing of
    agreements it is not party to."""
    return list(
        Contribution.objects.filter(agreement__parties__organisation=organisation_id)
        .distinct()
        .select_related("agreement", "organisation")
        .order_by("year", "agreement__reference", "organisation__name", "pk")
    )


def organisation_commitments(organisation_id: int) -> list[Commitment]:
    """The commitments of every party on the agreements this organisation is party to."""
    return list(
        Commitment.objects.filter(agreement__parties__organisation=organisation_id)
        .distinct()
        .select_related("agreement", "organisation")
        .order_by("due_on", "agreement__reference", "pk")
    )
