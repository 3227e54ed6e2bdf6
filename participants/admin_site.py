"""The platform's admin site, which guards the sensitive part (participants.models.SENSITIVE)
in every admin registered on it.

A filter, a sort or a search that reaches a sensitive field, directly or across relations
(`participant__notes__icontains`), is a question about its value. It is answered only to
someone with `participants.view_sensitive`, and only by an admin that logs what it shows
(`SensitiveAdmin` in participants.admin); anywhere else it is refused with a 400, and the
sensitive filters and search fields are left out. The site mixes the guard into every
admin class it registers and every inline those admins show, so an admin written later,
ours or a third party's, is guarded without having to remember it."""

import functools
from collections.abc import Iterable, Iterator
from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import F, Model
from django.db.models.base import ModelBase
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest

from participants.models import sensitive_fields

SENSITIVE_PERMISSION = "participants.view_sensitive"


def sees_sensitive(request: HttpRequest) -> bool:
    return request.user.has_perm(SENSITIVE_PERMISSION)


def sensitive_field(model: type[Model], path: str) -> str | None:
    """The sensitive field that a lookup, ordering or search path (`-`, `^`, `=`, `@`
    prefixes allowed) reaches from `model`, following relations either way; or None."""
    for part in path.lstrip("-^=@").split(LOOKUP_SEP):
        if part in sensitive_fields(model):
            return part
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not isinstance(field.related_model, ModelBase):
            return None  # a plain field: the rest of the path is a lookup or a transform
        model = cast(type[Model], field.related_model)
    return None


def field_names(term: Any) -> Iterator[str]:
    """The field paths an ordering term names: a string, F(), or any expression over them."""
    if isinstance(term, str):
        yield term
    elif isinstance(term, F):
        yield cast(Any, term).name
    else:
        for source in getattr(term, "get_source_expressions", list)():
            yield from field_names(source)


def filter_paths(item: Any) -> list[str]:
    """The fields a list_filter entry filters on: a name, (name, filter class), or a
    custom filter class, which declares them in `field_paths` (its queryset() is code
    the guard cannot read, so the site refuses one that does not say)."""
    if isinstance(item, (list, tuple)):
        item = item[0]
    if isinstance(item, str):
        return [item]
    return list(getattr(item, "field_paths", ()))


def undeclared_filters(admin_class: Any) -> list[str]:
    return [
        item.__name__
        for item in getattr(admin_class, "list_filter", ())
        if isinstance(item, type) and not hasattr(item, "field_paths")
    ]


class GuardedOrdering(BaseModelAdmin):
    """Admins and inlines: no sorting on a sensitive field for anyone who may not ask."""

    # Set by an admin that writes an access-log row for each record it shows.
    logs_reads = False

    def may_ask_sensitive(self, request: HttpRequest) -> bool:
        return self.logs_reads and sees_sensitive(request)

    def asks_sensitive(self, paths: Iterable[str]) -> set[str]:
        return {name for path in paths if (name := sensitive_field(self.model, path))}

    def get_ordering(self, request: HttpRequest) -> Any:
        ordering = super().get_ordering(request)
        if self.may_ask_sensitive(request):
            return ordering
        return [term for term in ordering if not self.asks_sensitive(field_names(term))]


class SensitiveGuard(GuardedOrdering, admin.ModelAdmin):
    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # A filter is a question about the value.
        if self.asks_sensitive([lookup]) and not self.may_ask_sensitive(request):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = super().get_list_filter(request)
        if self.may_ask_sensitive(request):
            return filters
        return [item for item in filters if not self.asks_sensitive(filter_paths(item))]

    def get_search_fields(self, request: HttpRequest) -> Any:
        fields = super().get_search_fields(request)
        if self.may_ask_sensitive(request):
            return fields
        return [field for field in fields if not self.asks_sensitive([field])]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> Any:
        changelist: Any = super().get_changelist(request, **kwargs)
        return with_guard(GuardedChangeList, changelist)

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return [with_guard(GuardedOrdering, inline) for inline in super().get_inlines(request, obj)]


class GuardedChangeList(ChangeList):
    """A list that refuses to be filtered, sorted or searched on a sensitive field unless
    its admin may answer, and then records which ones (`sensitive_asked`) for the log."""

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.sensitive_asked: set[str] = set()
        super().__init__(request, *args, **kwargs)

    def ask(self, request: HttpRequest, paths: Iterable[str]) -> None:
        guard = cast(SensitiveGuard, self.model_admin)
        asked = guard.asks_sensitive(paths)
        if asked and not guard.may_ask_sensitive(request):
            raise DisallowedModelAdminLookup(f"Not allowed on {', '.join(sorted(asked))}")
        self.sensitive_asked |= asked

    def get_filters(self, request: HttpRequest) -> Any:
        params = self.get_filters_params()
        custom = [
            path
            for item in self.list_filter
            if isinstance(item, type) and getattr(item, "parameter_name", None) in params
            for path in filter_paths(item)
        ]
        self.ask(request, [*params, *custom])
        return super().get_filters(request)

    def get_ordering(self, request: HttpRequest, queryset: Any) -> list[Any]:
        ordering: list[Any] = super().get_ordering(request, queryset)
        self.ask(request, [name for term in ordering for name in field_names(term)])
        return ordering

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> Any:
        if self.query:
            self.ask(request, self.search_fields)
        return super().get_queryset(request, exclude_parameters)


@functools.cache
def with_guard(guard: Any, cls: Any) -> Any:
    """`cls` with `guard` mixed in first (once per class)."""
    if issubclass(cls, guard):
        return cls
    return type(cls.__name__, (guard, cls), {"__module__": cls.__module__})


class SensitiveAdminSite(admin.AdminSite):
    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        guarded = with_guard(SensitiveGuard, admin_class or admin.ModelAdmin)
        models: Iterable[Any] = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        if undeclared := undeclared_filters(guarded):
            raise ImproperlyConfigured(
                f"{', '.join(undeclared)}: a custom list filter must declare the fields it "
                "filters on in `field_paths`, so the sensitive guard can see them."
            )
        for model in models:
            if sensitive_fields(model) and not guarded.logs_reads:
                raise ImproperlyConfigured(
                    f"{model._meta.label} has a sensitive part: its admin must log what it "
                    "shows (participants.admin.SensitiveAdmin)."
                )
        super().register(models, guarded, **options)
