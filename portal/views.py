from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from partners.models import Agreement, Organisation, ProgressReport
from portal.access import PortalRequest, member_required
from portal.invitations import InvitationInvalid, invitation_accept, invitation_find


@dataclass(frozen=True)
class AgreementRow:
    agreement: Agreement
    days_left: int | None


@dataclass(frozen=True)
class Dashboard:
    agreements: list[AgreementRow]
    overdue: list[ProgressReport]
    due: list[ProgressReport]
    sent_back: list[ProgressReport]


def dashboard(organisation: Organisation, today: date) -> Dashboard:
    """What the organisation's home shows, in two queries whatever their number."""
    agreements = [
        AgreementRow(agreement, agreement.days_to_end(today))
        for agreement in Agreement.objects.for_organisation(organisation).order_by(
            "ends_on", "reference"
        )
    ]
    waiting = (
        ProgressReport.objects.for_organisation(organisation)
        .waiting()
        .select_related("agreement")
        .order_by("due_on", "pk")
    )
    overdue, due, sent_back = [], [], []
    for report in waiting:
        if report.status == ProgressReport.Status.SENT_BACK:
            sent_back.append(report)
        elif report.due_on < today:
            overdue.append(report)
        else:
            due.append(report)
    return Dashboard(agreements=agreements, overdue=overdue, due=due, sent_back=sent_back)


@require_GET
@member_required
def home(request: PortalRequest) -> HttpResponse:
    organisation: Organisation = request.organisation
    today = timezone.localdate()
    return render(
        request,
        "portal/home.html",
        {"organisation": organisation, "today": today, "board": dashboard(organisation, today)},
    )


INVALID_STATUS = {"unknown": 404, "used": 410, "expired": 410, "replaced": 410}


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: PortalRequest, token: str) -> HttpResponse:
    """The invitee chooses a password (Django's password validators), which opens the
    account; they then sign in, and set up two-step verification when it is required."""
    try:
        found = invitation_find(token=token)
    except InvitationInvalid as invalid:
        return render(
            request,
            "portal/invitation_invalid.html",
            {"reason": invalid.status},
            status=INVALID_STATUS[invalid.status],
        )
    form = SetPasswordForm(found.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except InvitationInvalid as invalid:
            return render(
                request,
                "portal/invitation_invalid.html",
                {"reason": invalid.status},
                status=INVALID_STATUS[invalid.status],
            )
        messages.success(
            request, _("Your password is set: sign in with your email address and this password.")
        )
        return redirect("account_login")
    return render(
        request,
        "portal/invitation.html",
        {"invitation": found, "form": form, "mfa_required": settings.STAFF_MFA_REQUIRED},
        status=400 if form.is_bound else 200,
    )
