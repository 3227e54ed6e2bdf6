from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from events.holders import REGISTRATIONS
        from events.measures import MEASURES
        from participants.holders import holder_register
        from programs.measures import measure_register

        for measure in MEASURES:
            measure_register(measure)
        holder_register(REGISTRATIONS)
