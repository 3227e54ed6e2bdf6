"""The permission check every partners service makes before it writes: the screens
check too, but a hand-made request must not get around it."""

from django.core.exceptions import PermissionDenied

from belfaa.models import User


def require_perm(user: User, permission: str) -> None:
    """Refuse unless ``user`` is an active staff account holding ``permission``."""
    if not (user.is_active and user.is_staff and user.has_perm(permission)):
        raise PermissionDenied
