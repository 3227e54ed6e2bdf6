"""Strings we take over from Django's and django-allauth's catalogs; ours come first
(LOCALE_PATHS), and these are marked here so makemessages keeps them.

- allauth's Arabic catalog renders its app label "MFA" as "وزارة الخارجية" (the
  ministry of foreign affairs); we say "two-step verification".
- Django's Arabic month names are those of the Mashreq (ديسمبر); Moroccan
  administrations write يناير … يونيو، يوليوز، غشت، شتنبر، نونبر، دجنبر.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

OVERRIDDEN = (
    gettext_noop("MFA"),
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
