"""Admin of activities and registrations.

Changes that have consequences for the people registered (more seats, another time
or place, a cancellation) go through `events.services.event_update`, never a bare
`save()`, so the waiting list moves and everyone is told, whichever screen staff used;
the admin shows what the service did or refused. The exports are `events.exports`.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from belfaa.admin_filters import ConditionFilter
from belfaa.bidi import admin_contact_widgets, ltr_html
from belfaa.roles import COORDINATOR
from belfaa.validators import clean_email, clean_person_name, clean_phone
from events import selectors, services
from events.exports import export_csv_response, export_xlsx_response
from events.models import REGISTRANT_FIELDS, Event, MeetingOutcome, Registration, still_to_come
from events.outcomes import outcomes_check

BOTH_PLACES = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


def is_coordinator(user: Any) -> bool:
    """Coordinators (and superusers) may take personal data out of the platform."""
    if not user.is_active or not user.is_staff:
        return False
    return bool(user.is_superuser or user.groups.filter(name=COORDINATOR).exists())


# --- Activities ----------------------------------------------------------------


class RegistrationInline(admin.TabularInline):
    """The people registered, to read on the activity's page. Seats and statuses
    change only through the services (sign-up, cancellation, the door page)."""

    model = Registration
    fields = ("name", "phone", "email", "status", "attended_at", "walk_in")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MeetingOutcomeFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        adding = any(
            form.has_changed() and not form.cleaned_data.get("DELETE") for form in self.forms
        )
        if adding and self.instance.pk is not None:
            # The saved activity, not the form's edits: the kind and the end are those
            # the meeting had.
            try:
                outcomes_check(Event.objects.get(pk=self.instance.pk))
            except ValidationError as refusal:
                raise ValidationError(refusal.messages) from None


class MeetingOutcomeInline(TranslationStackedInline):
    """What people said at a meeting, after it took place (the PAC report's "what we
    heard and what we did")."""

    model = MeetingOutcome
    formset = MeetingOutcomeFormSet
    fields = ("kind", "theme", "raised_by", "text", "programme", "no_answer_reason")
    autocomplete_fields = ()
    extra = 0
    verbose_name_plural = _("What people said (no names or other personal data)")


def _event_changes(form: ModelForm) -> dict[str, object]:
    # Many-to-many fields (partners) are saved by the admin after the row.
    many = {field.name for field in Event._meta.many_to_many}
    return {name: form.cleaned_data[name] for name in form.changed_data if name not in many}


class EventAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is not None and not self.errors:
            # The service's own check: a crafted POST is refused like the form.
            try:
                services.event_update_check(event_id=self.instance.pk, changes=_event_changes(self))
            except ValidationError as refusal:
                self.add_error(None, refusal)
        return data


class WhenFilter(ConditionFilter):
    title = _("when")
    parameter_name = "when"
    field_paths = ("status", "ends_at")

    def conditions(self) -> dict[str, tuple[Any, Q]]:
        return {"upcoming": (_("upcoming"), still_to_come(timezone.now()))}


@admin.register(Event)
class EventAdmin(TabbedTranslationAdmin):
    form = EventAdminForm
    list_display = (
        "title",
        "kind",
        "status",
        "starts_at",
        "venue",
        "confirmed_count",
        "waitlisted_count",
        "capacity",
        "attendance_link",
    )
    list_filter = (WhenFilter, "status", "kind", "programme")
    # Every language's title and venue: staff working in Arabic find a French title.
    search_fields = (
        "slug",
        *(f"{name}_{code}" for name in ("title", "venue") for code, _name in settings.LANGUAGES),
    )
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ("title_fr",)}
    filter_horizontal = ("partners",)
    list_select_related = ("programme",)
    readonly_fields = ("attendance_link",)
    inlines = (RegistrationInline, MeetingOutcomeInline)
    actions = ("cancel_events", "duplicate_events", "export_csv", "export_xlsx")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        # Counted in the list's own query: the changelist costs the same for 3 or 300.
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed_count=Count(
                    "registrations",
                    filter=Q(
                        registrations__status=Registration.Status.CONFIRMED,
                        registrations__walk_in=False,
                    ),
                ),
                waitlisted_count=Count(
                    "registrations",
                    filter=Q(registrations__status=Registration.Status.WAITLISTED),
                ),
            )
        )

    @admin.display(description=_("confirmed"), ordering="confirmed_count")
    def confirmed_count(self, obj: Event) -> int:
        return getattr(obj, "confirmed_count", 0)

    @admin.display(description=_("waiting list"), ordering="waitlisted_count")
    def waitlisted_count(self, obj: Event) -> int:
        return getattr(obj, "waitlisted_count", 0)

    @admin.display(description=_("attendance"))
    def attendance_link(self, obj: Event) -> str:
        if obj.pk is None:
            return self.get_empty_value_display()
        return format_html(
            '<a href="{}">{}</a>',
            reverse("staff:attendance", kwargs={"event_id": obj.pk}),
            gettext("Attendance at the door"),
        )

    def has_export_permission(self, request: HttpRequest) -> bool:
        return is_coordinator(request.user)

    def save_model(self, request: HttpRequest, obj: Event, form: ModelForm, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        result = services.event_update(event_id=obj.pk, changes=_event_changes(form))
        obj.refresh_from_db()
        if result.cancelled:
            self.message_user(request, self._told_message(result.told))
            return
        if result.promoted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d person moved from the waiting list to a seat, and will be told.",
                    "%(count)d people moved from the waiting list to a seat, and will be told.",
                    len(result.promoted),
                )
                % {"count": len(result.promoted)},
            )
        if result.told:
            self.message_user(
                request,
                ngettext(
                    "%(count)d person registered will be told of the change.",
                    "%(count)d people registered will be told of the change.",
                    result.told,
                )
                % {"count": result.told},
            )

    @staticmethod
    def _told_message(told: int) -> str:
        return ngettext(
            "The activity is cancelled; %(count)d person registered will be told.",
            "The activity is cancelled; %(count)d people registered will be told.",
            told,
        ) % {"count": told}

    @admin.action(
        permissions=["change"],
        description=_("Cancel this activity (everyone registered is told)"),
        description_plural=_("Cancel the selected activities (everyone registered is told)"),
        location=BOTH_PLACES,
    )
    def cancel_events(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        cancelled = told = 0
        for event_id in queryset.exclude(status=Event.Status.CANCELLED).values_list(
            "pk", flat=True
        ):
            told += services.event_cancel(event_id=event_id)
            cancelled += 1
        if not cancelled:
            self.message_user(
                request, gettext("These activities were already cancelled."), messages.WARNING
            )
            return
        self.message_user(
            request,
            ngettext("%(count)d activity cancelled.", "%(count)d activities cancelled.", cancelled)
            % {"count": cancelled}
            + " "
            + ngettext(
                "%(people)d person registered will be told.",
                "%(people)d people registered will be told.",
                told,
            )
            % {"people": told},
        )

    @admin.action(
        permissions=["add"],
        description=_("Duplicate (a draft one week later)"),
        description_plural=_("Duplicate the selected activities (drafts one week later)"),
        location=BOTH_PLACES,
    )
    def duplicate_events(
        self, request: HttpRequest, queryset: QuerySet[Event]
    ) -> HttpResponseBase | None:
        copies = [
            services.event_duplicate(event_id=event_id)
            for event_id in queryset.values_list("pk", flat=True)
        ]
        self.message_user(
            request,
            ngettext(
                "%(count)d draft copy created: check its dates, then publish it.",
                "%(count)d draft copies created: check their dates, then publish them.",
                len(copies),
            )
            % {"count": len(copies)},
        )
        if len(copies) == 1:
            return HttpResponseRedirect(reverse("admin:events_event_change", args=[copies[0].pk]))
        return None

    def _refuse_export(self, request: HttpRequest) -> None:
        # The action is hidden from others (see has_export_permission); a hand-made
        # POST is refused here too.
        if not is_coordinator(request.user):
            raise PermissionDenied

    @admin.action(
        permissions=["export"],
        description=_("Export registrations (CSV)"),
        location=BOTH_PLACES,
    )
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse:
        self._refuse_export(request)
        return export_csv_response(queryset.values_list("pk", flat=True))

    @admin.action(
        permissions=["export"],
        description=_("Export registrations (XLSX)"),
        location=BOTH_PLACES,
    )
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Event]) -> HttpResponse:
        self._refuse_export(request)
        return export_xlsx_response(queryset.values_list("pk", flat=True))


