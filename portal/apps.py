from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The partner portal: what an NGO or the twin commune sees of its own work with
    the commune. It sits above every app (it shows agreements, referrals and
    activities together) and no app imports it."""

    name = "portal"
    verbose_name = _("partner portal")
