"""Validators shared by every form that takes a person's details (public sign-up,
the door, the registry, imports)."""

import re
import unicodedata

import phonenumbers
from django import forms
from django.core.validators import EmailValidator, validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Characters that reorder text (bidi overrides and isolates): they can disguise a name.
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
# Characters that draw nothing, so that one name can be made to look exactly like another:
# every format character (Unicode category Cf: zero-width space, non-joiner and joiner,
# direction marks, word joiner, byte-order mark, soft hyphen, Arabic letter mark...),
# unassigned and private-use code points, and the other default-ignorable code points
# that are not Cf (combining grapheme joiner, variation selectors, Hangul fillers...).
INVISIBLE_CATEGORIES = {"Cf", "Cn", "Co", "Cs"}
INVISIBLE_RANGES = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0xE0100, 0xE01EF),
)
NAME_MAX = 150
# The length of the email columns (EmailField's default).
EMAIL_MAX = 254
OLDEST_BIRTH_YEAR = 1900

# What reads as a link once the name is in a message: a scheme ("http://"), "www.", a
# host name ("evil.example", "bit.ly/x", "a@b.example") or an IPv4 address. Checked on
# the NFKC form, so full-width letters and dots count too; "。" is a dot for IDNA.
_DOT = r"[.\u3002\uff0e\uff61]"
_SCHEME_OR_WWW = re.compile(rf"://|\bwww{_DOT}", re.IGNORECASE)
_HOST = re.compile(
    rf"(?<![\w.-])(?P<host>(?:[^\W_][\w-]*{_DOT})+(?P<last>[^\W\d_]{{2,63}}|xn--[\w-]+))"
    r"(?![\w-])(?P<path>[/:?#\\])?",
    re.IGNORECASE,
)
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")
# Initials run into a name ("J.Keita", "A.B.DIALLO") look like a host name, so they are
# let through, unless the last part in capitals is one of the endings links use most.
_LINK_ENDINGS = {"com", "net", "org", "info", "biz", "io", "co", "ly", "me", "ma", "app", "xyz"}


def _invisible(char: str) -> bool:
    code = ord(char)
    return unicodedata.category(char) in INVISIBLE_CATEGORIES or any(
        first <= code <= last for first, last in INVISIBLE_RANGES
    )


def _initials_then_name(host: str, last: str) -> bool:
    *initials, _end = re.split(_DOT, host)
    if not all(len(initial) == 1 and initial.isupper() for initial in initials):
        return False
    # Mail clients link "X.Com" as readily as "x.com": a common ending is a link in
    # any case ("J. Ma" with its space still passes, as the message suggests).
    if last.casefold() in _LINK_ENDINGS:
        return False
    return (last[:1].isupper() and last[1:].islower()) or last.isupper()


def reads_as_link(value: str) -> bool:
    """Whether a text would show as a link (or be taken for one) in a message."""
    text = unicodedata.normalize("NFKC", value)
    if _SCHEME_OR_WWW.search(text) or _IPV4.search(text):
        return True
    return any(
        match["path"] or not _initials_then_name(match["host"], match["last"])
        for match in _HOST.finditer(text)
    )


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
    if any(_invisible(c) for c in value):
        raise forms.ValidationError(
            _(
                "The name contains an invisible character (such as a zero-width space). "
                "Please type it again without it."
            ),
            code="invisible",
        )
    if reads_as_link(name):
        raise forms.ValidationError(
            _(
                "A name cannot contain a web address or a link. If a dot belongs to the "
                "name, put a space after it (e.g. “J. Keita”)."
            ),
            code="link",
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


def clean_email(value: str) -> str:
    """An email address as it is stored and compared: trimmed and in lower case."""
    email = value.strip().lower()
    if not email:
        return ""
    if len(email) > EMAIL_MAX:
        raise forms.ValidationError(EmailValidator.message, code="invalid")
    validate_email(email)
    return email


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
