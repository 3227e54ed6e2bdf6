"""Admin of organisations, agreements and progress reports. Statuses move only through
`partners.services` (the daily task, and Coordinators' decisions): here they are read."""

import io
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from openpyxl import Workbook

from belfaa.admin_filters import ConditionFilter
from belfaa.spreadsheets import XLSX_TYPE, sheet_append
from partners.admin_actions import (
    AGREEMENT_DECISIONS,
    REPORT_DECISIONS,
    Decision,
    available,
    decision_view,
)
from partners.admin_inlines import (
    AgreementFormSet,
    AmendmentFormSet,
    CommitmentInline,
    ContributionInline,
    PartyInline,
    siblings_for,
)
from partners.models import (
    ENDING_SOON_DAYS,
    Agreement,
    AgreementStatusChange,
    Amendment,
    Commitment,
    Contribution,
    Membership,
    Organisation,
    ProgressReport,
    ReportAttachment,
    ReportFigure,
    ReportTransition,
    ending_within,
    report_stages,
)
from partners.selectors import contribution_totals
from partners.services import MANAGE_STATUS, REVIEW

# A document's stored name is never shown nor linked: downloads go through the
# permission-checked view (partners.views).
NO_LINK: dict[Any, dict[str, Any]] = {models.FileField: {"widget": forms.FileInput}}


@admin.register(Organisation)
class OrganisationAdmin(TabbedTranslationAdmin):
    list_display = ("name", "acronym", "kind", "city", "country", "contact_name")
    list_filter = ("kind", "country")
    search_fields = ("name", "acronym", "city")


class AmendmentInline(admin.TabularInline):
    model = Amendment
    formset = AmendmentFormSet
    extra = 0
    formfield_overrides = NO_LINK


class StatusChangeInline(admin.TabularInline):
    model = AgreementStatusChange
    fields = ("at", "from_status", "to_status", "by", "note")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False


class DecisionsAdmin(admin.ModelAdmin):
    """The decision buttons (partners/admin_actions.py): their pages, and the buttons
    on the change page, for the model's decisions in DECISIONS_OF."""

    def get_urls(self) -> list[URLPattern]:
        decisions, permission = DECISIONS_OF[self.model]
        return decision_urls(self, decisions, permission) + super().get_urls()

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return super().change_view(
            request,
            object_id,
            form_url,
            {**(extra_context or {}), **decisions_context(self, request, object_id)},
        )


class EndingFilter(ConditionFilter):
    """The agreements the dashboard counts as ending soon."""

    title = _("ending")
    parameter_name = "ending"
    field_paths = ("status", "ends_on")

    def conditions(self) -> dict[str, tuple[Any, Q]]:
        return {
            "soon": (_("within 90 days"), ending_within(timezone.localdate(), ENDING_SOON_DAYS))
        }


@admin.register(Agreement)
class AgreementAdmin(DecisionsAdmin, TabbedTranslationAdmin):
    list_display = ("reference", "title", "kind", "status", "ends_on", "days_to_end", "total_mad")
    list_filter = ("status", "kind", EndingFilter)
    search_fields = ("reference", "title_ar", "title_fr", "title_en")
    date_hierarchy = "signed_on"
    filter_horizontal = ("programmes",)
    formfield_overrides = NO_LINK
    # Status, signature and termination change only through the services.
    readonly_fields = ("status", "signed_on", "termination_reason")
    exclude = ("termination_document",)
    inlines = (
        PartyInline,
        ContributionInline,
        CommitmentInline,
        AmendmentInline,
        StatusChangeInline,
    )
    actions = ("export_xlsx",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agreement]:
        return super().get_queryset(request).prefetch_related("contributions")

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Agreement, inline: Any, prefix: str
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_formset_kwargs(request, obj, inline, prefix)
        if issubclass(inline.formset, AgreementFormSet):
            kwargs["siblings"] = siblings_for(request)
        return kwargs

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if isinstance(formset, AmendmentFormSet):
            formset.apply()

    @admin.display(description=_("days to end"), ordering="ends_on")
    def days_to_end(self, obj: Agreement) -> int | None:
        return obj.days_to_end(timezone.localdate())

    @admin.display(description=_("contributions (MAD)"))
    def total_mad(self, obj: Agreement) -> Decimal:
        return contribution_totals(obj.contributions.all()).mad

    @admin.action(
        permissions=["view"],
        description=_("Export agreements, contributions and commitments (XLSX)"),
    )
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Agreement]) -> HttpResponse:
        return export_response(queryset)


