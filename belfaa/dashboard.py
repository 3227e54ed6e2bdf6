"""The admin index as the day's work: panels that each app contributes.

Each app that has something for staff to act on keeps a `dashboard.py` that calls
`panel_register`; the modules are found the way Django finds `admin.py` (one
`autodiscover_modules` when the project starts), so `belfaa` imports no app. A panel is
shown to staff holding its permission; its `context` runs a fixed number of queries,
whatever the size of the data, and every item links to where it is handled."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    order: int
    permission: str
    template: str
    # What the template needs; None when there is nothing to show today.
    context: Callable[[HttpRequest], dict[str, Any] | None]


_PANELS: dict[str, Panel] = {}


def panel_register(panel: Panel) -> Panel:
    _PANELS[panel.key] = panel
    return panel


def panels_discover() -> None:
    autodiscover_modules("dashboard")


def panels_for(request: HttpRequest) -> list[tuple[Panel, dict[str, Any]]]:
    """The panels this staff member may see, in order, with their content."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.key)):
        if not request.user.has_perm(panel.permission):
            continue
        context = panel.context(request)
        if context is not None:
            shown.append((panel, context))
    return shown
