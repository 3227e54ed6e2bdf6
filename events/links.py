"""The person's own links: signed, so that no one can guess another's."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from events.models import Registration

SALT = "events.registration"


def registration_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=SALT)


def registration_from_token(token: str) -> int | None:
    """The registration id a token names, or None when it was not made by us."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def registration_url(registration: Registration, *, absolute_url: bool = False) -> str:
    with translation.override(registration.language):
        path = reverse("events:registration", args=[registration_token(registration)])
    return absolute(path) if absolute_url else path


def cancel_url(registration: Registration, *, absolute_url: bool = False) -> str:
    with translation.override(registration.language):
        path = reverse("events:cancel", args=[registration_token(registration)])
    return absolute(path) if absolute_url else path