def export_response(agreements: QuerySet[Agreement]) -> HttpResponse:
    """Three sheets; amounts and dates are numbers and dates, text never a formula."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    rtl = get_language_bidi()
    rows = agreements.order_by("reference")
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [
        (
            gettext("Agreements"),
            [
                gettext("reference"),
                gettext("title"),
                gettext("kind"),
                gettext("status"),
                gettext("signed on"),
                gettext("starts on"),
                gettext("ends on"),
            ],
            [
                [
                    a.reference,
                    a.title,
                    a.get_kind_display(),
                    a.get_status_display(),
                    a.signed_on,
                    a.starts_on,
                    a.ends_on,
                ]
                for a in rows
            ],
        ),
        (
            gettext("Contributions"),
            [
                gettext("reference"),
                gettext("party"),
                gettext("year"),
                gettext("amount"),
                gettext("currency"),
                gettext("rate to MAD"),
                gettext("amount in MAD"),
            ],
            [
                [
                    c.agreement.reference,
                    c.organisation.name,
                    c.year,
                    Decimal(c.amount),
                    c.currency,
                    c.rate_to_mad,
                    c.amount_mad,
                ]
                for c in Contribution.objects.filter(agreement__in=rows).select_related(
                    "agreement", "organisation"
                )
            ],
        ),
        (
            gettext("Commitments"),
            [
                gettext("reference"),
                gettext("party"),
                gettext("what was promised"),
                gettext("due on"),
                gettext("status"),
            ],
            [
                [
                    m.agreement.reference,
                    m.organisation.name,
                    m.description,
                    m.due_on,
                    m.get_status_display(),
                ]
                for m in Commitment.objects.filter(agreement__in=rows).select_related(
                    "agreement", "organisation"
                )
            ],
        ),
    ]
    for title, header, body in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.sheet_view.rightToLeft = rtl
        sheet_append(sheet, header)
        for row in body:
            sheet_append(sheet, row)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="agreements.xlsx"'
    return response


class TransitionInline(admin.TabularInline):
    model = ReportTransition
    fields = ("at", "from_status", "to_status", "by", "reason")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False


class FigureInline(admin.TabularInline):
    model = ReportFigure
    fields = ("label", "value", "unit")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False


class AttachmentInline(admin.TabularInline):
    model = ReportAttachment
    fields = ("title", "download")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False

    @admin.display(description=_("file"))
    def download(self, obj: ReportAttachment) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("partners:document", kwargs={"kind": "attachment", "pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))


class StageFilter(ConditionFilter):
    """Where a report stands today, as the dashboard counts it (partners.models.report_stages)."""

    title = _("stage")
    parameter_name = "stage"
    field_paths = ("status", "period_end", "due_on")

    def conditions(self) -> dict[str, tuple[Any, Q]]:
        stages = report_stages(timezone.localdate())
        return {
            "due": (_("due from the partner"), stages["due"]),
            "overdue": (_("overdue"), stages["overdue"]),
            "review": (_("waiting for review"), stages["review"]),
        }


@admin.register(ProgressReport)
class ProgressReportAdmin(DecisionsAdmin):
    list_display = ("agreement", "organisation", "period_start", "period_end", "due_on", "status")
    list_filter = (StageFilter, "status")
    list_select_related = ("agreement", "organisation")
    # What the partner wrote is the partner's: the commune reads it, accepts it or
    # sends it back with a reason (the buttons above the form).
    readonly_fields = (
        "status",
        "submitted_by",
        "submitted_at",
        "achievements",
        "difficulties",
        "next_steps",
    )
    inlines = (FigureInline, AttachmentInline, TransitionInline)


DECISIONS_OF: dict[type[models.Model], tuple[dict[str, Decision], str]] = {
    Agreement: (AGREEMENT_DECISIONS, MANAGE_STATUS),
    ProgressReport: (REPORT_DECISIONS, REVIEW),
}


def decision_urls(
    model_admin: admin.ModelAdmin,
    decisions: dict[str, Decision],
    permission: str,
) -> list[URLPattern]:
    opts = model_admin.model._meta

    def view(request: HttpRequest, object_id: str, slug: str) -> HttpResponse:
        return decision_view(
            model_admin,
            request,
            object_id,
            slug,
            decisions=decisions,
            permission=permission,
        )

    return [
        path(
            "<path:object_id>/decide/<slug:slug>/",
            model_admin.admin_site.admin_view(view),
            name=f"{opts.app_label}_{opts.model_name}_decision",
        )
    ]


def decisions_context(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    object_id: str,
) -> dict[str, Any]:
    """The decision buttons for the change page: those the user may take and the
    object's status allows."""
    decisions, permission = DECISIONS_OF[model_admin.model]
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None or not (request.user.is_staff and request.user.has_perm(permission)):
        return {"decisions": []}
    return {"decisions": available(decisions, obj)}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation")
    list_select_related = ("user", "organisation")
    autocomplete_fields = ("user",)
