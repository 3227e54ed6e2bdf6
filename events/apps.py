from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Activities")

    def ready(self) -> None:
        # Registers the send task by name, for the outbox to queue (events.outbox).
        import events.tasks  # noqa: F401
        from events.holders import REGISTRATIONS
        from events.measures import MEASURES
        from participants.holders import holder_register
        from programs.measures import measure_register

        for measure in MEASURES:
            measure_register(measure)
        holder_register(REGISTRATIONS)
