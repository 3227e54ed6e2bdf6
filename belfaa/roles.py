"""Staff roles as Django groups. The rule for each role is written here once and
applied to every permission that exists, so a model added later falls into place
at the next `migrate` (see BelfaaConfig.ready)."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from belfaa.models import User

COORDINATOR = "Coordinator"
OFFICER = "Officer"
VIEWER = "Viewer"
ROLES = (COORDINATOR, OFFICER, VIEWER)

# The apps that hold the programme's records; staff roles act on these.
DOMAIN_APPS = ("programs", "participants", "partners", "events", "portal")
# Codenames that open personal data beyond the day-to-day record.
SENSITIVE_CODENAMES = ("view_sensitive", "erase_participant", "view_accesslog")
# Records only a Coordinator adds, changes or deletes (app label, model); the other
# roles may read them. Partner accounts and invitations open the partner portal.
COORDINATOR_ONLY_MODELS = (("partners", "membership"), ("portal", "invitation"))
# Generating and downloading the PAC report: Coordinators (all of programs) and
# Officers; Viewers read the list of files only.
REPORT_CODENAMES = ("download_reportfile",)
# Records of what staff did: read, never written through the admin, by any role.
AUDIT_MODELS = (("belfaa", "authenticatorremoval"),)


def _writes_on(models: Iterable[tuple[str, str]]) -> Q:
    """The add, change and delete permissions (all but view) of these models."""
    query = Q()
    for app_label, model in models:
        query |= Q(content_type__app_label=app_label, content_type__model=model)
    return query & ~Q(codename__startswith="view_")


def role_permissions(role: str) -> QuerySet[Permission]:
    """The permissions a role carries, by rule rather than by list."""
    domain = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)
    if role == COORDINATOR:
        # Everything in the programme's apps; managing accounts (belfaa.User) and
        # removing an authenticator, never reading one's secret. No auth.Group or
        # auth.Permission (roles are this rule, not admin edits), and allauth's email
        # addresses only to read: an address added there signs in and resets a password.
        accounts = Permission.objects.filter(
            Q(content_type__app_label="belfaa")
            | Q(content_type__app_label="account", codename__startswith="view_")
            | Q(content_type__app_label="mfa", codename__startswith="view_")
            | Q(content_type__app_label="mfa", codename__startswith="delete_")
        )
        return (domain | accounts).exclude(_writes_on(AUDIT_MODELS))
    if role == OFFICER:
        return (
            domain.filter(
                Q(codename__startswith="view_")
                | Q(codename__startswith="add_")
                | Q(codename__startswith="change_")
                | Q(codename__in=REPORT_CODENAMES)
            )
            .exclude(codename__in=SENSITIVE_CODENAMES)
            .exclude(_writes_on(COORDINATOR_ONLY_MODELS))
        )
    if role == VIEWER:
        return domain.filter(codename__startswith="view_").exclude(codename__in=SENSITIVE_CODENAMES)
    raise ValueError(f"unknown role {role!r}")


def is_staff_account(user: "User") -> bool:
    """Staff: enters the admin, is a superuser or holds a role. A partner account
    (partners.Membership) is never one, and the reverse."""
    return user.is_staff or user.is_superuser or user.groups.exists()


# Apps above belfaa that hold other kinds of accounts (partners: partner accounts) say
# here why an account may not be staff; the account admin asks without importing them.
_staff_refusals: list[Callable[[int], str | None]] = []


def staff_refusal_register(check: Callable[[int], str | None]) -> None:
    """Register (from an AppConfig.ready) a check that, given an account's id, returns
    why that account may not be staff, or None."""
    if check not in _staff_refusals:
        _staff_refusals.append(check)


def staff_refusal(user_id: int | None) -> str | None:
    """Why this account may not be made staff or given a role, if it may not."""
    if user_id is None:
        return None
    for check in _staff_refusals:
        reason = check(user_id)
        if reason:
            return reason
    return None


def is_protected_account(user: "User") -> bool:
    """Superusers and Coordinators: only a superuser changes these accounts."""
    return user.is_superuser or user.groups.filter(name=COORDINATOR).exists()


def may_manage_account(actor: "User", account: "User") -> bool:
    """Coordinators manage Officer, Viewer and partner accounts; a superuser any."""
    return actor.is_superuser or not is_protected_account(account)


def assignable_groups(actor: "User") -> QuerySet[Group]:
    """The groups `actor` may give an account: a Coordinator never gives Coordinator."""
    if actor.is_superuser:
        return Group.objects.all()
    return Group.objects.filter(name__in=(OFFICER, VIEWER))


def roles_sync() -> None:
    """Create the role groups if needed and set each one's permissions to its rule."""
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(role_permissions(role))
