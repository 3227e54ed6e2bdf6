"""The registry in the admin. Officers keep records and requests but never see the
sensitive part: it is left out of their forms, and its history is closed to them; the
site refuses filters, sorting and searches on it (participants.admin_site). Every page
that shows a record's sensitive part writes its access-log row in the page's transaction;
a page that shows none writes nothing."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation, helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from belfaa.admin_filters import ConditionFilter
from belfaa.bidi import admin_contact_widgets, ltr_html, ltr_text
from belfaa.validators import clean_email, clean_person_name, clean_phone, clean_year
from participants import services
from participants.admin_base import (
    ERASE_PERMISSION,
    MERGE_SHOWN,
    SensitiveAdmin,
    merge_value,
    participant_field,
    request_fields,
    staff,
)
from participants.admin_site import sees_sensitive
from participants.holders import holders
from participants.models import (
    SENSITIVE_FIELDS,
    AccessLog,
    Consent,
    ImportMapping,
    Need,
    Neighbourhood,
    Participant,
    SupportRequest,
)
from participants.selectors import (
    logged_references,
    referral_waiting,
    request_ages,
    retention_noticed,
)


def _year_in_range(value: int | None) -> int | None:
    return None if value is None else clean_year(value)


class ParticipantForm(forms.ModelForm):
    needs = forms.MultipleChoiceField(
        label=_("needs"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Participant
        fields = (
            "given_name",
            "family_name",
            "sex",
            "birth_year",
            "group",
            "nationality",
            "neighbourhood",
            "country_of_residence",
            "arrival_year",
            "languages",
            "needs",
            "phone",
            "email",
            *SENSITIVE_FIELDS,
        )
        error_messages = {"given_name": {"required": _("Please write your name.")}}
        widgets = admin_contact_widgets()

    def clean_given_name(self) -> str:
        return clean_person_name(self.cleaned_data["given_name"])

    def clean_family_name(self) -> str:
        value = self.cleaned_data["family_name"]
        return clean_person_name(value) if value.strip() else ""

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_email(self) -> str:
        return clean_email(self.cleaned_data["email"])

    def clean_birth_year(self) -> int | None:
        return _year_in_range(self.cleaned_data["birth_year"])

    def clean_arrival_year(self) -> int | None:
        return _year_in_range(self.cleaned_data["arrival_year"])


class ConsentInline(admin.TabularInline):
    model = Consent
    fields = ("purpose", "partner", "given_at", "method", "withdrawn_at", "recorded_by")
    readonly_fields = ("recorded_by",)
    extra = 0
    autocomplete_fields = ("partner",)


class SupportRequestInline(admin.StackedInline):
    model = SupportRequest
    extra = 0
    show_change_link = True

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return request_fields(request)


class RetentionFilter(ConditionFilter):
    title = _("retention")
    parameter_name = "retention"
    field_paths = ("retention_warned_at", "anonymised_at")

    def conditions(self) -> dict[str, tuple[Any, Q]]:
        return {"noticed": (_("given notice of anonymisation"), retention_noticed())}


@admin.register(Participant)
class ParticipantAdmin(SensitiveAdmin):
    form = ParticipantForm
    list_display = (
        "record_reference",
        "full_name",
        "group",
        "sex",
        "birth_year",
        "nationality_name",
        "neighbourhood",
        "created_at",
    )
    list_select_related = ("neighbourhood",)
    # The filter on legal status is left out for those who may not see it (see the site).
    list_filter = ("group", "sex", "neighbourhood", "nationality", "legal_status", RetentionFilter)
    # A reference or an e-mail address is searched whole; names and phones in part.
    search_fields = ("=reference", "given_name", "family_name", "phone", "=email")
    readonly_fields = (
        "reference",
        "created_at",
        "anonymised_at",
        "duplicates",
        "accessed_by",
        "access_export",
    )
    inlines = [ConsentInline, SupportRequestInline]
    actions = ["merge_two", "erase_selected"]
    show_full_result_count = False  # a COUNT(*) over the whole registry on every page

    @admin.display(description=_("reference"), ordering="reference")
    def record_reference(self, obj: Participant) -> str:
        return ltr_html(obj.reference)

    @admin.display(description=_("nationality"), ordering="nationality")
    def nationality_name(self, obj: Participant) -> str:
        # The country's name alone: the default display rebuilds the whole country list
        # for every row (half the time of a 100-row page).
        return str(obj.nationality.name) if obj.nationality else "-"  # type: ignore[attr-defined]

    @admin.display(description=_("name"), ordering="family_name")
    def full_name(self, obj: Participant) -> str:
        return obj.full_name

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets: list[Any] = [
            (None, {"fields": ["reference", "given_name", "family_name", "sex", "birth_year"]}),
            (
                _("Situation"),
                {
                    "fields": [
                        "group",
                        "nationality",
                        "neighbourhood",
                        "country_of_residence",
                        "arrival_year",
                        "languages",
                        "needs",
                    ]
                },
            ),
            (_("Contact"), {"fields": ["phone", "email"]}),
        ]
        if sees_sensitive(request):
            fieldsets.append((_("Sensitive"), {"fields": list(SENSITIVE_FIELDS)}))
        if obj is not None:
            extra = ["duplicates", "created_at", "anonymised_at"]
            if request.user.has_perm("participants.view_accesslog"):
                extra.append("accessed_by")
            if sees_sensitive(request):
                extra.append("access_export")
            fieldsets.append((_("Record"), {"fields": extra}))
        return fieldsets

    @admin.display(description=_("possible duplicates"))
    def duplicates(self, obj: Participant) -> str:
        found = services.possible_duplicates(
            given_name=obj.given_name,
            family_name=obj.family_name,
            birth_year=obj.birth_year,
            phone=obj.phone,
            email=obj.email,
            exclude_pk=obj.pk,
        )
        if not found:
            return gettext("none")
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (
                    reverse("admin:participants_participant_change", args=[p.pk]),
                    ltr_html(p.reference),
                )
                for p in found
            ),
        )

    @admin.display(description=_("everything held on this person (right of access)"))
    def access_export(self, obj: Participant) -> str:
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            (
                (reverse(f"participants:{name}", args=[obj.pk]), label)
                for name, label in (
                    ("access", gettext("page")),
                    ("access_pdf", "PDF"),
                    ("access_json", "JSON"),
                )
            ),
        )

    @admin.display(description=_("who looked at this record"))
    def accessed_by(self, obj: Participant) -> str:
        # Rows logged under the records merged into this one are this person's too.
        references = logged_references(obj)
        rows = AccessLog.objects.filter(reference__in=references).select_related("user")[:20]
        if not rows:
            return gettext("no one yet")
        url = (
            reverse("admin:participants_accesslog_changelist")
            + "?"
            + urlencode({"reference__in": ",".join(references)})
        )
        merged = gettext("under %(reference)s, merged into this record")
        lines = format_html_join(
            "",
            "<li>{} · {} · {}{}</li>",
            (
                (
                    timezone.localtime(r.at),
                    r.user,
                    r.get_purpose_display(),
                    ""
                    if r.reference == obj.reference
                    else f" · {merged % {'reference': r.reference}}",
                )
                for r in rows
            ),
        )
        return format_html('<ul>{}</ul><a href="{}">{}</a>', lines, url, gettext("All of it"))

    def save_model(self, request: HttpRequest, obj: Participant, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        fields = {f: form.cleaned_data[f] for f in form.cleaned_data if f != "reference"}
        created = services.participant_create(**fields)
        obj.pk, obj.reference, obj.created_at = created.pk, created.reference, created.created_at
        obj._state.adding = False
        found = services.possible_duplicates(
            given_name=obj.given_name,
            family_name=obj.family_name,
            birth_year=obj.birth_year,
            phone=obj.phone,
            email=obj.email,
            exclude_pk=obj.pk,
        )
        if found:
            self.message_user(
                request,
                gettext("This person may already be in the registry: %(refs)s.")
                % {"refs": ", ".join(ltr_text(p.reference) for p in found)},
                messages.WARNING,
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for item in formset.save(commit=False):
            if isinstance(item, Consent) and not item.recorded_by_id:
                item.recorded_by = staff(request)
            item.save()
        for gone in formset.deleted_objects:
            gone.delete()
        formset.save_m2m()

    def get_actions(
        self, request: HttpRequest, action_location: Any = ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        if not request.user.has_perm("participants.erase_participant"):
            actions.pop("erase_selected", None)
        if not request.user.has_perm(ERASE_PERMISSION):
            actions.pop("merge_two", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Records are erased (anonymised in place), never deleted: counts stay right.
        return False

    @admin.action(description=_("Merge two records (after a confirmation)"))
    def merge_two(
        self, request: HttpRequest, queryset: QuerySet[Participant]
    ) -> HttpResponse | None:
        # Merging anonymises one of the two records: the right to erase is needed.
        if not request.user.has_perm(ERASE_PERMISSION):
            raise PermissionDenied
        pair = list(queryset.select_related("neighbourhood").order_by("created_at", "pk")[:3])
        if len(pair) != 2:
            self.message_user(
                request, gettext("Select exactly two records to merge."), messages.ERROR
            )
            return None
        erased = [p.reference for p in pair if p.anonymised_at]
        if erased:
            self.message_user(
                request,
                gettext("An anonymised record cannot be merged: %(refs)s.")
                % {"refs": ", ".join(erased)},
                messages.ERROR,
            )
            return None
        if request.POST.get("confirmed") != "yes":
            return self.merge_confirmation(request, pair)
        chosen = [p for p in pair if str(p.pk) == request.POST.get("keep")]
        if not chosen:
            self.message_user(request, gettext("Choose the record to keep."), messages.ERROR)
            return None
        keep = chosen[0]
        gone = pair[1] if keep is pair[0] else pair[0]
        try:
            services.participant_merge(keep_id=keep.pk, merge_id=gone.pk, by=staff(request))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            gettext("%(gone)s was merged into %(kept)s.")
            % {"gone": gone.reference, "kept": keep.reference},
        )
        return None

    def merge_confirmation(self, request: HttpRequest, pair: list[Participant]) -> HttpResponse:
        """Both records side by side, what each holds, and the choice of the one kept
        (the older by default). Showing the sensitive part is logged with the page."""
        shown = [*MERGE_SHOWN, *(SENSITIVE_FIELDS if sees_sensitive(request) else ())]
        rows = [
            (
                capfirst(participant_field(name).verbose_name),
                *(merge_value(record, name) for record in pair),
            )
            for name in shown
        ]
        held = services.held_counts(p.pk for p in pair)
        labels = {
            "consents": gettext("Consents"),
            "support_requests": gettext("Support requests"),
            **{holder.key: holder.label() for holder in holders()},
        }
        rows += [
            (labels[name], *(str(held[record.pk][name]) for record in pair))
            for name in held[pair[0].pk]
        ]
        with transaction.atomic():
            if sees_sensitive(request):
                services.access_log_write(
                    user=staff(request),
                    references=[p.reference for p in pair],
                    purpose=AccessLog.Purpose.ADMIN_MERGE,
                    request=request,
                )
            response = TemplateResponse(
                request,
                "admin/participants/merge_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": gettext("Merge these two records?"),
                    "records": pair,
                    "rows": [(label, a, b, a != b) for label, a, b in rows],
                    "suggested": services.suggested_as_duplicates(*pair),
                    "opts": self.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
            response.render()
        return response

    @admin.action(description=_("Erase the selected people (anonymise in place)"))
    def erase_selected(
        self, request: HttpRequest, queryset: QuerySet[Participant]
    ) -> HttpResponse | None:
        if not request.user.has_perm("participants.erase_participant"):
            raise PermissionDenied
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(
                request,
                "admin/participants/erase_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": gettext("Erase these people?"),
                    "records": queryset,
                    "opts": self.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        done = [services.participant_erase(participant_id=p.pk) for p in queryset]
        self.message_user(
            request,
            ngettext("%(count)d person erased.", "%(count)d people erased.", len(done))
            % {"count": len(done)},
        )
        return None


@admin.register(Consent)
class ConsentAdmin(SimpleHistoryAdmin):
    list_display = ("participant", "purpose", "partner", "given_at", "method", "withdrawn_at")
    list_filter = ("purpose", "method", ("withdrawn_at", admin.EmptyFieldListFilter))
    list_select_related = ("participant", "partner")
    search_fields = ("participant__reference",)
    readonly_fields = ("recorded_by",)
    autocomplete_fields = ("participant", "partner")
    actions = ["withdraw"]

    def save_model(self, request: HttpRequest, obj: Consent, form: Any, change: bool) -> None:
        if not obj.recorded_by_id:
            obj.recorded_by = staff(request)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Withdraw the selected consents now"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Consent]) -> None:
        for consent in queryset:
            services.consent_withdraw(consent_id=consent.pk)
        self.message_user(request, gettext("Withdrawn, with effect from today."))


class OpenedFilter(ConditionFilter):
    """How long ago a request was opened, in the dashboard's bands."""

    title = _("opened")
    parameter_name = "opened"
    field_paths = ("opened_on",)

    def conditions(self) -> dict[str, tuple[Any, Q]]:
        ages = request_ages(timezone.localdate())
        return {
            "recent": (_("under a week ago"), ages["recent"]),
            "weeks": (_("one to four weeks ago"), ages["weeks"]),
            "older": (_("over a month ago"), ages["older"]),
        }


