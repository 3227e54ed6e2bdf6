from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def partner_account_refusal(user_id: int) -> str | None:
    """A partner account may not be staff (the account admin asks through belfaa.roles)."""
    from partners.models import Membership

    membership = Membership.objects.filter(user_id=user_id).select_related("organisation").first()
    if membership is None:
        return None
    return gettext(
        "This is a partner account of %(organisation)s: it cannot be staff or "
        "hold a role. Remove it from the partner organisation first."
    ) % {"organisation": membership.organisation}


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        import partners.tasks  # noqa: F401 (the services queue its tasks by name)
        from belfaa.roles import staff_refusal_register
        from partners.measures import MEASURES
        from programs.measures import measure_register

        staff_refusal_register(partner_account_refusal)
        for measure in MEASURES:
            measure_register(measure)
