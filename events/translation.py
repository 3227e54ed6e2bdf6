from modeltranslation.translator import TranslationOptions, register

from events.models import Event, MeetingOutcome


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "venue")


@register(MeetingOutcome)
class MeetingOutcomeTranslation(TranslationOptions):
    # Staff write what was said in one language and may add the others.
    fields = ("text", "no_answer_reason")
