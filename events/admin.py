from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from events.models import Event


@admin.register(Event)
class EventAdmin(TabbedTranslationAdmin):
    list_display = ("title", "kind", "status", "starts_at", "venue", "capacity")
    list_filter = ("status", "kind", "programme")
    search_fields = ("title", "venue", "slug")
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ("title_fr",)}
    filter_horizontal = ("partners",)
    list_select_related = ("programme",)
