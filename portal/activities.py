"""The activities the partner's organisation co-organises, with attendance figures
only: distinct people who came, by group, sex and age band, with small cells hidden
(programs/suppression.py). No name, contact or registration is ever read here."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from portal.access import PortalRequest, member_required
from portal.exports import attendance_breakdowns, attendance_export


@member_required
def activity_list(request: PortalRequest) -> HttpResponse:
    events, breakdowns = attendance_breakdowns(request.organisation.pk)
    return render(
        request,
        "portal/activities/list.html",
        {
            "events": events,
            "breakdowns": [(b, b.lines(events), b.footer()) for b in breakdowns],
        },
    )


urlpatterns = [
    path("", activity_list, name="activities"),
    path("export.<str:fmt>", attendance_export, name="activities_export"),
]
