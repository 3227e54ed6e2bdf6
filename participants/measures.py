"""What the registry shows over a period, as SQL aggregates, registered with the
measures registry of `programs` (ParticipantsConfig.ready) for the action plan.

People are counted from their records, erased ones included (erasure keeps group,
sex, birth year and nationality precisely so that counts stay right). A person who
withdrew their consent to being counted in statistics, and has not given it again,
is left out of every figure. A record merged into another counts once, as the kept one."""

from dataclasses import replace
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from participants.models import Consent, Participant, ParticipantMerge, SupportRequest
from programs.measures import (
    Figure,
    Measure,
    Parameter,
    Unit,
    age_band,
    local_days,
    localised,
)

REQUEST_KIND = Parameter("kind", _("kind of request"), SupportRequest.Kind.choices)
OUTCOME = Parameter("outcome", _("outcome"), SupportRequest.Outcome.choices)
PARTNER_OUTCOME = Parameter(
    "partner_outcome", _("partner's outcome"), SupportRequest.PartnerOutcome.choices
)
PEOPLE_BREAKDOWNS = ("group", "sex", "age_band")


def _objected() -> Q:
    statistics = Consent.objects.filter(participant=OuterRef("pk"), purpose="statistics")
    return Exists(statistics.filter(withdrawn_at__isnull=False)) & ~Exists(
        statistics.filter(withdrawn_at__isnull=True)
    )


def counted_people() -> QuerySet[Participant]:
    """Everyone but those who objected, and but a record merged into another (the
    person is counted once, on the record that was kept)."""
    merged = ParticipantMerge.objects.filter(merged=OuterRef("pk"))
    return Participant.objects.exclude(_objected()).exclude(Exists(merged))


def _by(rows: QuerySet, by: str | None, end: date, count: Count) -> Figure:
    if by == "age_band":
        # The age reached in the last year of the range.
        rows = rows.annotate(age=Value(end.year) - F("birth_year")).annotate(
            age_band=age_band(known=Q(birth_year__isnull=False))
        )
    if by is None:
        return rows.aggregate(n=count)["n"]
    return {row[by]: row["n"] for row in rows.order_by().values(by).annotate(n=count)}


def registered(*, start: date, end: date, by: str | None) -> Figure:
    """People entered in the registry during the range."""
    rows = counted_people().filter(created_at__range=local_days(start, end))
    return _by(rows, by, end, Count("pk"))


def accompanied(*, start: date, end: date, by: str | None, kind: str | None = None) -> Figure:
    """People with at least one support request opened during the range."""
    opened = SupportRequest.objects.filter(
        participant=OuterRef("pk"), opened_on__range=(start, end)
    )
    if kind:
        opened = opened.filter(kind=kind)
    return _by(counted_people().filter(Exists(opened)), by, end, Count("pk"))


def support_requests(
    *,
    start: date,
    end: date,
    by: str | None,
    kind: str | None = None,
    outcome: str | None = None,
) -> Figure:
    """Support requests opened during the range, by kind, status or outcome."""
    rows = SupportRequest.objects.filter(
        opened_on__range=(start, end), participant__in=counted_people()
    )
    if kind:
        rows = rows.filter(kind=kind)
    if outcome:
        rows = rows.filter(outcome=outcome)
    return _by(rows, by, end, Count("pk"))


def referrals(
    *, start: date, end: date, by: str | None, partner_outcome: str | None = None
) -> Figure:
    """Support requests opened during the range and referred to a partner, by partner
    (its name), optionally only those with a given partner's outcome. The registry of
    breakdowns has no "partner outcome", so the outcome is a parameter."""
    rows = SupportRequest.objects.filter(
        opened_on__range=(start, end),
        referred_to__isnull=False,
        participant__in=counted_people(),
    ).annotate(partner=localised("referred_to__name"))
    if partner_outcome:
        rows = rows.filter(partner_outcome=partner_outcome)
    return _by(rows, by, end, Count("pk"))


MEASURES = (
    Measure(
        code="participants.registered",
        label=_("people entered in the registry"),
        unit=Unit.PEOPLE,
        counter=registered,
        breakdowns=PEOPLE_BREAKDOWNS,
    ),
    Measure(
        code="participants.accompanied",
        label=_("people accompanied"),
        description=_("People with at least one support request opened in the period."),
        unit=Unit.PEOPLE,
        counter=accompanied,
        parameters=(REQUEST_KIND,),
        breakdowns=PEOPLE_BREAKDOWNS,
    ),
    Measure(
        code="participants.support_requests",
        label=_("support requests opened"),
        unit=Unit.REQUESTS,
        counter=support_requests,
        parameters=(REQUEST_KIND, OUTCOME),
        breakdowns=("kind", "status", "outcome"),
    ),
    Measure(
        code="participants.referrals",
        label=_("referrals by partner and outcome"),
        description=_("Support requests opened in the period and referred to a partner."),
        unit=Unit.REQUESTS,
        counter=referrals,
        parameters=(PARTNER_OUTCOME,),
        breakdowns=("partner", "status"),
    ),
)

# How the PAC report names the values of the breakdowns above (the kinds and outcomes
# are named by their parameters' choices already).
_LABELS = (
    ("group", Participant.Group.choices),
    ("status", SupportRequest.Status.choices),
)
MEASURES = tuple(  # type: ignore[assignment]
    replace(measure, labels=_LABELS) for measure in MEASURES
)
