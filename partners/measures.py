"""What the agreements show over a period, registered with the measures registry of
`programs` (PartnersConfig.ready) for the action plan's indicators."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from partners.models import Agreement, Commitment, Contribution
from partners.selectors import contribution_totals
from programs.measures import Figure, Measure, Unit


def active_agreements(*, start: date, end: date, by: str | None) -> Figure:
    """Signed agreements in force on at least one day of the range."""
    rows = Agreement.objects.exclude(status=Agreement.Status.DRAFT).filter(
        Q(starts_on__lte=end) | Q(starts_on__isnull=True, signed_on__lte=end),
        Q(ends_on__isnull=True) | Q(ends_on__gte=start),
    )
    if by is None:
        return rows.count()
    return {row["kind"]: row["n"] for row in rows.order_by().values("kind").annotate(n=Count("pk"))}


def contributions_mad(*, start: date, end: date, by: str | None) -> Figure:
    """Contributions for the years of the range, in dirhams at each one's rate."""
    rows = Contribution.objects.filter(year__range=(start.year, end.year)).select_related(
        "organisation"
    )
    if by == "programme":
        # By the programmes each agreement serves (Agreement.programmes): an agreement
        # serving two programmes counts in both, so these do not add up to the total.
        by_programme: dict[str, Decimal] = defaultdict(Decimal)
        served = rows.annotate(programme=F("agreement__programmes")).filter(programme__isnull=False)
        for row in served:
            by_programme[str(row.programme)] += row.amount_mad
        return dict(by_programme)
    totals = contribution_totals(rows)
    if by is None:
        return totals.mad
    if by == "year":
        return {str(year): amount for year, amount in sorted(totals.by_year_mad.items())}
    names = {row.organisation_id: row.organisation.name for row in rows}
    return {names[pk]: amount for pk, amount in totals.by_partner_mad.items()}


def commitments_on_time(*, start: date, end: date, by: str | None) -> Figure:
    """Commitments due in the range that were done by their due date."""
    rows = Commitment.objects.filter(
        due_on__range=(start, end), status=Commitment.Status.DONE, done_on__lte=F("due_on")
    )
    if by is None:
        return rows.count()
    return {
        row["organisation__name"]: row["n"]
        for row in rows.order_by().values("organisation__name").annotate(n=Count("pk"))
    }


MEASURES = (
    Measure(
        code="partners.active_agreements",
        label=_("agreements in force"),
        unit=Unit.AGREEMENTS,
        counter=active_agreements,
        breakdowns=("kind",),
    ),
    Measure(
        code="partners.contributions_mad",
        label=_("contributions of the partners (MAD)"),
        description=_("Cash and in kind, converted at the rate recorded with each one."),
        unit=Unit.MAD,
        counter=contributions_mad,
        breakdowns=("partner", "year", "programme"),
    ),
    Measure(
        code="partners.commitments_on_time",
        label=_("commitments done on time"),
        unit=Unit.COMMITMENTS,
        counter=commitments_on_time,
        breakdowns=("partner",),
    ),
)
