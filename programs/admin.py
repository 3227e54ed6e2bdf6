"""Admin of the action plan: plans with their axes, programmes with their budget and
projects, indicators with their targets, and results entered by hand with their
four-eyes approval. Rules across rows are checked in the formsets' clean through the
same functions as the services (programs.services), so a crafted POST meets them too."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from belfaa.admin_filters import ConditionFilter
from belfaa.bidi import ltr_text
from belfaa.uploads import attachment_response
from programs.measures import measures
from programs.models import (
    Axis,
    BudgetLine,
    Commune,
    Evaluation,
    Indicator,
    IndicatorTarget,
    ManualResult,
    PlanPeriod,
    Programme,
    Project,
    SNIAProgramme,
    evaluation_missing,
)
from programs.services import (
    APPROVE_PERMISSION,
    budget_lines_check,
    plan_period_check,
    result_approve,
    result_change,
    years_in_plan_check,
)


@admin.register(Commune)
class CommuneAdmin(TabbedTranslationAdmin):
    list_display = ("name", "province", "region")


class AxisInline(TranslationTabularInline):
    model = Axis
    extra = 0


class PlanPeriodForm(forms.ModelForm):
    class Meta:
        model = PlanPeriod
        fields = ("commune", "title", "start_year", "end_year", "is_current")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, commune = data.get("start_year"), data.get("end_year"), data.get("commune")
        if start is not None and end is not None and commune is not None and start <= end:
            plan_period_check(
                commune_id=commune.pk, start_year=start, end_year=end, pk=self.instance.pk
            )
        return data


@admin.register(PlanPeriod)
class PlanPeriodAdmin(TabbedTranslationAdmin):
    form = PlanPeriodForm
    list_display = ("title", "start_year", "end_year", "is_current", "commune")
    list_select_related = ("commune",)
    inlines = [AxisInline]


@admin.register(SNIAProgramme)
class SNIAProgrammeAdmin(TabbedTranslationAdmin):
    list_display = ("title", "kind", "order")
    list_filter = ("kind",)
    search_fields = ("code", "title")


class BudgetLineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        lines = [
            (form.cleaned_data["year"], form.cleaned_data["source"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("year") is not None
            and form.cleaned_data.get("source")
        ]
        budget_lines_check(period=getattr(self.instance, "period", None), lines=lines)


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    formset = BudgetLineFormSet
    extra = 0


class EvaluationInline(admin.TabularInline):
    model = Evaluation
    extra = 0
    fields = ("year", "status", "completion", "projects_done")


class ProjectInline(TranslationTabularInline):
    model = Project
    extra = 0


class EvaluationFilter(ConditionFilter):
    """The programmes the dashboard counts as not yet evaluated for last year."""

    title = _("yearly evaluation")
    parameter_name = "evaluation"
    field_paths = ("period", "evaluations")

    def conditions(self) -> dict[str, tuple[Any, Q]]:
        year = timezone.localdate().year - 1
        return {
            "missing": (
                _("none for %(year)s") % {"year": ltr_text(str(year))},
                evaluation_missing(year),
            )
        }


@admin.register(Programme)
class ProgrammeAdmin(TabbedTranslationAdmin):
    list_display = ("code", "title", "axis", "snia_programme", "status", "completion", "period")
    list_filter = ("period", "status", "snia_programme", EvaluationFilter)
    list_select_related = ("period", "axis", "snia_programme")
    search_fields = ("code", "title")
    autocomplete_fields = ()
    inlines = [BudgetLineInline, ProjectInline, EvaluationInline]

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "axis":
            kwargs["queryset"] = Axis.objects.select_related("period")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class IndicatorForm(forms.ModelForm):
    measure_code = forms.ChoiceField(label=_("measure"), required=False)

    class Meta:
        model = Indicator
        fields = (
            "programme",
            "code",
            "name",
            "order",
            "unit",
            "higher_is_better",
            "baseline_year",
            "baseline_value",
            "disaggregations",
            "source",
            "measure_code",
            "measure_params",
        )
        help_texts = {
            "measure_params": _('For example {"kind": "sport"}; empty for none.'),
            "disaggregations": _('For example ["group", "sex", "age_band"].'),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "---------")] + [
            (measure.code, f"{measure.label} ({measure.code})") for measure in measures()
        ]
        field = self.fields["measure_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class TargetFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        years = [
            form.cleaned_data.get("year")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        indicator = self.instance
        years_in_plan_check(period=indicator.plan_period(), years=years)


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    formset = TargetFormSet
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(TabbedTranslationAdmin):
    form = IndicatorForm
    list_display = ("name", "programme", "unit", "source", "measure_code")
    list_filter = ("programme__period", "source", "unit")
    list_select_related = ("programme",)
    search_fields = ("code", "name")
    inlines = [TargetInline]


class ManualResultForm(forms.ModelForm):
    class Meta:
        model = ManualResult
        fields = ("indicator", "year", "value", "breakdown", "evidence", "source_note")
        # The stored name of a document is never shown nor linked (see `evidence_link`).
        widgets = {"evidence": forms.FileInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Absent for staff who may only read results (the admin shows it read-only).
        field = self.fields.get("indicator")
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = Indicator.objects.filter(
                source=Indicator.Source.MANUAL
            ).select_related("programme")


@admin.register(ManualResult)
class ManualResultAdmin(SimpleHistoryAdmin):
    form = ManualResultForm
    list_display = ("indicator", "year", "value", "entered_by", "approved_by", "approved_at")
    list_filter = ("year", ("approved_by", admin.EmptyFieldListFilter))
    list_select_related = ("indicator", "entered_by", "approved_by")
    readonly_fields = ("evidence_link", "entered_by", "approved_by", "approved_at")
    actions = ["approve"]

    def get_fields(self, request: HttpRequest, obj: ManualResult | None = None) -> list[str]:
        fields = ["indicator", "year", "value", "breakdown", "evidence", "source_note"]
        if obj is not None:
            fields += ["evidence_link", "entered_by", "approved_by", "approved_at"]
        return fields

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj: ManualResult) -> str:
        if not obj.evidence:
            return "-"
        url = reverse("admin:programs_manualresult_evidence", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download the evidence"))

    def save_model(
        self, request: HttpRequest, obj: ManualResult, form: forms.ModelForm, change: bool
    ) -> None:
        # Whoever saves a version is its author; an approved result waits again.
        result_change(result=obj, by=request.user)  # type: ignore[arg-type]

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(APPROVE_PERMISSION)

    @admin.action(description=_("Approve the selected results"), permissions=["approve"])
    def approve(self, request: HttpRequest, queryset: QuerySet[ManualResult]) -> None:
        approved = 0
        for result in queryset:
            try:
                result_approve(result=result, by=request.user)  # type: ignore[arg-type]
            except ValidationError as error:
                self.message_user(
                    request, f"{result}: {' '.join(error.messages)}", level=messages.ERROR
                )
            else:
                approved += 1
        if approved:
            self.message_user(
                request,
                ngettext("%(count)d result approved.", "%(count)d results approved.", approved)
                % {"count": approved},
                level=messages.SUCCESS,
            )

    def get_urls(self) -> list[URLPattern]:
        evidence = path(
            "<int:pk>/evidence/",
            self.admin_site.admin_view(self.evidence_download),
            name="programs_manualresult_evidence",
        )
        return [evidence, *super().get_urls()]

    def evidence_download(self, request: HttpRequest, pk: int) -> FileResponse:
        if not (request.user.is_staff and request.user.has_perm("programs.view_manualresult")):
            raise PermissionDenied
        result = get_object_or_404(ManualResult.objects.select_related("indicator"), pk=pk)
        if not result.evidence:
            raise Http404
        return attachment_response(result.evidence, title=f"{result.indicator.code}-{result.year}")


from programs import report_admin  # noqa: E402, F401  (the PAC report's admin)
