from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Registry of participants")

    def ready(self) -> None:
        from participants.measures import MEASURES
        from programs.measures import measure_register

        for measure in MEASURES:
            measure_register(measure)
