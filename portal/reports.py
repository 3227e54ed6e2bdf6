"""The partner's progress reports: the list per agreement, opening a report for a
period, writing its narrative and figures, attaching documents, submitting, reading
the feedback and the history.

Every report is looked up through `request.organisation`, so another partner's report
or attachment answers 404. A report handed in is read-only: the pages show no form and
the services refuse a hand-made POST."""

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.forms import Form
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from belfaa.uploads import attachment_response
from partners import report_drafts, services
from partners.models import Organisation, ProgressReport, ReportAttachment, ReportTransition
from portal.access import PortalRequest, member_required
from portal.forms import AttachmentForm, FigureFormSet, NarrativeForm, ReportCreateForm

S = ProgressReport.Status


def _read_only() -> ValidationError:
    return ValidationError(_("This report has been handed in: it can no longer be changed."))


def _organisation(request: PortalRequest) -> Organisation:
    organisation: Organisation = request.organisation
    return organisation


def _reports(request: PortalRequest) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.for_organisation(_organisation(request))


def _report(request: PortalRequest, pk: int) -> ProgressReport:
    return get_object_or_404(
        _reports(request)
        .select_related("agreement", "organisation", "submitted_by")
        .prefetch_related(
            "figures",
            "attachments",
            Prefetch("transitions", queryset=ReportTransition.objects.select_related("by")),
        ),
        pk=pk,
    )


def _errors_to_form(form: Form, error: ValidationError) -> None:
    """A service's refusal, on the form field it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _refused(
    request: PortalRequest, report: ProgressReport, error: ValidationError
) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect("portal:report_detail", pk=report.pk)


def _last_reason(report: ProgressReport) -> ReportTransition | None:
    sent_back = [step for step in report.transitions.all() if step.to_status == S.SENT_BACK]
    return sent_back[-1] if sent_back else None


def _detail_context(report: ProgressReport, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "report": report,
        "editable": report.status in ProgressReport.WITH_PARTNER,
        "overdue": report.status in ProgressReport.WITH_PARTNER and report.due_on < today,
        "feedback": _last_reason(report) if report.status == S.SENT_BACK else None,
        "transitions": report.transitions.all(),
        **extra,
    }


@require_GET
@member_required
def report_list(request: PortalRequest) -> HttpResponse:
    today = timezone.localdate()
    reports = (
        _reports(request)
        .select_related("agreement")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=ReportTransition.objects.filter(to_status=S.SENT_BACK),
                to_attr="sent_back_steps",
            )
        )
        .order_by("agreement__reference", "-period_start")
    )
    groups = [
        (agreement, list(rows))
        for agreement, rows in groupby(reports, key=lambda report: report.agreement)
    ]
    return render(
        request,
        "portal/reports/list.html",
        {"groups": groups, "today": today, "with_partner": ProgressReport.WITH_PARTNER},
    )


@require_http_methods(["GET", "POST"])
@member_required
def report_create(request: PortalRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = ReportCreateForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_drafts.report_draft_create(
                agreement_id=form.cleaned_data["agreement"].pk,
                organisation_id=organisation.pk,
                by=request.user,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The report was opened: write it, then submit it."))
            return redirect("portal:report_edit", pk=report.pk)
    status = 400 if form.errors else 200
    return render(request, "portal/reports/create.html", {"form": form}, status=status)


@require_GET
@member_required
def report_detail(request: PortalRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return render(
        request,
        "portal/reports/detail.html",
        _detail_context(report, attachment_form=AttachmentForm()),
    )


@require_http_methods(["GET", "POST"])
@member_required
def report_edit(request: PortalRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if report.status not in ProgressReport.WITH_PARTNER:
        return _refused(request, report, _read_only())
    initial = [{"label": f.label, "value": f.value, "unit": f.unit} for f in report.figures.all()]
    if request.method == "POST":
        narrative = NarrativeForm(request.POST)
        figures = FigureFormSet(request.POST, prefix="figures")
        if narrative.is_valid() and figures.is_valid():
            try:
                report_drafts.report_draft_update(
                    report_id=report.pk,
                    by=request.user,
                    figures=figures.rows(),
                    **narrative.cleaned_data,
                )
            except ValidationError as error:
                _errors_to_form(narrative, error)
            else:
                messages.success(request, _("The report was saved."))
                return redirect("portal:report_detail", pk=report.pk)
    else:
        narrative = NarrativeForm(
            initial={
                "achievements": report.achievements,
                "difficulties": report.difficulties,
                "next_steps": report.next_steps,
            }
        )
        figures = FigureFormSet(initial=initial, prefix="figures")
    status = 400 if narrative.errors or figures.total_error_count() else 200
    return render(
        request,
        "portal/reports/edit.html",
        {"report": report, "narrative": narrative, "figures": figures},
        status=status,
    )


@require_POST
@member_required
def report_submit(request: PortalRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        services.report_submit(report_id=report.pk, by=request.user)
    except ValidationError as error:
        return _refused(request, report, error)
    messages.success(request, _("The report was submitted to the commune."))
    return redirect("portal:report_detail", pk=report.pk)


@require_POST
@member_required
def attachment_add(request: PortalRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if report.status not in ProgressReport.WITH_PARTNER:
        return _refused(request, report, _read_only())
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report_drafts.attachment_add(
                report_id=report.pk,
                by=request.user,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "read_only":
                return _refused(request, report, error)
            form.add_error("file", error)
        else:
            messages.success(request, _("The document was attached."))
            return redirect("portal:report_detail", pk=report.pk)
    return render(
        request,
        "portal/reports/detail.html",
        _detail_context(report, attachment_form=form),
        status=400,
    )


def _attachment(request: PortalRequest, pk: int, attachment_pk: int) -> ReportAttachment:
    return get_object_or_404(
        ReportAttachment.objects.select_related("report"),
        pk=attachment_pk,
        report__pk=pk,
        report__organisation=_organisation(request),
    )


@require_POST
@member_required
def attachment_remove(request: PortalRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = _attachment(request, pk, attachment_pk)
    try:
        report_drafts.attachment_remove(
            attachment_id=attachment.pk,
            by=request.user,
        )
    except ValidationError as error:
        return _refused(request, attachment.report, error)
    messages.success(request, _("The document was removed."))
    return redirect("portal:report_detail", pk=pk)


@require_GET
@member_required
def attachment_download(request: PortalRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = _attachment(request, pk, attachment_pk)
    return attachment_response(attachment.file, title=attachment.title)


urlpatterns = [
    path("", report_list, name="reports"),
    path("new/", report_create, name="report_create"),
    path("<int:pk>/", report_detail, name="report_detail"),
    path("<int:pk>/edit/", report_edit, name="report_edit"),
    path("<int:pk>/submit/", report_submit, name="report_submit"),
    path("<int:pk>/attachments/", attachment_add, name="report_attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        attachment_download,
        name="report_attachment",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove/",
        attachment_remove,
        name="report_attachment_remove",
    ),
]
