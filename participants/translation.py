from modeltranslation.translator import TranslationOptions, register

from participants.models import Neighbourhood


@register(Neighbourhood)
class NeighbourhoodTranslation(TranslationOptions):
    fields = ("name",)
