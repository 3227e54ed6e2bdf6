"""The admin's base for records with a sensitive part (`SensitiveAdmin`: each page that
shows some of it writes its access-log rows, history closed without the permission),
and what the merge confirmation shows of a record."""

from itertools import pairwise
from typing import Any, cast

from django.contrib.admin.utils import display_for_field, flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import Field, Model
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from belfaa.models import User
from participants import services
from participants.admin_site import SensitiveGuard, sees_sensitive
from participants.models import (
    SENSITIVE_REQUEST_FIELDS,
    SUPPORT_REQUEST_FIELDS,
    AccessLog,
    Need,
    Participant,
    sensitive_fields,
)

ERASE_PERMISSION = "participants.erase_participant"
# What the merge confirmation shows of each record, besides the sensitive part.
MERGE_SHOWN = (
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
    "phone",
    "email",
    "needs",
    "created_at",
)


def staff(request: HttpRequest) -> User:
    """The signed-in member of staff (the admin lets no one else in)."""
    return cast(User, request.user)


def merge_value(record: Participant, name: str) -> str:
    """One field of a record as the merge confirmation shows it, in the page's language."""
    if name == "needs":
        labels = [str(Need(v).label) if v in Need.values else str(v) for v in record.needs]
        return ", ".join(labels) or "-"
    return str(display_for_field(getattr(record, name), participant_field(name), "-"))


def participant_field(name: str) -> "Field[Any, Any]":
    return cast("Field[Any, Any]", Participant._meta.get_field(name))


def request_fields(request: HttpRequest) -> list[Any]:
    """A support request's fields, without the follow-up notes for those who may not see them."""
    return [
        f
        for f in SUPPORT_REQUEST_FIELDS
        if sees_sensitive(request) or f not in SENSITIVE_REQUEST_FIELDS
    ]


def sensitive_shown(model: type[Model], names: Any) -> list[str]:
    """Those of `names` that are sensitive fields of `model`, in their declared order."""
    names = set(names)
    return [name for name in sensitive_fields(model) if name in names]


class SensitiveAdmin(SensitiveGuard, SimpleHistoryAdmin):
    """An admin for records with a sensitive part. Each page that shows some of it (the
    record, its inlines, a list filtered, sorted or searched on it, the history) writes
    one access-log row per record shown, naming the fields shown, in the page's
    transaction: the row and the read commit together, or neither. Old versions hold
    the sensitive part too: the history is closed to anyone who may not see it."""

    logs_reads = True
    log_purpose = AccessLog.Purpose.ADMIN_RECORD

    def logged_reference(self, obj: Any) -> str:
        return str(obj.reference)

    def log_shown(
        self, request: HttpRequest, objs: Any, fields: list[str], purpose: AccessLog.Purpose
    ) -> None:
        if fields:
            services.access_log_write(
                user=staff(request),
                references=dict.fromkeys(self.logged_reference(obj) for obj in objs),
                fields=fields,
                purpose=purpose,
                request=request,
            )

    def shown_on_form(self, context: dict[str, Any]) -> list[str]:
        """The sensitive fields a record's page shows: its form's, and those of each
        inline that lists existing rows."""
        shown = sensitive_shown(self.model, flatten_fieldsets(context["adminform"].fieldsets))
        for inline in context.get("inline_admin_formsets", ()):
            if inline.formset.initial_forms:
                names = flatten_fieldsets(inline.fieldsets)
                shown += sensitive_shown(inline.formset.model, names)
        return list(dict.fromkeys(shown))

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        # Called inside the change view's transaction.
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if obj is not None:
            self.log_shown(request, [obj], self.shown_on_form(context), self.log_purpose)
        return response

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        with transaction.atomic(using=router.db_for_write(self.model)):
            response = super().changelist_view(request, extra_context)
            if isinstance(response, TemplateResponse):
                changelist: Any = (response.context_data or {}).get("cl")
                if changelist is not None and changelist.sensitive_asked:
                    # Filtered, sorted or searched on the sensitive part: each record
                    # listed is shown to have the value asked about.
                    response.render()
                    self.log_shown(
                        request,
                        changelist.result_list,
                        sorted(changelist.sensitive_asked),
                        AccessLog.Purpose.ADMIN_LIST,
                    )
        return response

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        if not sees_sensitive(request):
            raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        if not sees_sensitive(request):
            raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def render_history_view(
        self, request: HttpRequest, template: str, context: dict[str, Any], **kwargs: Any
    ) -> HttpResponse:
        # Both history pages render here, inside their transaction, once the record and
        # the version were found: a 404 writes nothing.
        response = super().render_history_view(request, template, context, **kwargs)
        if "page_obj" in context:
            obj, shown = context["object"], self.history_shown(request, context["page_obj"])
        else:
            obj, shown = context["original"], self.shown_on_form(context)
        self.log_shown(request, [obj], shown, AccessLog.Purpose.ADMIN_HISTORY)
        return response

    def history_shown(self, request: HttpRequest, page: Any) -> list[str]:
        """The sensitive fields the list of versions shows: in its columns, or in the
        changes it lists (each version against the one after it on the page)."""
        declared = list(sensitive_fields(self.model))
        names = set(self.get_history_list_display(request))
        for newer, older in pairwise(page.object_list):
            names.update(newer.diff_against(older, included_fields=declared).changed_fields)
        return sensitive_shown(self.model, names)
