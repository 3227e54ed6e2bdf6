from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from partners.measures import MEASURES
        from programs.measures import measure_register

        for measure in MEASURES:
            measure_register(measure)
