from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Registry of participants")


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on a site that guards the sensitive part in every admin."""

    default = False  # not the registry's own config: INSTALLED_APPS names it
    default_site = "participants.admin_site.SensitiveAdminSite"
