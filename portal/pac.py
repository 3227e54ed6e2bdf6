"""The partner version of the PAC report in the portal: the partner's own activities,
meetings and referrals, every count through the small-cell suppression, as a page or
a file. Computed as it is asked for, for the partner of the signed-in account only."""

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from portal.access import PortalRequest, member_required
from programs.models import ReportFile
from programs.report_data import Scope
from programs.report_outputs import CONTENT_TYPES, report_html, report_render
from programs.reports import ReportError, report_build, year_choices


class PartnerReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("page", _("page")), *ReportFile.Format.choices],
        initial="page",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]


@require_GET
@member_required
def pac_report(request: PortalRequest) -> HttpResponse:
    organisation = request.organisation
    form = PartnerReportForm(request.GET or None)
    body = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = report_build(
                Scope(year=data["year"], organisation_id=organisation.pk), data["language"]
            )
        except ReportError as error:
            form.add_error(None, str(error))
        else:
            if data["format"] != "page":
                response = HttpResponse(
                    report_render(report, data["format"]),
                    content_type=CONTENT_TYPES[data["format"]],
                )
                name = slugify(f"pac-report-{data['year']}-{data['language']}")
                response["Content-Disposition"] = f'attachment; filename="{name}.{data["format"]}"'
                response["X-Content-Type-Options"] = "nosniff"
                response["Cache-Control"] = "private, no-store"
                return response
            body = report_html(report, document=False)
    return render(
        request,
        "portal/pac/report.html",
        {"organisation": organisation, "form": form, "body": body},
    )


urlpatterns: list[URLPattern] = [path("", pac_report, name="pac")]
