from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Commune action plan")

    def ready(self) -> None:
        # Registers the report tasks by name (report_files queues them by name).
        import programs.tasks  # noqa: F401
        from programs import plan_report, report_sections

        # The PAC report's sections (programs.report_data): the plan's own, then the
        # figures of the records.
        plan_report.sections_register()
        report_sections.sections_register()
