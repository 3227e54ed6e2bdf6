from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from programs.models import Commune, PlanPeriod, Programme


@admin.register(Commune)
class CommuneAdmin(TabbedTranslationAdmin):
    list_display = ("name", "province", "region")


@admin.register(PlanPeriod)
class PlanPeriodAdmin(TabbedTranslationAdmin):
    list_display = ("title", "start_year", "end_year", "commune")
    list_select_related = ("commune",)


@admin.register(Programme)
class ProgrammeAdmin(TabbedTranslationAdmin):
    list_display = ("code", "title", "period")
    list_filter = ("period",)
    list_select_related = ("period",)
    search_fields = ("code", "title")


from programs import report_admin  # noqa: E402, F401  (the PAC report's admin)
