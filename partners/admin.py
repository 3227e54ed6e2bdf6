from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from partners.models import Agreement, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(TabbedTranslationAdmin):
    list_display = ("name", "acronym", "kind", "city", "country")
    list_filter = ("kind", "country")
    search_fields = ("name", "acronym", "city")


@admin.register(Agreement)
class AgreementAdmin(TabbedTranslationAdmin):
    list_display = ("reference", "title", "kind", "signed_on", "ends_on")
    list_filter = ("kind",)
    search_fields = ("reference", "title")
    date_hierarchy = "signed_on"
    filter_horizontal = ("programmes",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation")
    list_select_related = ("user", "organisation")
    autocomplete_fields = ("user",)
