"""The PAC report in the admin: request a file (year, language, format, plan so far),
follow its progress on a page that refreshes itself (no JavaScript needed), read the
report as a page, download the file. Generating and downloading take the permission
programs.download_reportfile (Coordinators and Officers, belfaa/roles.py).

Imported at the end of programs/admin.py, which registers the app's admin."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from programs.models import ReportFile
from programs.report_data import Scope
from programs.report_files import report_file_request
from programs.report_outputs import CONTENT_TYPES, report_html
from programs.reports import ReportError, report_build, year_choices

PERMISSION = "programs.download_reportfile"
# Seconds between two refreshes of the progress page.
REFRESH_SECONDS = 3


class ReportRequestForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    format = forms.ChoiceField(label=_("Format"), choices=ReportFile.Format.choices)
    cumulative = forms.BooleanField(
        label=_("The plan so far"),
        required=False,
        help_text=_("From the plan's first year to the year chosen."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]


class ReportViewForm(ReportRequestForm):
    format = None  # type: ignore[assignment]


def file_response(report_file: ReportFile) -> FileResponse:
    """The file as a download, never shown inline, under a readable name."""
    handle = report_file.file.open("rb")
    period = f"{report_file.year}" + ("-cumulative" if report_file.cumulative else "")
    name = slugify(f"pac-report-{period}-{report_file.language}") + f".{report_file.format}"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES[report_file.format],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@admin.register(ReportFile)
class ReportFileAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "period",
        "language",
        "format",
        "status",
        "progress",
        "expires_at",
        "download",
    )
    list_filter = ("status", "language", "format", "year")
    list_select_related = ("requested_by",)
    readonly_fields = tuple(f.name for f in ReportFile._meta.fields)

    @admin.display(description=_("period"))
    def period(self, obj: ReportFile) -> str:
        if obj.cumulative:
            return gettext("plan so far, to %(year)s") % {"year": obj.year}
        return str(obj.year)

    @admin.display(description=_("file"))
    def download(self, obj: ReportFile) -> str:
        if obj.ready:
            url = reverse("admin:programs_reportfile_download", args=[obj.pk])
            return format_html('<a href="{}">{}</a>', url, gettext("Download"))
        url = reverse("admin:programs_reportfile_progress", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.get_status_display())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PERMISSION)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("report/", wrap(self.report_view), name="programs_reportfile_report"),
            path(
                "<int:pk>/progress/", wrap(self.progress_view), name="programs_reportfile_progress"
            ),
            path(
                "<int:pk>/download/", wrap(self.download_view), name="programs_reportfile_download"
            ),
            *super().get_urls(),
        ]

    def _check(self, request: HttpRequest) -> None:
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied

    def _context(self, request: HttpRequest, title: str) -> dict[str, Any]:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title}

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        """The request form instead of the model's form: a file is made, not typed."""
        self._check(request)
        form = ReportRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                report_file = report_file_request(
                    year=data["year"],
                    language=data["language"],
                    file_format=data["format"],
                    cumulative=data["cumulative"],
                    requested_by_id=request.user.pk,
                )
            except ReportError as error:
                form.add_error(None, str(error))
            else:
                url = reverse("admin:programs_reportfile_progress", args=[report_file.pk])
                return HttpResponseRedirect(url)
        context = {
            **self._context(request, gettext("Generate a PAC report")),
            "form": form,
            "view_form": ReportViewForm(),
            "keep_days": settings.PAC_REPORT_KEEP_DAYS,
        }
        return TemplateResponse(request, "admin/programs/reportfile/request.html", context)

    @method_decorator(require_GET)
    def progress_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        self._check(request)
        report_file = get_object_or_404(ReportFile, pk=pk, organisation_id__isnull=True)
        finished = report_file.status in (ReportFile.Status.DONE, ReportFile.Status.FAILED)
        context = {
            **self._context(request, gettext("PAC report: progress")),
            "report_file": report_file,
            "refresh": None if finished else REFRESH_SECONDS,
        }
        return TemplateResponse(request, "admin/programs/reportfile/progress.html", context)

    @method_decorator(require_GET)
    def download_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        self._check(request)
        report_file = get_object_or_404(ReportFile, pk=pk)
        if not report_file.ready:
            raise Http404
        return file_response(report_file)

    @method_decorator(require_GET)
    def report_view(self, request: HttpRequest) -> HttpResponse:
        """The report as a page of the admin, computed as it is asked for."""
        self._check(request)
        form = ReportViewForm(request.GET or None)
        body = ""
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = report_build(
                    Scope(year=data["year"], cumulative=data["cumulative"]), data["language"]
                )
            except ReportError as error:
                form.add_error(None, str(error))
            else:
                body = report_html(report, document=False)
        context = {
            **self._context(request, gettext("PAC report")),
            "form": form,
            "body": body,
        }
        return TemplateResponse(request, "admin/programs/reportfile/report.html", context)
