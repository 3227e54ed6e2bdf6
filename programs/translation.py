from modeltranslation.translator import TranslationOptions, register

from programs.models import Commune, PlanPeriod, Programme


@register(Commune)
class CommuneTranslation(TranslationOptions):
    fields = ("name", "province", "region")


@register(PlanPeriod)
class PlanPeriodTranslation(TranslationOptions):
    fields = ("title",)


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("title", "description")
