"""Where an account lands after signing in, and the link the site header offers it.

belfaa cannot know the partner portal (it sits above every app), so the apps that
have a home of their own for some accounts register a function here from their
AppConfig.ready: given a signed-in account, it returns that home, or None. The sign-in
adapter and the site header ask the registry; staff and everyone else keep the default."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Landing:
    url: str
    label: str


_landings: list[Callable[[Any], Landing | None]] = []


def landing_register(find: Callable[[Any], Landing | None]) -> None:
    """Register (from an AppConfig.ready) a function giving an account its home."""
    if find not in _landings:
        _landings.append(find)


def landing_for(user: Any) -> Landing | None:
    """The first registered home of this signed-in account, or None."""
    if not user.is_authenticated:
        return None
    for find in _landings:
        landing = find(user)
        if landing is not None:
            return landing
    return None
