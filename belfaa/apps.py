from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(**kwargs: Any) -> None:
    from belfaa.roles import roles_sync

    roles_sync()


def _name_authenticators() -> None:
    """Translated names for allauth's Authenticator, which sets none: the admin would
    show "Authenticators" and its columns in English in every language. Only the
    display names change; migrations read the options and arguments as declared."""
    from allauth.mfa.models import Authenticator

    meta = Authenticator._meta
    meta.verbose_name = _("authenticator")
    meta.verbose_name_plural = _("authenticators")
    labels = {
        "user": _("user"),
        "type": _("type"),
        "created_at": _("added on"),
        "last_used_at": _("last used on"),
    }
    for name, label in labels.items():
        meta.get_field(name).verbose_name = label


def _grant_app_role(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    from belfaa.dbrole import AppRoleError, app_role_grant, connected_as_app_role

    if not settings.DATABASE_APP_ROLE or connected_as_app_role(using=using):
        # Run by the application's own role (a migrate with nothing to apply at the
        # start of a web process): it cannot grant itself anything, and need not.
        return
    try:
        app_role_grant(role=settings.DATABASE_APP_ROLE, using=using)
    except AppRoleError as error:
        raise CommandError(f"DATABASE_APP_ROLE: {error}") from None


class BelfaaConfig(AppConfig):
    name = "belfaa"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from belfaa import checks  # noqa: F401 (registers the checks)
        from belfaa.dashboard import panels_discover

        # Permissions are created after each migrate; keep the roles in step with them.
        post_migrate.connect(_sync_roles, dispatch_uid="belfaa.roles_sync")
        _name_authenticators()
        # Once per migrate, after every app's tables exist: the application's own
        # PostgreSQL role gets its rights on them (see belfaa/dbrole.py).
        post_migrate.connect(_grant_app_role, sender=self, dispatch_uid="belfaa.app_role_grant")
        # Every app's models are loaded by now (ready() runs after all of them).
        panels_discover()
        # The idle sign-out's clock starts at sign-in (belfaa.middleware).
        from django.contrib.auth.signals import user_logged_in

        from belfaa.middleware import activity_start

        user_logged_in.connect(activity_start, dispatch_uid="belfaa.activity_start")
