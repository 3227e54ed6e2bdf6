"""Admin list filters made of named conditions: the same conditions a dashboard panel
counts (belfaa/dashboard.py), so the list a panel links to shows exactly the rows it
counted."""

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise


class ConditionFilter(admin.SimpleListFilter):
    """Subclasses give `title`, `parameter_name`, `conditions` and `field_paths` (the
    fields the conditions read: the admin site refuses a custom filter without them, see
    participants/admin_site.py)."""

    def conditions(self) -> dict[str, tuple[str | Promise, Q]]:
        """Value in the URL: (label, condition), computed at each request (dates move)."""
        raise NotImplementedError

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(value, label) for value, (label, _condition) in self.conditions().items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        chosen = self.conditions().get(self.value() or "")
        return queryset if chosen is None else queryset.filter(chosen[1])
