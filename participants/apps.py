from django.apps import AppConfig
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
