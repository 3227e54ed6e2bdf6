from modeltranslation.translator import TranslationOptions, register

from programs.models import Axis, Commune, Indicator, PlanPeriod, Programme, Project, SNIAProgramme


@register(Commune)
class CommuneTranslation(TranslationOptions):
    fields = ("name", "province", "region")


@register(PlanPeriod)
class PlanPeriodTranslation(TranslationOptions):
    fields = ("title",)


@register(Axis)
class AxisTranslation(TranslationOptions):
    fields = ("title",)


@register(SNIAProgramme)
class SNIAProgrammeTranslation(TranslationOptions):
    fields = ("title",)


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title",)


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name",)
