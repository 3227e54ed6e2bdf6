from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Registry of participants")

    def ready(self) -> None:
        from belfaa.dbrole import append_only
        from participants.measures import MEASURES
        from participants.models import AccessLog
        from programs.measures import measure_register

        for measure in MEASURES:
            measure_register(measure)
        # The application's role may read and add to the access log, never change it.
        append_only(AccessLog._meta.db_table)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on a site that guards the sensitive part in every admin."""

    default = False  # not the registry's own config: INSTALLED_APPS names it
    default_site = "participants.admin_site.SensitiveAdminSite"
