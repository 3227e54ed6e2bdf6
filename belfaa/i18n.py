"""Strings we take over from third-party catalogs.

django-allauth's Arabic catalog renders its app label "MFA" as "وزارة الخارجية"
(the ministry of foreign affairs); our catalogs, which come first, say
"two-step verification" instead. Marked here so makemessages keeps them.
"""

from django.utils.translation import gettext_noop

OVERRIDDEN = (gettext_noop("MFA"),)
