"""The partner's own agreements: list, detail and document downloads.

Every lookup starts from `request.organisation`, so another organisation's ids answer
404. Of the staff who changed an agreement's status, a partner sees no identity: the
change is attributed to "the commune"; only the partner's own users are named."""

from decimal import Decimal

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone

from belfaa.uploads import attachment_response
from partners.models import Agreement, AgreementQuerySet, Amendment, Membership, ProgressReport
from partners.selectors import contribution_totals, organisation_contributions
from portal.access import PortalRequest, member_required
from portal.exports import money_export


def _agreements(request: PortalRequest) -> AgreementQuerySet:
    return Agreement.objects.for_organisation(request.organisation)


@member_required
def agreement_list(request: PortalRequest) -> HttpResponse:
    today = timezone.localdate()
    agreements = list(_agreements(request).order_by("-signed_on", "reference"))
    rows = [(agreement, agreement.days_to_end(today)) for agreement in agreements]
    return render(request, "portal/agreements/list.html", {"rows": rows})


@member_required
def agreement_detail(request: PortalRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(
        _agreements(request).prefetch_related(
            "parties__organisation", "programmes", "amendments", "status_changes__by"
        ),
        pk=pk,
    )
    own_users = set(
        Membership.objects.filter(organisation=request.organisation).values_list(
            "user_id", flat=True
        )
    )
    history = [
        (change, change.by if change.by_id in own_users else None)
        for change in agreement.status_changes.all()
    ]
    today = timezone.localdate()
    commitments = list(
        agreement.commitments.select_related("organisation").order_by("due_on", "pk")
    )
    next_report = (
        ProgressReport.objects.for_organisation(request.organisation)
        .waiting()
        .filter(agreement=agreement)
        .order_by("due_on")
        .first()
    )
    return render(
        request,
        "portal/agreements/detail.html",
        {
            "agreement": agreement,
            "history": history,
            "commitments": commitments,
            "days_to_end": agreement.days_to_end(today),
            "today": today,
            "next_report": next_report,
            "commitments_due": [c for c in commitments if c.status not in ("done", "dropped")],
        },
    )


@member_required
def agreement_document(request: PortalRequest, pk: int, which: str) -> FileResponse:
    agreement = get_object_or_404(_agreements(request), pk=pk)
    files = {"signed": agreement.document, "termination": agreement.termination_document}
    file = files.get(which)
    if not file:
        raise Http404
    # A FileResponse is streamed, not an HttpResponse, which member_required types.
    return attachment_response(file, title=f"{agreement.reference}-{which}")


@member_required
def amendment_document(request: PortalRequest, pk: int) -> FileResponse:
    amendment = get_object_or_404(
        Amendment.objects.filter(agreement__in=_agreements(request)).select_related("agreement"),
        pk=pk,
    )
    if not amendment.document:
        raise Http404
    return attachment_response(
        amendment.document, title=f"{amendment.agreement.reference}-{amendment.number}"
    )


def _currencies(amounts: dict[tuple[int, str], Decimal], key: int) -> list[tuple[str, Decimal]]:
    """The amounts of one year or one party in each original currency."""
    return sorted((currency, amount) for (k, currency), amount in amounts.items() if k == key)


@member_required
def contribution_list(request: PortalRequest) -> HttpResponse:
    """Every party's contributions on the agreements the organisation is party to (a
    shared convention's budget is known to all its signatories), with totals in MAD and
    in the original currency, per year and per party; Decimal throughout."""
    rows = organisation_contributions(request.organisation.pk)
    totals = contribution_totals(rows)
    parties = {row.organisation_id: row.organisation.name for row in rows}
    by_year = [
        (year, totals.by_year_mad[year], _currencies(totals.by_year_currency, year))
        for year in sorted(totals.by_year_mad)
    ]
    by_party = [
        (name, totals.by_partner_mad[pk], _currencies(totals.by_partner_currency, pk))
        for pk, name in sorted(parties.items(), key=lambda item: item[1])
    ]
    return render(
        request,
        "portal/agreements/contributions.html",
        {
            "rows": rows,
            "total_mad": totals.mad,
            "by_year": by_year,
            "by_party": by_party,
            "by_currency": sorted(totals.by_currency.items()),
        },
    )


urlpatterns = [
    path("contributions/", contribution_list, name="contributions"),
    path("export.<str:fmt>", money_export, name="agreements_export"),
    path("", agreement_list, name="agreements"),
    path("<int:pk>/", agreement_detail, name="agreement"),
    path("<int:pk>/document/<str:which>/", agreement_document, name="agreement_document"),
    path("amendments/<int:pk>/document/", amendment_document, name="amendment_document"),
]
