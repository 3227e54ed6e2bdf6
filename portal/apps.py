from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def portal_landing(user: Any) -> Any:
    """A partner account lands on its organisation's portal, never the public home."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from belfaa.landing import Landing
    from portal.access import organisation_of

    if organisation_of(user) is None:
        return None
    return Landing(url=reverse("portal:home"), label=gettext("Partner portal"))


class PortalConfig(AppConfig):
    """The partner portal: what an NGO or the twin commune sees of its own work with
    the commune. It sits above every app (it shows agreements, referrals and
    activities together) and no app imports it."""

    name = "portal"
    verbose_name = _("partner portal")

    def ready(self) -> None:
        from belfaa.landing import landing_register

        landing_register(portal_landing)
