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
        from events.report import sections_register
        from participants.holders import holder_register
        from partners.models import Organisation
        from programs.measures import measure_register
        from programs.report_data import organisation_name_register

        for measure in MEASURES:
            measure_register(measure)
        holder_register(REGISTRATIONS)
        sections_register()

        # The partner version of the PAC report names its partner (programs sits
        # below partners and asks through this hook).
        def organisation_name(pk: int) -> str | None:
            return Organisation.objects.filter(pk=pk).values_list("name", flat=True).first()

        organisation_name_register(organisation_name)
