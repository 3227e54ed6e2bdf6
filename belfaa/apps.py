from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(**kwargs: Any) -> None:
    from belfaa.roles import roles_sync

    roles_sync()


class BelfaaConfig(AppConfig):
    name = "belfaa"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from belfaa import checks  # noqa: F401 (registers the checks)

        # Permissions are created after each migrate; keep the roles in step with them.
        post_migrate.connect(_sync_roles, dispatch_uid="belfaa.roles_sync")