# --- Registrations -------------------------------------------------------------


class RegistrationAdminForm(forms.ModelForm):
    """Staff may correct a person's details; the same rules as the public form apply."""

    class Meta:
        model = Registration
        fields = REGISTRANT_FIELDS
        widgets = admin_contact_widgets()

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        # Anonymised registrations keep an empty name.
        return clean_person_name(name) if name.strip() else ""

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_email(self) -> str:
        return clean_email(self.cleaned_data["email"])


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    form = RegistrationAdminForm
    list_display = (
        "name",
        "event",
        "status",
        "group",
        "sex",
        "walk_in",
        "attended_at",
        "created_at",
    )
    list_filter = ("event", "status", "group", "sex", "walk_in")
    list_select_related = ("event",)
    search_fields = ("name", "phone", "email")
    date_hierarchy = "created_at"
    # Seats, statuses and attendance move only through the services.
    readonly_fields = (
        "event",
        "status",
        "walk_in",
        "attended_at",
        "queued_at",
        "consent_processing",
        "created_at",
        "updated_at",
        "cancelled_at",
        "reminder_sent_at",
        "anonymised_at",
        "participant",
        "suggested_participant",
    )
    actions = ("cancel_registrations", "link_to_registry")

    @admin.display(description=_("registry record with the same phone or email"))
    def suggested_participant(self, obj: Registration) -> str:
        found = selectors.registration_suggestion(obj)
        if found is None:
            return "-"
        url = reverse("admin:participants_participant_change", args=[found.pk])
        return format_html('<a href="{}">{}</a>', url, ltr_html(found.reference))

    @admin.action(
        permissions=["change"],
        description=_("Link to the registry record with the same phone or email"),
        location=BOTH_PLACES,
    )
    def link_to_registry(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        linked = sum(
            services.registration_link(registration_id=pk) is not None
            for pk in queryset.filter(participant__isnull=True).values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d registration linked to the registry.",
                "%(count)d registrations linked to the registry.",
                linked,
            )
            % {"count": linked},
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # People sign up on the public page or are added at the door (walk-ins).
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting would free no seat and skew the counts: cancel or anonymise instead.
        return False

    @admin.action(
        permissions=["change"],
        description=_("Cancel this registration (the seat goes to the waiting list)"),
        description_plural=_("Cancel the selected registrations (seats go to the waiting list)"),
        location=BOTH_PLACES,
    )
    def cancel_registrations(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        cancelled = sum(
            services.registration_cancel(registration_id=registration_id)
            for registration_id in queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d registration cancelled.",
                "%(count)d registrations cancelled.",
                cancelled,
            )
            % {"count": cancelled},
        )
