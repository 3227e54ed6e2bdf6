"""Accounts in the admin. Coordinators manage Officer, Viewer and partner accounts; only
a superuser changes a superuser's or a Coordinator's (belfaa/roles.py). Two-step
verification shows who has it and lets staff remove it with a reason; its secrets are
never shown, searched, filtered or ordered on."""

from typing import Any

import allauth.mfa.admin  # noqa: F401 (registers allauth's admin, which we replace below)
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ManyToManyField, Model, QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from belfaa.models import AuthenticatorRemoval, User
from belfaa.roles import assignable_groups, may_manage_account, staff_refusal
from belfaa.services import authenticator_remove


class AccountChangeForm(UserChangeForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        refusal = staff_refusal(self.instance.pk)
        if refusal is None:
            return cleaned
        groups = cleaned.get("groups")
        staff = (
            cleaned.get("is_staff", self.instance.is_staff)
            or cleaned.get("is_superuser", self.instance.is_superuser)
            or (groups.exists() if groups is not None else self.instance.groups.exists())
        )
        if staff:
            raise ValidationError(refusal)
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AccountChangeForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_active", "groups")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "groups")}),
        (_("Two-step verification"), {"fields": ("two_step_verification",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    superuser_fieldsets = ((_("Superuser"), {"fields": ("is_superuser", "user_permissions")}),)
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined", "two_step_verification")
    filter_horizontal = ("groups", "user_permissions")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            return (*fieldsets, *self.superuser_fieldsets)
        return fieldsets

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_manage_account(request.user, obj))  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_manage_account(request.user, obj))  # type: ignore[arg-type]

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # "Delete selected" checks the model permission only: refuse protected accounts.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(not may_manage_account(request.user, obj) for obj in objs):  # type: ignore[arg-type]
            perms_needed.add(str(self.opts.verbose_name))
        return deleted, counts, perms_needed, protected

    def formfield_for_manytomany(
        self, db_field: "ManyToManyField[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> "ModelMultipleChoiceField[Any] | None":
        if db_field.name == "groups":
            kwargs["queryset"] = assignable_groups(request.user)  # type: ignore[arg-type]
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("Two-step verification"))
    def two_step_verification(self, obj: User) -> str:
        kinds = [
            str(item.get_type_display())
            for item in Authenticator.objects.filter(user=obj).only("type").order_by("type")
        ]
        if not kinds:
            return str(_("Not set up"))
        url = reverse("admin:mfa_authenticator_changelist") + f"?user__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, ", ".join(kinds))


class RemovalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with your name and the time, e.g. the person lost their phone."),
    )


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Who has which factor, never the factor itself: the secret and the recovery-codes
    seed (in `data`) are not shown, searched, filtered or ordered on."""

    list_display = ("user__email", "user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    list_select_related = ("user",)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    fields = ("user", "account_email", "type", "created_at", "last_used_at")
    readonly_fields = fields
    sortable_by = ("user__email", "type", "created_at", "last_used_at")
    change_form_template = "admin/mfa/authenticator/change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Authenticator]:
        return super().get_queryset(request).defer("data")

    # allauth's model has no translated name: the pages say it in the reader's language.
    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {"title": _("Two-step verification"), **(extra_context or {})}
        return super().changelist_view(request, context)

    @admin.display(description=_("email address"))
    def account_email(self, obj: Authenticator) -> str:
        return obj.user.email

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        if lookup.split("__")[0] == "data":
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Only through the removal page below, which asks for a reason.
        return False

    def may_remove(self, request: HttpRequest, authenticator: Authenticator) -> bool:
        return request.user.has_perm("mfa.delete_authenticator") and may_manage_account(
            request.user,  # type: ignore[arg-type]
            authenticator.user,
        )

    def get_urls(self) -> list[URLPattern]:
        remove = path(
            "<path:object_id>/remove/",
            self.admin_site.admin_view(self.remove_view),
            name="mfa_authenticator_remove",
        )
        return [remove, *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        authenticator = self.get_object(request, unquote(object_id))
        context = {
            **(extra_context or {}),
            "title": _("Two-step verification"),
            "may_remove": authenticator is not None and self.may_remove(request, authenticator),
        }
        return super().change_view(request, object_id, form_url, context)

    def remove_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        authenticator = self.get_object(request, unquote(object_id))
        if authenticator is None:
            raise Http404
        if not self.may_remove(request, authenticator):
            raise PermissionDenied
        form = RemovalForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            authenticator_remove(
                authenticator=authenticator,
                by=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
            self.message_user(
                request,
                _("Two-step verification of %(account)s removed; the reason is recorded.")
                % {"account": authenticator.user.email},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:mfa_authenticator_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Remove two-step verification"),
            "authenticator": authenticator,
            "form": form,
        }
        return TemplateResponse(request, "admin/mfa/authenticator/remove.html", context)


@admin.register(AuthenticatorRemoval)
class AuthenticatorRemovalAdmin(admin.ModelAdmin):
    list_display = ("removed_at", "account_email", "kind", "removed_by_email", "reason")
    list_filter = ("kind", "removed_at")
    search_fields = ("account_email", "removed_by_email")
    date_hierarchy = "removed_at"
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
