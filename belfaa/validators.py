"""Validators shared by every form that takes a person's details (public sign-up,
the door, the registry, imports)."""

import unicodedata

import phonenumbers
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Characters that reorder text (bidi overrides and isolates): they can disguise a name.
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
NAME_MAX = 150
OLDEST_BIRTH_YEAR = 1900


def clean_person_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise forms.ValidationError(_("Please write your name."), code="required")
    if len(name) > NAME_MAX:
        raise forms.ValidationError(
            _("The name is too long: at most %(max)d characters."),
            code="max_length",
            params={"max": NAME_MAX},
        )
    if any(unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS for c in value):
        raise forms.ValidationError(
            _("The name contains characters that are not allowed."), code="invalid"
        )
    return name


def clean_phone(value: str) -> str:
    """Any common way of writing a Moroccan or international number, as E.164."""
    value = value.strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "MA")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(
            _("This phone number is not valid, e.g. 06 12 34 56 78 or +212 6 12 34 56 78."),
            code="invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_year(year: int) -> int:
    """A year of birth (or of arrival): not before 1900, not in the future."""
    this_year = timezone.localdate().year
    if not OLDEST_BIRTH_YEAR <= year <= this_year:
        raise forms.ValidationError(
            _("Please give a year between %(first)d and %(last)d."),
            code="range",
            params={"first": OLDEST_BIRTH_YEAR, "last": this_year},
        )
    return year
