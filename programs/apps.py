from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Commune action plan")

    def ready(self) -> None:
        # The plan's own sections of the PAC report (programs.report_data).
        from programs.plan_report import sections_register

        sections_register()
