from modeltranslation.translator import TranslationOptions, register

from partners.models import Agreement, Organisation


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "objectives")
