"""Invitations in the admin: a Coordinator invites (email, name, organisation,
language), sees each invitation's status and sends a new link; nobody can read a
token, which is not stored (only its hash, never shown)."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from belfaa.models import User
from portal.invitations import (
    INVITE_PERMISSION,
    invitation_check,
    invitation_create,
    invitation_resend,
)
from portal.models import Invitation


class InvitationForm(forms.ModelForm):
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)

    class Meta:
        model = Invitation
        fields = ("email", "first_name", "last_name", "organisation", "language")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("email") and data.get("organisation"):
            try:
                invitation_check(email=data["email"], organisation=data["organisation"])
            except ValidationError as error:
                self.add_error("email", error)
        return data


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"
    # What it filters on, for the admin site's sensitive guard (none of it is sensitive).
    field_paths = ("used_at", "voided_at", "expires_at")

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(Invitation.Status.choices)

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Invitation]
    ) -> QuerySet[Invitation]:
        now = timezone.now()
        waiting = Q(used_at__isnull=True, voided_at__isnull=True)
        by_status: dict[str, Q] = {
            Invitation.Status.OPEN: waiting & Q(expires_at__gt=now),
            Invitation.Status.EXPIRED: waiting & Q(expires_at__lte=now),
            Invitation.Status.USED: Q(used_at__isnull=False),
            Invitation.Status.REPLACED: Q(used_at__isnull=True, voided_at__isnull=False),
        }
        condition = by_status.get(self.value() or "")
        return queryset.filter(condition) if condition is not None else queryset


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "organisation",
        "status_display",
        "language",
        "invited_by",
        "created_at",
        "expires_at",
        "sent_at",
        "used_at",
    )
    list_select_related = ("organisation", "invited_by")
    list_filter = (StatusFilter, "organisation")
    search_fields = ("email",)
    date_hierarchy = "created_at"
    actions = ("send_again",)
    readonly_fields = (
        "email",
        "user",
        "organisation",
        "language",
        "invited_by",
        "status_display",
        "created_at",
        "expires_at",
        "sent_at",
        "used_at",
        "voided_at",
    )
    fields = readonly_fields

    @admin.display(description=_("status"))
    def status_display(self, invitation: Invitation) -> str:
        return invitation.get_status_display()

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = InvitationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return InvitationForm.Meta.fields
        return self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.readonly_fields

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"language": settings.LANGUAGE_CODE, **super().get_changeform_initial_data(request)}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An invitation is a record of what was sent: read, re-sent, never edited.
        return False

    def has_send_again_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(INVITE_PERMISSION)

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        user: User = request.user  # type: ignore[assignment]
        made = invitation_create(
            by=user,
            email=form.cleaned_data["email"],
            organisation_id=form.cleaned_data["organisation"].pk,
            language=form.cleaned_data["language"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        # The admin goes on with `obj` (its log entry, the redirect): make it the row made.
        for field in Invitation._meta.concrete_fields:
            setattr(obj, field.attname, getattr(made, field.attname))
        obj._state.adding = False

    @admin.action(description=_("Send a new invitation link"), permissions=["send_again"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        user: User = request.user  # type: ignore[assignment]
        sent, refused = 0, []
        for invitation in queryset.order_by("pk"):
            try:
                invitation_resend(invitation_id=invitation.pk, by=user)
                sent += 1
            except ValidationError as error:
                refused.extend(error.messages)
        if sent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d new invitation link sent; the earlier link no longer works.",
                    "%(count)d new invitation links sent; the earlier links no longer work.",
                    sent,
                )
                % {"count": sent},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.WARNING)