class ReferralFilter(ConditionFilter):
    title = _("referral")
    parameter_name = "referral"
    field_paths = ("status", "partner_outcome", "referred_to")

    def conditions(self) -> dict[str, tuple[Any, Q]]:
        return {"waiting": (_("waiting for the partner's outcome"), referral_waiting())}


@admin.register(SupportRequest)
class SupportRequestAdmin(SensitiveAdmin):
    list_display = ("participant", "kind", "status", "opened_on", "referred_to", "closed_on")
    list_filter = (
        "status",
        OpenedFilter,
        ReferralFilter,
        "kind",
        "referred_to",
        "partner_outcome",
    )
    list_select_related = ("participant", "referred_to")
    # The partner records its outcome through the portal; the BAOM reads it here.
    readonly_fields = (
        "partner_outcome",
        "partner_note",
        "partner_outcome_at",
        "partner_outcome_by",
    )
    search_fields = ("participant__reference",)
    autocomplete_fields = ("participant", "referred_to")
    date_hierarchy = "opened_on"
    log_purpose = AccessLog.Purpose.ADMIN_REQUEST

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return ["participant", *request_fields(request), *self.readonly_fields]

    def logged_reference(self, obj: Any) -> str:
        return str(obj.participant.reference)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "reference", "purpose", "fields", "ip")
    list_filter = ("purpose",)
    list_select_related = ("user",)
    search_fields = ("=reference", "user__email")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    """The column choices remembered for the import: read, or deleted so that the next
    file with these headers is read by its header names again."""

    list_display = ("__str__", "saved_by", "saved_at")
    list_select_related = ("saved_by",)
    fields = ("headers", "columns", "saved_by", "saved_at")
    readonly_fields = fields


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(TabbedTranslationAdmin):
    search_fields = ("name",)
