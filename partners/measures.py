"""What the agreements show over a period, registered with the measures registry of
`programs` (PartnersConfig.ready) for the action plan's indicators."""

from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, When
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

from partners.models import Agreement, Commitment, Contribution, Currency, Party
from programs.measures import Figure, Measure, Unit, localised

# A contribution in dirhams, at its recorded rate, to the centime (as
# Contribution.amount_mad), computed by the database so that totals are one query.
AMOUNT_MAD = Case(
    When(Q(currency=Currency.MAD) | Q(rate_to_mad__isnull=True), then=F("amount")),
    default=Round(F("amount") * F("rate_to_mad"), 2),
    output_field=DecimalField(max_digits=20, decimal_places=2),
)


def _of(organisation: int | None) -> QuerySet[Agreement]:
    """The agreements a partner is a party to; every agreement for the staff report."""
    agreements = Agreement.objects.all()
    if organisation is None:
        return agreements
    return agreements.filter(
        pk__in=Party.objects.filter(organisation_id=organisation).values("agreement")
    )


def active_agreements(
    *, start: date, end: date, by: str | None, organisation: int | None = None
) -> Figure:
    """Signed agreements in force on at least one day of the range."""
    rows = (
        _of(organisation)
        .exclude(status=Agreement.Status.DRAFT)
        .filter(
            Q(starts_on__lte=end) | Q(starts_on__isnull=True, signed_on__lte=end),
            Q(ends_on__isnull=True) | Q(ends_on__gte=start),
        )
    )
    if by is None:
        return rows.count()
    return {row["kind"]: row["n"] for row in rows.order_by().values("kind").annotate(n=Count("pk"))}


def contributions_mad(
    *, start: date, end: date, by: str | None, organisation: int | None = None
) -> Figure:
    """Contributions for the years of the range, in dirhams at each one's rate."""
    rows = Contribution.objects.filter(
        year__range=(start.year, end.year), agreement__in=_of(organisation)
    ).order_by()
    if by is None:
        return rows.aggregate(total=Sum(AMOUNT_MAD))["total"] or Decimal(0)
    # By programme: by the programmes each agreement serves (Agreement.programmes); an
    # agreement serving two programmes counts in both, so these do not add up to the total.
    key = {"programme": "agreement__programmes", "year": "year"}.get(by, "partner")
    rows = rows.annotate(partner=localised("organisation__name"))
    grouped = rows.filter(**{f"{key}__isnull": False}).values(key).annotate(total=Sum(AMOUNT_MAD))
    return {str(row[key]): row["total"] for row in grouped.order_by(key)}


def commitments_on_time(
    *, start: date, end: date, by: str | None, organisation: int | None = None
) -> Figure:
    """Commitments due in the range that were done by their due date."""
    rows = Commitment.objects.filter(
        due_on__range=(start, end),
        status=Commitment.Status.DONE,
        done_on__lte=F("due_on"),
        agreement__in=_of(organisation),
    )
    if by is None:
        return rows.count()
    return {
        row["partner"]: row["n"]
        for row in rows.annotate(partner=localised("organisation__name"))
        .order_by()
        .values("partner")
        .annotate(n=Count("pk"))
    }


MEASURES = (
    Measure(
        code="partners.active_agreements",
        label=_("agreements in force"),
        unit=Unit.AGREEMENTS,
        counter=active_agreements,
        breakdowns=("kind",),
        labels=(("kind", Agreement.Kind.choices),),
        by_organisation=True,
    ),
    Measure(
        code="partners.contributions_mad",
        label=_("contributions of the partners (MAD)"),
        description=_("Cash and in kind, converted at the rate recorded with each one."),
        unit=Unit.MAD,
        counter=contributions_mad,
        breakdowns=("partner", "year", "programme"),
        by_organisation=True,
    ),
    Measure(
        code="partners.commitments_on_time",
        label=_("commitments done on time"),
        unit=Unit.COMMITMENTS,
        counter=commitments_on_time,
        breakdowns=("partner",),
        by_organisation=True,
    ),
)
