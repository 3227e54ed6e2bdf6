from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from partners.models import Agreement, Membership, Organisation


class AgreementInline(admin.TabularInline):
    model = Agreement
    fields = ("kind", "title", "signed_on", "ends_on")
    extra = 0
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(TabbedTranslationAdmin):
    list_display = ("name", "acronym", "kind", "city", "country")
    list_filter = ("kind", "country")
    search_fields = ("name", "acronym", "city")
    inlines = [AgreementInline]


@admin.register(Agreement)
class AgreementAdmin(TabbedTranslationAdmin):
    list_display = ("title", "organisation", "kind", "signed_on", "ends_on")
    list_filter = ("kind", "organisation")
    list_select_related = ("organisation",)
    search_fields = ("title", "organisation__name")
    date_hierarchy = "signed_on"
    filter_horizontal = ("programmes",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation")
    list_select_related = ("user", "organisation")
    autocomplete_fields = ("user",)
