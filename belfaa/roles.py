"""Staff roles as Django groups. The rule for each role is written here once and
applied to every permission that exists, so a model added later falls into place
at the next `migrate` (see BelfaaConfig.ready)."""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

COORDINATOR = "Coordinator"
OFFICER = "Officer"
VIEWER = "Viewer"
ROLES = (COORDINATOR, OFFICER, VIEWER)

# The apps that hold the programme's records; staff roles act on these.
DOMAIN_APPS = ("programs", "participants", "partners", "events")
# Codenames that open personal data beyond the day-to-day record.
SENSITIVE_CODENAMES = ("view_sensitive", "erase_participant", "view_accesslog")


def role_permissions(role: str) -> Iterable[Permission]:
    """The permissions a role carries, by rule rather than by list."""
    domain = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)
    if role == COORDINATOR:
        # Everything in the programme's apps, and managing staff accounts and roles.
        return domain | Permission.objects.filter(
            content_type__app_label__in=("belfaa", "auth", "account", "mfa")
        )
    if role == OFFICER:
        return domain.filter(
            Q(codename__startswith="view_")
            | Q(codename__startswith="add_")
            | Q(codename__startswith="change_")
        ).exclude(codename__in=SENSITIVE_CODENAMES)
    if role == VIEWER:
        return domain.filter(codename__startswith="view_").exclude(codename__in=SENSITIVE_CODENAMES)
    raise ValueError(f"unknown role {role!r}")


def roles_sync() -> None:
    """Create the role groups if needed and set each one's permissions to its rule."""
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(role_permissions(role))
