"""Referrals in the partner portal: the support requests the BAOM referred to the
partner, the outcome the partner records, and a CSV export.

The person's name and contact show only while their sharing consent naming this
partner is in force (`referrals_for` reads it on every request); otherwise the partner
sees the request's own number, the kind of need, the dates and the status. The
participant's registry reference is never shown: it is stable across requests and would
let a partner link a person's referrals after consent was withdrawn. Every display of
personal data writes an access-log row in the transaction of the read."""

import csv

from django import forms
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from belfaa.spreadsheets import neutralise
from participants.models import AccessLog, SupportRequest
from participants.selectors import SHARED_FIELDS, referrals_for
from participants.services import access_log_write, referral_outcome_record
from portal.access import PortalRequest, member_required


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=SupportRequest.PartnerOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)


def _log(request: PortalRequest, rows: list[SupportRequest], purpose: AccessLog.Purpose) -> None:
    access_log_write(
        user=request.user,
        references=[row.participant.reference for row in rows if row.shared],  # type: ignore[attr-defined]
        fields=SHARED_FIELDS,
        purpose=purpose,
        request=request,
    )


def _referral(request: PortalRequest, pk: int) -> SupportRequest:
    found = referrals_for(request.organisation.pk).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@require_GET
@member_required
@transaction.atomic
def referral_list(request: PortalRequest) -> HttpResponse:
    rows = referrals_for(request.organisation.pk)
    # Only the status can be filtered on, from its fixed choices; any other parameter
    # (a lookup on the person, for instance) is ignored and never reaches the query.
    status = request.GET.get("status", "")
    if status in SupportRequest.Status.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    referrals = list(rows)
    _log(request, referrals, AccessLog.Purpose.PORTAL_REFERRAL_LIST)
    return render(
        request,
        "portal/referrals/list.html",
        {"referrals": referrals, "statuses": SupportRequest.Status.choices, "status": status},
    )


@require_GET
@member_required
@transaction.atomic
def referral_detail(request: PortalRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    _log(request, [referral], AccessLog.Purpose.PORTAL_REFERRAL)
    initial = {"outcome": referral.partner_outcome, "note": referral.partner_note}
    return render(
        request,
        "portal/referrals/detail.html",
        {"referral": referral, "form": OutcomeForm(initial=initial)},
    )


@require_POST
@member_required
@transaction.atomic
def referral_outcome(request: PortalRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    form = OutcomeForm(request.POST)
    if referral.status != SupportRequest.Status.REFERRED:
        form.add_error(None, gettext("This request is no longer referred to you."))
    if form.is_valid():
        referral_outcome_record(
            request_id=referral.pk,
            organisation_id=request.organisation.pk,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
        return redirect("portal:referral", pk=referral.pk)
    _log(request, [referral], AccessLog.Purpose.PORTAL_REFERRAL)
    return render(
        request, "portal/referrals/detail.html", {"referral": referral, "form": form}, status=400
    )


@require_GET
@member_required
@transaction.atomic
def referral_export(request: PortalRequest) -> HttpResponse:
    referrals = list(referrals_for(request.organisation.pk))
    _log(request, referrals, AccessLog.Purpose.PORTAL_REFERRAL_EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="referrals.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            gettext("Request no."),
            gettext("Kind"),
            gettext("Opened on"),
            gettext("Status"),
            gettext("Closed on"),
            gettext("Name"),
            gettext("Phone"),
            gettext("Email"),
            gettext("Outcome"),
            gettext("Note"),
        ]
    )
    for row in referrals:
        person = row.participant
        shared = row.shared  # type: ignore[attr-defined]
        writer.writerow(
            [
                row.pk,
                row.get_kind_display(),
                row.opened_on.isoformat(),
                row.get_status_display(),
                row.closed_on.isoformat() if row.closed_on else "",
                neutralise(person.full_name) if shared else "",
                neutralise(person.phone) if shared else "",
                neutralise(person.email) if shared else "",
                row.get_partner_outcome_display(),
                neutralise(row.partner_note),
            ]
        )
    return response


urlpatterns: list[URLPattern] = [
    path("", referral_list, name="referrals"),
    path("export.csv", referral_export, name="referrals_export"),
    path("<int:pk>/", referral_detail, name="referral"),
    path("<int:pk>/outcome/", referral_outcome, name="referral_outcome"),
]
